// Typed, offline view of the pinned Settings Catalog (copied from shared/catalog, see ./definitions).
// Every setting id and option id the compiler emits is looked up here, and reports take their display
// names and option labels from here. Pure: the JSON is bundled with the package, no network.
import wslDefinitions from "./definitions/wsl.settings.json";
import firewallDefinitions from "./definitions/firewall.settings.json";
import {
  definitionKind,
  settingDefinitionSchema,
  type DefinitionKind,
  type SettingDefinition,
  type SettingOption,
} from "./definition";
import { byText } from "../model";
import { profileOptionLabel, simpleValueLabel } from "./display-values";

/** How a simple setting's value is typed on the wire. */
export type SimpleValueType = "string" | "integer";

export class Catalog {
  private readonly byId = new Map<string, SettingDefinition>();
  private readonly optionOwner = new Map<string, { definition: SettingDefinition; option: SettingOption }>();
  private readonly parentOf = new Map<string, { parentId: string; optionId?: string; required: boolean }>();

  constructor(
    definitions: readonly unknown[],
    private readonly simpleTypes: Readonly<Record<string, SimpleValueType>> = {},
  ) {
    for (const raw of definitions) {
      const def = settingDefinitionSchema.parse(raw);
      this.byId.set(def.id, def);
    }
    for (const def of this.byId.values()) {
      for (const dep of def.dependedOnBy ?? []) {
        this.parentOf.set(dep.dependedOnBy, { parentId: def.id, required: dep.required });
      }
      for (const option of def.options ?? []) {
        this.optionOwner.set(option.itemId, { definition: def, option });
        for (const dep of option.dependedOnBy ?? []) {
          this.parentOf.set(dep.dependedOnBy, { parentId: def.id, optionId: option.itemId, required: dep.required });
        }
      }
    }
  }

  get size(): number {
    return this.byId.size;
  }

  all(): SettingDefinition[] {
    return [...this.byId.values()].sort(byText((d) => d.id));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): SettingDefinition | undefined {
    return this.byId.get(id);
  }

  /** The definition, or an error naming the id: for compiler code paths where a miss is a bug. */
  require(id: string): SettingDefinition {
    const def = this.byId.get(id);
    if (!def) throw new Error(`setting definition '${id}' is not in the pinned Settings Catalog`);
    return def;
  }

  kind(id: string): DefinitionKind {
    return definitionKind(this.require(id));
  }

  isRoot(id: string): boolean {
    const def = this.byId.get(id);
    return def !== undefined && def.rootDefinitionId === def.id;
  }

  /** Option ids of a choice (or choice collection) definition, in catalog order. */
  optionIds(id: string): string[] {
    return (this.require(id).options ?? []).map((o) => o.itemId);
  }

  hasOption(settingId: string, optionId: string): boolean {
    return this.optionOwner.get(optionId)?.definition.id === settingId;
  }

  /** The definition that owns an option id, if any. */
  ownerOfOption(optionId: string): SettingDefinition | undefined {
    return this.optionOwner.get(optionId)?.definition;
  }

  /** Where a child setting hangs: under its parent definition, and under one option of it for choices. */
  parent(id: string): { parentId: string; optionId?: string; required: boolean } | undefined {
    return this.parentOf.get(id);
  }

  /** Children a parent (or one of its options) declares, with whether each is required. */
  children(id: string, optionId?: string): { id: string; required: boolean }[] {
    const def = this.require(id);
    const deps =
      optionId === undefined
        ? (def.dependedOnBy ?? [])
        : ((def.options ?? []).find((o) => o.itemId === optionId)?.dependedOnBy ?? []);
    return deps.map((d) => ({ id: d.dependedOnBy, required: d.required }));
  }

  displayName(id: string): string {
    const def = this.byId.get(id);
    return def?.displayName ?? def?.name ?? id;
  }

  /**
   * A short label for an option: a firewall profile by name (Private, not FWPROFILETYPESTANDARD), else its
   * display name, cut at the first sentence for the verbose firewall enums.
   */
  optionLabel(optionId: string): string {
    const owner = this.optionOwner.get(optionId);
    if (!owner) return optionId;
    const label = owner.option.displayName;
    const profile = profileOptionLabel(label);
    if (profile) return profile;
    const cut = label.indexOf(":");
    return cut > 0 && label.length > 40 ? label.slice(0, cut).trim() : label;
  }

  /** A simple setting's value for people: a firewall protocol by name (TCP, not 6), else the value as JSON. */
  simpleValueLabel(id: string, value: unknown): string {
    return simpleValueLabel(id, value) ?? JSON.stringify(value);
  }

  /**
   * Value type of a simple setting. The pinned definitions omit `valueDefinition`, so the wire type comes
   * from the CSP node format (`int` nodes are integers, `chr` strings).
   */
  simpleValueType(id: string): SimpleValueType {
    return this.simpleTypes[id] ?? "string";
  }
}

/**
 * CSP node formats for the simple settings the compiler emits (Firewall CSP: Protocol and Priority are `int`;
 * names, port and address ranges are `chr`; https://learn.microsoft.com/windows/client-management/mdm/firewall-csp).
 */
const SIMPLE_VALUE_TYPES: Record<string, SimpleValueType> = {
  "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}_protocol": "integer",
  "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}_priority": "integer",
  "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_protocol": "integer",
  vendor_msft_firewall_mdmstore_domainprofile_logmaxfilesize: "integer",
  vendor_msft_firewall_mdmstore_privateprofile_logmaxfilesize: "integer",
  vendor_msft_firewall_mdmstore_publicprofile_logmaxfilesize: "integer",
  vendor_msft_firewall_mdmstore_global_saidletime: "integer",
};

/** The catalog pinned into this package: WSL and Firewall categories. */
export const pinnedCatalog = new Catalog(
  [...(wslDefinitions as unknown[]), ...(firewallDefinitions as unknown[])],
  SIMPLE_VALUE_TYPES,
);
