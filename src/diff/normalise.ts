// The one canonical form of a managed Intune object, shared by plan, drift, import and the Pulumi
// providers: "no changes" means the same thing everywhere (README, "One normaliser").
// Both sides go through the same function: a compiled request body and a portal export of the same
// policy normalise to the same value. Every rule here answers a false-drift source, each with its case
// in test/diff/false-drift.test.ts. Pure: no I/O, no clock.
import { contentFingerprint, parseAssignmentTarget } from "../intune";
import { kindSpec } from "../kinds";
import { compareText, isRecord, odataKind, type ObjectKind, type UnknownRecord } from "../model";
import {
  canonicalJson,
  canonicalString,
  isServerOwned,
  jsonKey,
  secretHash,
  type CanonicalJson,
} from "./canonical-value";

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

export interface CanonicalAssignment {
  /** Set key: mode, target identity and filter (src/intune/assignment-target.ts). */
  key: string;
  mode: "include" | "exclude";
  target: "group" | "allDevices" | "allUsers" | "other";
  /** Lowercase group id (or `pending-ring:<name>` for a ring the stack has not created yet). */
  groupId?: string;
  filter?: { id: string; mode: "include" | "exclude" };
  /** Mobile apps: install intent. */
  intent?: string;
  /** Mobile apps: assignment settings (install times, notifications), canonical. */
  settings?: CanonicalJson;
  /** Remediations: the run schedule, canonical (`runRemediationScript` always reads back false: not compared). */
  schedule?: CanonicalJson;
}

export interface CanonicalObject {
  kind: ObjectKind;
  /** `@odata.type` without prefix; Graph refuses to change it in place. */
  odataType: string;
  name: string;
  /** Trailing whitespace and CRLF removed; null ≡ "". */
  description: string;
  /** Flag lists as sorted lowercase sets (configuration policies). */
  platforms: string[];
  technologies: string[];
  /** `templateReference.templateId`, lowercase; "" ≡ null ≡ missing (plain settings-catalog policy). */
  templateId: string;
  roleScopeTagIds: string[];
  settings: CanonicalSettings;
  /** Other declared properties (compliance policies and apps), canonical JSON. */
  properties: Record<string, CanonicalJson>;
  /** Assignments by key. */
  assignments: Record<string, CanonicalAssignment>;
}

/** Top-level fields that get their own canonical treatment or belong to the object's identity. */
const STRUCTURAL = new Set([
  "@odata.type",
  "name",
  "displayName",
  "description",
  "platforms",
  "technologies",
  "templateReference",
  "roleScopeTagIds",
  "settings",
  "assignments",
]);

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `"mdm,microsoftSense"` and `"microsoftSense, mdm"` are the same flag list. */
export function flagSet(value: unknown): string[] {
  const text = str(value) ?? "";
  return [
    ...new Set(
      text
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s && s !== "none"),
    ),
  ].sort();
}

function canonicalDescription(value: unknown): string {
  return (str(value) ?? "").replace(/\r\n/g, "\n").trimEnd();
}

// ---- settings --------------------------------------------------------------------------------

/** Flattens a policy's `settings[]` (request or GET form) to leaves keyed by stable path. */
export function normaliseSettings(settings: unknown): CanonicalSettings {
  const out: CanonicalSettings = {};
  if (Array.isArray(settings)) {
    for (const s of settings) {
      // request form wraps the instance in `{ settingInstance }`; GET adds `id: "0".."n"` (ignored)
      const instance = isRecord(s) && isRecord(s.settingInstance) ? s.settingInstance : s;
      if (isRecord(instance)) flattenInstance(instance, "", out);
    }
  }
  return sortRecord(out);
}

function simpleLeaf(value: unknown): { type: "string" | "integer" | "secret"; value: string | number | null } {
  if (!isRecord(value)) return { type: "string", value: null };
  const kind = (odataKind(value["@odata.type"]) ?? "").toLowerCase();
  const raw = value.value;
  if (kind.includes("secret") || value.valueState !== undefined) {
    // Graph returns `encryptedValueToken` + an opaque token; only a desired
    // plaintext (`notEncrypted`) can be hashed, and the hash is all that is ever kept.
    if (value.valueState === "notEncrypted" && typeof raw === "string")
      return { type: "secret", value: secretHash(raw) };
    return { type: "secret", value: null };
  }
  // numbers versus numeric strings follow the value type, not the JSON spelling
  if (kind.includes("integer")) {
    const n = typeof raw === "number" ? raw : Number(raw);
    return { type: "integer", value: Number.isFinite(n) ? n : String(raw) };
  }
  return { type: "string", value: raw === undefined || raw === null ? "" : String(raw) };
}

