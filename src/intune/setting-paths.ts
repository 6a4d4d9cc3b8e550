// Flattens a settings array into `path → value`, so two policies (managed or found in the tenant) can be
// compared setting by setting. A path names the setting and the context it sits in: nested children
// follow their parent (`parent/child`), and group-collection entries add an entry key. Entries of the
// Hyper-V VM settings group are keyed by their `target` (one CSP node per VM creator, so two policies
// configuring WSL collide); other group entries (e.g. firewall rules, each its own CSP instance) are
// keyed by their content, so different rules never collide. Collections compare as sets.
import { createHash } from "node:crypto";
import { z } from "zod";
import { pinnedCatalog, settingIds, type Catalog } from "../catalog";
import {
  byText,
  compareText,
  odataKind,
  settingSchema,
  type JsonObject,
  type Setting,
  type SettingInstance,
} from "../model";

export type FlatValue =
  | { kind: "choice"; optionId: string }
  | { kind: "choiceCollection"; optionIds: string[] }
  | { kind: "simple"; value: string | number }
  | { kind: "simpleCollection"; values: (string | number)[] };

export interface FlatSetting {
  /** e.g. `vendor_…_hypervvmsettings_{vmcreatorid}[…_target_wsl]/…_target/…_publicprofile_enablefirewall`. */
  path: string;
  settingDefinitionId: string;
  value: FlatValue;
  /** Canonical text of the value: equal keys mean equal values. */
  valueKey: string;
}

/** Group collections whose entries are identified by one child choice (its option id is the entry key). */
const GROUP_ENTRY_KEY_CHILD: Readonly<Record<string, string>> = {
  [settingIds.hyperVVm.group]: settingIds.hyperVVm.target,
};

const byValueText = (a: string | number, b: string | number) => compareText(String(a), String(b));

function valueKeyOf(value: FlatValue): string {
  switch (value.kind) {
    case "choice":
      return value.optionId;
    case "choiceCollection":
      return JSON.stringify(value.optionIds);
    case "simple":
      return JSON.stringify(value.value);
    case "simpleCollection":
      return JSON.stringify(value.values);
  }
}

function push(out: FlatSetting[], path: string, settingDefinitionId: string, value: FlatValue): void {
  out.push({ path, settingDefinitionId, value, valueKey: valueKeyOf(value) });
}

function entryKey(groupId: string, children: readonly SettingInstance[]): string {
  const keyChild = GROUP_ENTRY_KEY_CHILD[groupId];
  const keyed = keyChild ? children.find((c) => c.settingDefinitionId === keyChild) : undefined;
  if (keyed?.choiceSettingValue) return keyed.choiceSettingValue.value;
  const flat: FlatSetting[] = [];
  for (const child of children) flattenInstance(child, "", flat);
  const canonical = flat
    .map((f) => `${f.path}=${f.valueKey}`)
    .sort()
    .join("\n");
  return `#${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;
}

function flattenInstance(instance: SettingInstance, prefix: string, out: FlatSetting[]): void {
  const id = instance.settingDefinitionId;
  const path = prefix ? `${prefix}/${id}` : id;
  const kind = odataKind(instance["@odata.type"]);
  if (instance.choiceSettingValue !== undefined || kind === "deviceManagementConfigurationChoiceSettingInstance") {
    const choice = instance.choiceSettingValue;
    if (!choice) return;
    push(out, path, id, { kind: "choice", optionId: choice.value });
    for (const child of choice.children ?? []) flattenInstance(child, path, out);
  } else if (instance.choiceSettingCollectionValue !== undefined) {
    const optionIds = instance.choiceSettingCollectionValue.map((c) => c.value).sort(byValueText);
    push(out, path, id, { kind: "choiceCollection", optionIds });
  } else if (instance.simpleSettingValue !== undefined) {
    push(out, path, id, { kind: "simple", value: instance.simpleSettingValue.value });
  } else if (instance.simpleSettingCollectionValue !== undefined) {
    const values = instance.simpleSettingCollectionValue.map((v) => v.value).sort(byValueText);
    push(out, path, id, { kind: "simpleCollection", values });
  } else if (instance.groupSettingCollectionValue !== undefined) {
    for (const entry of instance.groupSettingCollectionValue) {
      const children = entry.children ?? [];
      const entryPath = `${path}[${entryKey(id, children)}]`;
      for (const child of children) flattenInstance(child, entryPath, out);
    }
  } else if (instance.groupSettingValue !== undefined) {
    for (const child of instance.groupSettingValue.children ?? []) flattenInstance(child, path, out);
  }
}

/** Every configured value in a settings array, with its context path; sorted by path. */
export function flattenSettings(settings: readonly Pick<Setting, "settingInstance">[]): FlatSetting[] {
  const out: FlatSetting[] = [];
  for (const s of settings) flattenInstance(s.settingInstance, "", out);
  return out.sort(byText((f) => f.path));
}

const settingsArraySchema = z.array(settingSchema);

/** The typed settings of a configuration-policy document (compiled or read from a tenant). */
export function settingsOf(document: JsonObject | { settings?: unknown }): Setting[] {
  const raw = (document as { settings?: unknown }).settings;
  if (raw === undefined) return [];
  const parsed = settingsArraySchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`settings do not have the Settings Catalog shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

// Compiled documents are flattened by conflicts and by several guardrails; parse each document once.
const flatCache = new WeakMap<object, FlatSetting[]>();

/** `flattenSettings(settingsOf(document))`, cached per document object (documents are not mutated after compile). */
export function flattenDocument(document: JsonObject): FlatSetting[] {
  let flat = flatCache.get(document);
  if (!flat) {
    flat = flattenSettings(settingsOf(document));
    flatCache.set(document, flat);
  }
  return flat;
}

/** A value as a report shows it: option labels from the catalog, collections joined. */
export function describeFlatValue(value: FlatValue, catalog: Catalog = pinnedCatalog): string {
  switch (value.kind) {
    case "choice":
      return catalog.optionLabel(value.optionId);
    case "choiceCollection":
      return value.optionIds.map((o) => catalog.optionLabel(o)).join(", ");
    case "simple":
      return JSON.stringify(value.value);
    case "simpleCollection":
      return value.values.map((v) => JSON.stringify(v)).join(", ");
  }
}
