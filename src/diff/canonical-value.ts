// Canonical JSON for free-form Graph properties (compliance policies, apps, app-assignment settings):
// the representation noise Graph adds (annotations, server fields, defaults, order, case) is removed so that equal
// meaning gives equal
// bytes. Pure.
import { secretFingerprint } from "../intune";
import { KINDS, OBJECT_KINDS } from "../kinds";
import { compareText, GUID_PATTERN, isRecord, odataKind, ZERO_GUID, type JsonValue } from "../model";

export type CanonicalJson = string | number | boolean | CanonicalJson[] | { [key: string]: CanonicalJson };

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Property names Graph owns on any Intune object: these, and what each kind's descriptor lists
 * (src/kinds/). Used where there is no desired document to project on (import, conflict analysis); diffs
 * against a desired document compare only what that document declares, so a server field missing from
 * this list still never counts. Nested objects are read with the same set.
 */
const SERVER_OWNED = new Set([
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "version",
  "isAssigned",
  "supportsScopeTags",
  "isReadOnly",
  ...OBJECT_KINDS.flatMap((kind) => KINDS[kind].serverOwned),
]);

/** Graph annotations (`@odata.context`, `settings@odata.context`, `@microsoft.graph.tips`) never carry meaning. */
export function isAnnotation(key: string): boolean {
  return (
    (key !== "@odata.type" && key.includes("@odata.")) ||
    key.startsWith("@microsoft.graph.") ||
    key.includes("@microsoft.graph.")
  );
}

export function isServerOwned(key: string): boolean {
  return isAnnotation(key) || SERVER_OWNED.has(key);
}

/** `2027-01-10T08:00:00.0000000Z` ≡ `2027-01-10T08:00:00Z` ≡ `…+00:00`: fractional zeros and UTC spelling. */
export function canonicalDateTime(text: string): string {
  const m = ISO_DATETIME.exec(text);
  if (!m) return text;
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  const zone = m[3] === "+00:00" || m[3] === "-00:00" ? "Z" : m[3]!;
  return `${m[1]}${fraction ? `.${fraction}` : ""}${zone}`;
}

/** Lowercases GUIDs, canonicalises date-times; everything else as is. */
export function canonicalString(text: string): string {
  if (GUID_PATTERN.test(text)) return text.toLowerCase();
  return canonicalDateTime(text);
}

/** Absent, `null`, `""` and `[]` mean the same thing to Graph's readers (CIPP #5032: `''` vs `[]`). */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Sorted-key JSON text; used as a sort key for multisets and for equality. */
export function jsonKey(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Canonical form of a JSON value: server-owned keys and annotations dropped at every depth, empties
 * (and the zero GUID) dropped, `@odata.type` reduced to its kind (and dropped below the top level), GUIDs lowercased,
 * date-times canonical, arrays sorted as multisets (Intune lists such as wslDistributions or scheduled
 * actions carry no order).
 * Returns undefined for an empty value.
 */
export function canonicalJson(value: unknown, depth = 0): CanonicalJson | undefined {
  if (isEmptyValue(value)) return undefined;
  // Intune writes "no reference" as "" and reads it back as the zero GUID (a compliance action's
  // notificationTemplateId: SkipToTheEndpoint/OpenIntuneBaseline, WINDOWS/IntuneManagement/CompliancePolicies/*.json).
  if (value === ZERO_GUID) return undefined;
  if (typeof value === "string") return canonicalString(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalJson(v, depth + 1)).filter((v): v is CanonicalJson => v !== undefined);
    if (items.length === 0) return undefined;
    return items.sort((a, b) => compareText(jsonKey(a), jsonKey(b)));
  }
  if (typeof value === "object") {
    const out: Record<string, CanonicalJson> = {};
    for (const key of Object.keys(value as object).sort()) {
      if (isServerOwned(key)) continue;
      // Nested values' `@odata.type` is implied by the property and Graph drops it on reads
      // (test/diff/false-drift.test.ts has a case); only the object's own type counts.
      if (key === "@odata.type" && depth > 0) continue;
      const raw = (value as Record<string, unknown>)[key];
      const v = key === "@odata.type" ? odataKind(raw) : canonicalJson(raw, depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return undefined;
}

/**
 * Keeps only what `shape` declares, at every object depth: a desired document sets some properties and
 * Graph fills in the rest, and a PATCH never resets what it does not send, so undeclared live properties
 * are not ours to compare. Arrays are compared whole.
 */
export function projectOnto(
  live: CanonicalJson | undefined,
  shape: CanonicalJson | undefined,
): CanonicalJson | undefined {
  if (live === undefined || shape === undefined) return live;
  if (isRecord<CanonicalJson>(live) && isRecord<CanonicalJson>(shape)) {
    const out: Record<string, CanonicalJson> = {};
    for (const key of Object.keys(shape)) {
      const v = projectOnto(live[key], shape[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return live;
}

/** What a secret is compared by: a hash of the plaintext, never the plaintext (it ends up in reports). */
export const secretHash = secretFingerprint;

export function asJsonValue(value: CanonicalJson | undefined): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}