function flattenInstance(instance: Readonly<UnknownRecord>, prefix: string, out: CanonicalSettings): void {
  const definitionId = (str(instance.settingDefinitionId) ?? "").toLowerCase();
  const path = prefix ? `${prefix}/${definitionId}` : definitionId;

  // The value property says what the instance is; `@odata.type` may be missing on values.
  if (isRecord(instance.choiceSettingValue)) {
    const choice = instance.choiceSettingValue;
    out[path] = { definitionId, type: "choice", value: (str(choice.value) ?? "").toLowerCase() };
    flattenChildren(choice.children, path, out);
  } else if (Array.isArray(instance.choiceSettingCollectionValue)) {
    const values = instance.choiceSettingCollectionValue.filter(isRecord);
    out[path] = {
      definitionId,
      type: "choiceCollection",
      value: values.map((v) => (str(v.value) ?? "").toLowerCase()).sort(compareText),
    };
    for (const v of values) flattenChildren(v.children, `${path}[${(str(v.value) ?? "").toLowerCase()}]`, out);
  } else if (instance.simpleSettingValue !== undefined) {
    out[path] = { definitionId, ...simpleLeaf(instance.simpleSettingValue) };
  } else if (Array.isArray(instance.simpleSettingCollectionValue)) {
    const values = instance.simpleSettingCollectionValue
      .map((v) => simpleLeaf(v).value)
      .filter((v): v is string | number => v !== null);
    out[path] = {
      definitionId,
      type: "simpleCollection",
      value: values.sort((a, b) => compareText(String(a), String(b))),
    };
  } else if (Array.isArray(instance.groupSettingCollectionValue)) {
    flattenGroupCollection(definitionId, path, instance.groupSettingCollectionValue, out);
  } else if (isRecord(instance.groupSettingValue)) {
    out[path] = { definitionId, type: "group", value: null };
    flattenChildren(instance.groupSettingValue.children, path, out);
  } else {
    out[path] = { definitionId, type: "string", value: null };
  }
}

function flattenChildren(children: unknown, prefix: string, out: CanonicalSettings): void {
  // `children: []` (added by the server) and a missing `children` are the same
  if (!Array.isArray(children)) return;
  for (const child of children) if (isRecord(child)) flattenInstance(child, prefix, out);
}

/**
 * Group-collection entries carry no order. An entry is keyed by its `…_name` child when every
 * entry has a distinct one (Hyper-V firewall rules), so a change inside one rule reads as that rule's
 * change; otherwise entries are sorted by content and numbered.
 */
function flattenGroupCollection(definitionId: string, path: string, entries: unknown[], out: CanonicalSettings): void {
  const flattened = entries.filter(isRecord).map((entry) => {
    const inner: CanonicalSettings = {};
    flattenChildren(entry.children, "", inner);
    const nameLeaf = Object.values(inner).find(
      (leaf) => leaf.definitionId.endsWith("_name") && leaf.type === "string" && typeof leaf.value === "string",
    );
    return { inner: sortRecord(inner), name: nameLeaf ? String(nameLeaf.value) : undefined };
  });
  const names = flattened.map((e) => e.name);
  const named = names.every((n) => n !== undefined && n !== "") && new Set(names).size === names.length;
  const keyed = named
    ? flattened.map((e) => ({ key: e.name!, inner: e.inner }))
    : flattened
        .map((e) => ({ sortKey: jsonKey(e.inner), inner: e.inner }))
        .sort((a, b) => compareText(a.sortKey, b.sortKey))
        .map((e, i) => ({ key: String(i), inner: e.inner }));
  out[path] = { definitionId, type: "group", value: named ? keyed.map((e) => e.key).sort(compareText) : keyed.length };
  for (const entry of keyed) {
    for (const [childPath, leaf] of Object.entries(entry.inner)) out[`${path}[${entry.key}]/${childPath}`] = leaf;
  }
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareText)) out[key] = record[key]!;
  return out;
}

/**
 * Hash of each secret whose plaintext `settings` hold (a desired or previously written document), by
 * path: the `knownSecretHashes` a diff against Graph's encrypted token needs.
 */
