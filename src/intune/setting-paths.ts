// The one walk over a Settings Catalog `settings[]` (a compiled request body or Graph's GET form): every
// configured value as a typed leaf at a stable path, and where on the device it lands. The normaliser's
// canonical form (src/diff/normalise.ts) and both setting-conflict engines (validate's
// src/compile/conflicts.ts, plan's src/diff/conflicts.ts) are built on it, so a path, a value and a
// collision mean the same thing everywhere. Pure.
import { pinnedCatalog, settingIds, type Catalog } from "../catalog";
import { compareText, isRecord, odataKind, type UnknownRecord } from "../model";
import { secretFingerprint } from "./script-secrets";

export type LeafType = "choice" | "string" | "integer" | "secret" | "choiceCollection" | "simpleCollection" | "group";

/** One setting value at a stable path. */
export interface SettingLeaf {
  /** The setting definition id of the instance (lowercase). */
  definitionId: string;
  type: LeafType;
  /**
   * choice: the option id; string/integer: the value; collections: the values sorted (multiset);
   * group: the entry keys (names, or the entry count when entries have no name); secret: `sha256:…` of
   * the desired plaintext, or null when Graph only returned its encrypted token (never comparable).
   */
  value: string | number | null | (string | number)[];
}

/** Settings keyed by path: `<definitionId>`, children `<parent>/<child>`, group entries `<group>[<key>]/<child>`. */
export type CanonicalSettings = Record<string, SettingLeaf>;

/** A leaf with its path and the device node it is written to. */
export interface WalkedSetting {
  path: string;
  leaf: SettingLeaf;
  /**
   * Where the value lands on the device: two policies setting the same node to different values for
   * the same devices conflict. Choice parents do not change the CSP node a child is written to, so this
   * is the definition id, prefixed by the entry key of a group whose entries are one node each (the
   * Hyper-V VM settings group, one node per VM creator `target`). Undefined inside entries that are
   * instances of their own: each Hyper-V firewall rule is its own CSP instance with a
   * server-generated `{FirewallRuleName}` (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp),
   * so rules of two policies never collide, whatever their names; and inside choice-collection options.
   */
  node: string | undefined;
}

/**
 * Group collections whose entries are identified by one child choice: the entry is the CSP node
 * `…/HyperVVMSettings/{VMCreatorId}`, one per VM creator, so the `target` option keys it
 * (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp#mdmstorehypervvmsettings).
 */
const NODE_KEY_CHILD: Readonly<Record<string, string>> = {
  [settingIds.hyperVVm.group]: settingIds.hyperVVm.target,
};

type Walked = Record<string, Omit<WalkedSetting, "path">>;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Every leaf of a policy's `settings[]` (request or GET form), sorted by path. */
export function walkSettings(settings: unknown): WalkedSetting[] {
  const out: Walked = {};
  if (Array.isArray(settings)) {
    for (const s of settings) {
      // request form wraps the instance in `{ settingInstance }`; GET adds `id: "0".."n"` (ignored)
      const instance = isRecord(s) && isRecord(s.settingInstance) ? s.settingInstance : s;
      if (isRecord(instance)) walkInstance(instance, "", "", out);
    }
  }
  return Object.keys(out)
    .sort(compareText)
    .map((path) => ({ path, ...out[path]! }));
}

function simpleLeaf(value: unknown): { type: "string" | "integer" | "secret"; value: string | number | null } {
  if (!isRecord(value)) return { type: "string", value: null };
  const kind = (odataKind(value["@odata.type"]) ?? "").toLowerCase();
  const raw = value.value;
  if (kind.includes("secret") || value.valueState !== undefined) {
    // Graph returns `encryptedValueToken` + an opaque token; only a desired
    // plaintext (`notEncrypted`) can be hashed, and the hash is all that is ever kept.
    if (value.valueState === "notEncrypted" && typeof raw === "string")
      return { type: "secret", value: secretFingerprint(raw) };
    return { type: "secret", value: null };
  }
  // numbers versus numeric strings follow the value type, not the JSON spelling
  if (kind.includes("integer")) {
    const n = typeof raw === "number" ? raw : Number(raw);
    return { type: "integer", value: Number.isFinite(n) ? n : String(raw) };
  }
  return { type: "string", value: raw === undefined || raw === null ? "" : String(raw) };
}

/** `node` is the node prefix of the context, or undefined inside an instance of its own. */
function walkInstance(instance: Readonly<UnknownRecord>, prefix: string, node: string | undefined, out: Walked): void {
  const definitionId = (str(instance.settingDefinitionId) ?? "").toLowerCase();
  const path = prefix ? `${prefix}/${definitionId}` : definitionId;
  const at = (leaf: Omit<SettingLeaf, "definitionId">) => {
    out[path] = { leaf: { definitionId, ...leaf }, node: node === undefined ? undefined : `${node}${definitionId}` };
  };

  // The value property says what the instance is; `@odata.type` may be missing on values.
  if (isRecord(instance.choiceSettingValue)) {
    const choice = instance.choiceSettingValue;
    at({ type: "choice", value: (str(choice.value) ?? "").toLowerCase() });
    walkChildren(choice.children, path, node, out);
  } else if (Array.isArray(instance.choiceSettingCollectionValue)) {
    const values = instance.choiceSettingCollectionValue.filter(isRecord);
    at({ type: "choiceCollection", value: values.map((v) => (str(v.value) ?? "").toLowerCase()).sort(compareText) });
    for (const v of values) walkChildren(v.children, `${path}[${(str(v.value) ?? "").toLowerCase()}]`, undefined, out);
  } else if (instance.simpleSettingValue !== undefined) {
    at(simpleLeaf(instance.simpleSettingValue));
  } else if (Array.isArray(instance.simpleSettingCollectionValue)) {
    const values = instance.simpleSettingCollectionValue
      .map((v) => simpleLeaf(v).value)
      .filter((v): v is string | number => v !== null);
    at({ type: "simpleCollection", value: values.sort((a, b) => compareText(String(a), String(b))) });
  } else if (Array.isArray(instance.groupSettingCollectionValue)) {
    walkGroupCollection(definitionId, path, node, instance.groupSettingCollectionValue, out);
  } else if (isRecord(instance.groupSettingValue)) {
    at({ type: "group", value: null });
    walkChildren(instance.groupSettingValue.children, path, node, out);
  } else {
    at({ type: "string", value: null });
  }
}

