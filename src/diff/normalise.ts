// The one canonical form of a managed Intune object, shared by plan, drift, import and the Pulumi
// providers: "no changes" means the same thing everywhere (README, "One normaliser").
// Both sides go through the same function: a compiled request body and a portal export of the same
// policy normalise to the same value. Every rule here answers a false-drift source, each with its case
// in test/diff/false-drift.test.ts. Pure: no I/O, no clock.
import {
  canonicalSettings,
  contentFingerprint,
  parseAssignmentTarget,
  walkSettings,
  type CanonicalSettings,
  type LeafType,
  type SettingLeaf,
} from "../intune";
import { kindSpec } from "../kinds";
import { compareText, isRecord, odataKind, type ObjectKind, type UnknownRecord } from "../model";
import { canonicalJson, canonicalString, isServerOwned, jsonKey, type CanonicalJson } from "./canonical-value";

export type { CanonicalSettings, LeafType, SettingLeaf };

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

/** A policy's `settings[]` (request or GET form) as leaves keyed by stable path (src/intune/setting-paths.ts). */
export function normaliseSettings(settings: unknown): CanonicalSettings {
  return canonicalSettings(walkSettings(settings));
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