export function knownSecretHashes(settings: CanonicalSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, leaf] of Object.entries(settings))
    if (leaf.type === "secret" && typeof leaf.value === "string") out[path] = leaf.value;
  return out;
}

// ---- assignments -----------------------------------------------------------------------------

/**
 * One assignment (a policy `{target}` or a mobile-app assignment) in canonical form. Filter defaults —
 * FilterType "none", FilterId null / "" / all-zero GUID — all mean no filter, and
 * exclusions never carry one.
 */
export function normaliseAssignment(assignment: unknown): CanonicalAssignment | undefined {
  if (!isRecord(assignment)) return undefined;
  const parsed = parseAssignmentTarget(assignment.target, (target) => jsonKey(canonicalJson(target) ?? {}));
  if (!parsed) return undefined;
  const result: CanonicalAssignment = { key: parsed.key, mode: parsed.mode, target: parsed.target };
  if (parsed.groupId !== undefined) result.groupId = parsed.groupId;
  if (parsed.filter) result.filter = parsed.filter;
  if (typeof assignment.intent === "string") result.intent = assignment.intent;
  const settings = canonicalJson(assignment.settings);
  if (settings !== undefined) result.settings = settings;
  const schedule = canonicalJson(assignment.runSchedule);
  if (schedule !== undefined && schedule !== null) result.schedule = schedule;
  return result;
}

function normaliseAssignments(assignments: unknown): Record<string, CanonicalAssignment> {
  const out: Record<string, CanonicalAssignment> = {};
  if (Array.isArray(assignments)) {
    for (const a of assignments) {
      const n = normaliseAssignment(a);
      if (n) out[n.key] = n;
    }
  }
  return sortRecord(out);
}

// ---- objects ---------------------------------------------------------------------------------

/** `value` (an object or a list of them) without `keys` on its items: what Graph does not read back as written. */
function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0) return value;
  const strip = (item: unknown) =>
    isRecord(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !keys.includes(k))) : item;
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

/**
 * The canonical form of one object of `kind`, from a compiled request body or from Graph's GET output
 * (navigation properties expanded). `assignments` replaces the document's own list when given (the
 * desired side passes its resolved assignment bodies).
 */
export function normaliseObject(
  kind: ObjectKind,
  document: unknown,
  assignments?: readonly unknown[],
): CanonicalObject {
  const doc: Readonly<UnknownRecord> = isRecord(document) ? document : {};
  const template = isRecord(doc.templateReference) ? doc.templateReference : undefined;
  const tags = Array.isArray(doc.roleScopeTagIds) ? doc.roleScopeTagIds.map(String) : [];
  const spec = kindSpec(kind);
  const properties: Record<string, CanonicalJson> = {};
  // A settings-catalog object is its settings; any other kind is its declared properties.
  if (!spec.settingsCatalog) {
    for (const key of Object.keys(doc).sort(compareText)) {
      if (STRUCTURAL.has(key) || isServerOwned(key)) continue;
      const v = canonicalJson(withoutKeys(doc[key], spec.notReadBack.find((n) => n.field === key)?.keys ?? []));
      if (v !== undefined) properties[key] = v;
    }
    // Script content is compared, and shown, as a fingerprint only (src/intune/script-content.ts).
    for (const field of spec.scriptContent ?? [])
      if (field in properties) properties[field] = contentFingerprint(doc[field]);
    // Fields the service computes from another one (the kind's descriptor says which) never drift.
    for (const { when, fields } of spec.computed)
      if (properties[when] !== undefined) for (const field of fields) delete properties[field];
  }
  return {
    kind,
    odataType: odataKind(doc["@odata.type"]) ?? spec.odataType,
    name: str(doc.name) ?? str(doc.displayName) ?? "",
    description: canonicalDescription(doc.description),
    platforms: flagSet(doc.platforms),
    technologies: flagSet(doc.technologies),
    templateId: canonicalString(str(template?.templateId) ?? "").toLowerCase(),
    // omitted or [] reads back as ["0"]
    roleScopeTagIds: tags.length === 0 ? ["0"] : [...new Set(tags)].sort(compareText),
    settings: spec.settingsCatalog ? normaliseSettings(doc.settings) : {},
    properties,
    assignments: normaliseAssignments(assignments ?? doc.assignments),
  };
}