function walkChildren(children: unknown, prefix: string, node: string | undefined, out: Walked): void {
  // `children: []` (added by the server) and a missing `children` are the same
  if (!Array.isArray(children)) return;
  for (const child of children) if (isRecord(child)) walkInstance(child, prefix, node, out);
}

/** The node prefix of one group-collection entry: keyed by its key child's option, else its own instance. */
function entryNode(definitionId: string, node: string | undefined, entry: Readonly<UnknownRecord>): string | undefined {
  const keyChild = NODE_KEY_CHILD[definitionId];
  if (node === undefined || !keyChild || !Array.isArray(entry.children)) return undefined;
  const keyed = entry.children.find((c) => isRecord(c) && str(c.settingDefinitionId)?.toLowerCase() === keyChild);
  const option =
    isRecord(keyed) && isRecord(keyed.choiceSettingValue) ? str(keyed.choiceSettingValue.value) : undefined;
  return option === undefined ? undefined : `${node}${definitionId}[${option.toLowerCase()}]/`;
}

/**
 * Group-collection entries carry no order. An entry's path is keyed by its `…_name` child when every
 * entry has a distinct one (Hyper-V firewall rules), so a change inside one rule reads as that rule's
 * change; otherwise entries are sorted by content and numbered.
 */
function walkGroupCollection(
  definitionId: string,
  path: string,
  node: string | undefined,
  entries: unknown[],
  out: Walked,
): void {
  const walked = entries.filter(isRecord).map((entry) => {
    const inner: Walked = {};
    walkChildren(entry.children, "", entryNode(definitionId, node, entry), inner);
    const paths = Object.keys(inner).sort(compareText);
    const nameLeaf = paths
      .map((p) => inner[p]!.leaf)
      .find((leaf) => leaf.definitionId.endsWith("_name") && leaf.type === "string" && typeof leaf.value === "string");
    // Sorted paths and leaves whose keys are already in order: the JSON text is canonical.
    const content = JSON.stringify(Object.fromEntries(paths.map((p) => [p, inner[p]!.leaf])));
    return { inner, paths, content, name: nameLeaf ? String(nameLeaf.value) : undefined };
  });
  const names = walked.map((e) => e.name);
  const named = names.every((n) => n !== undefined && n !== "") && new Set(names).size === names.length;
  const keyed = named
    ? walked.map((e) => ({ key: e.name!, entry: e }))
    : [...walked].sort((a, b) => compareText(a.content, b.content)).map((entry, i) => ({ key: String(i), entry }));
  out[path] = {
    leaf: { definitionId, type: "group", value: named ? keyed.map((e) => e.key).sort(compareText) : keyed.length },
    node: undefined,
  };
  for (const { key, entry } of keyed) for (const p of entry.paths) out[`${path}[${key}]/${p}`] = entry.inner[p]!;
}

/** Path → leaf: the canonical settings of a policy. */
export function canonicalSettings(walked: readonly WalkedSetting[]): CanonicalSettings {
  const out: CanonicalSettings = {};
  for (const w of walked) out[w.path] = w.leaf;
  return out;
}

/** A value that can be compared across policies: group summaries are not values, secrets are never compared. */
export function isComparableLeaf(leaf: SettingLeaf): boolean {
  return leaf.type !== "group" && leaf.type !== "secret";
}

/** Canonical text of a leaf's value: equal keys mean equal values. */
export function leafValueKey(leaf: SettingLeaf): string {
  return JSON.stringify(leaf.value);
}

// Compiled documents are walked by conflicts and by several guardrails; walk each document once.
const walkCache = new WeakMap<object, WalkedSetting[]>();

/** `walkSettings(document.settings)`, cached per document object (documents are not mutated after compile). */
export function walkDocument(document: { settings?: unknown }): WalkedSetting[] {
  let walked = walkCache.get(document);
  if (!walked) {
    walked = walkSettings(document.settings);
    walkCache.set(document, walked);
  }
  return walked;
}

/** A leaf's value for people: option labels, quoted strings, numbers; secrets never shown. */
export function leafDisplay(leaf: SettingLeaf | undefined, catalog: Catalog = pinnedCatalog): string | null {
  if (!leaf) return null;
  const v = leaf.value;
  switch (leaf.type) {
    case "choice":
      return typeof v === "string" ? catalog.optionLabel(v) : String(v);
    case "choiceCollection":
      return Array.isArray(v) ? v.map((o) => catalog.optionLabel(String(o))).join(", ") : String(v);
    case "string":
      return v === null ? "(no value)" : JSON.stringify(v);
    case "integer":
      return catalog.simpleValueLabel(leaf.definitionId, v);
    case "simpleCollection":
      return Array.isArray(v)
        ? `[${v.map((x) => (typeof x === "string" ? JSON.stringify(x) : String(x))).join(", ")}]`
        : String(v);
    case "secret":
      return "(secret)";
    case "group":
      if (Array.isArray(v)) return v.length ? v.map((x) => JSON.stringify(x)).join(", ") : "(no entries)";
      return typeof v === "number" ? `${v} ${v === 1 ? "entry" : "entries"}` : "(group)";
  }
}
