// The provider's view of a change, taken from the one diff plan and drift use (src/diff/diff-object.ts):
// "no changes" means the same thing in `pulumi preview` as in `wslpolicy plan` (README, "One normaliser"). This file
// only translates: resource inputs into the diff's desired object and live document, and the diff's ObjectChange into
// Pulumi's vocabulary (changes, replaces, detailedDiff paths, and which parts of a read-back state really changed).
// It compares nothing itself.
import { directoryFrom } from "../intune";
import { diffObject } from "../diff";
import { knownSecretHashes, normaliseSettings } from "../diff";
import type { ObjectChange } from "../diff";
import { KINDS } from "../kinds";
import { compareText, type DesiredObject, type JsonObject, type ObjectKind } from "../model";
import type { IntuneObjectInputs } from "./resource-inputs";
import { toAssignmentBodies, toGraphDocument } from "./state-form";

export type DiffKind = "add" | "delete" | "update";

/** Inputs carry resolved group ids, so no directory is needed; labels then show ids, which nobody reads here. */
const NO_DIRECTORY = directoryFrom([]);

/** The inputs as the diff's desired object: the whole Graph document, assignments already resolved. */
export function desiredObject(kind: ObjectKind, inputs: IntuneObjectInputs): DesiredObject {
  const document = toGraphDocument(kind, inputs.document ?? {});
  const displayName =
    typeof document.name === "string"
      ? document.name
      : typeof document.displayName === "string"
        ? document.displayName
        : inputs.policyId;
  return {
    kind,
    policyId: inputs.policyId,
    resourceName: inputs.policyId,
    displayName,
    sourceFile: inputs.policy?.sourceFile ?? "",
    ...(inputs.adoptId ? { adoptId: inputs.adoptId } : {}),
    document,
    assignments: [],
  };
}

/** State (previous inputs, or what `read` brought back) as the live Graph document it stands for. */
export function stateAsLive(kind: ObjectKind, state: IntuneObjectInputs): JsonObject {
  return { ...toGraphDocument(kind, state.document ?? {}), assignments: toAssignmentBodies(state.assignments ?? {}) };
}

/**
 * Desired inputs against a live document — the same `diffObject` as plan, on the same canonical form.
 * `written` is what the stack last wrote (state), whose secret plaintexts say what Graph's encrypted
 * tokens hold.
 */
export function compareInputs(
  kind: ObjectKind,
  desired: IntuneObjectInputs,
  live: JsonObject,
  written?: IntuneObjectInputs,
): ObjectChange {
  const secrets = written
    ? knownSecretHashes(normaliseSettings(toGraphDocument(kind, written.document ?? {}).settings))
    : {};
  return diffObject(desiredObject(kind, desired), live, {
    directory: NO_DIRECTORY,
    stack: desired.stack,
    kind,
    resolvedAssignments: toAssignmentBodies(desired.assignments ?? {}),
    knownSecretHashes: secrets,
  });
}

/** The document key a metadata field of the diff lives under (`name` is the kind's name field). */
function documentKey(kind: ObjectKind, field: string): string {
  return field === "name" ? KINDS[kind].nameField : field;
}

function kindOf(before: unknown, after: unknown): DiffKind {
  return before === null ? "add" : after === null ? "delete" : "update";
}

const SETTING_KIND = { added: "add", removed: "delete", changed: "update" } as const;

/** Graph refuses these in place, as input paths. */
export function replacePaths(change: ObjectChange): string[] {
  return change.replacePaths.map((p) => `document.${p}`);
}

/**
 * The diff's changes as input property paths: `document.<field>`, `document.settings["<canonical setting
 * path>"]` (the same paths plan prints), `assignments["<assignment set key>"]`.
 */
export function detailedDiff(change: ObjectChange): Record<string, { kind: DiffKind }> {
  const out: Record<string, { kind: DiffKind }> = {};
  for (const p of change.replacePaths) out[`document.${p}`] = { kind: "update" };
  for (const m of change.metadata)
    out[`document.${documentKey(change.kind, m.field)}`] = { kind: kindOf(m.before, m.after) };
  for (const s of change.settings)
    out[`document.settings[${JSON.stringify(s.path)}]`] = { kind: SETTING_KIND[s.change] };
  for (const p of change.properties) out[`document.${p.field}`] = { kind: kindOf(p.before, p.after) };
  for (const a of change.assignments) out[`assignments[${JSON.stringify(a.key)}]`] = { kind: SETTING_KIND[a.change] };
  return out;
}

/** True when the document itself (not only its assignment list) differs. */
export function documentChanged(change: ObjectChange): boolean {
  return change.replacePaths.length + change.metadata.length + change.settings.length + change.properties.length > 0;
}

/**
 * What `read` reports: the stored state, with only the parts the diff found changed taken from the live
 * state. Values that differ only in representation (server-filled fields, a dropped `@odata.type`, key
 * order) keep their stored spelling, so the engine's own comparison of state (refresh, `preview --diff`)
 * sees a change exactly where plan and drift do.
 */
export function reconcileState(
  kind: ObjectKind,
  stored: IntuneObjectInputs,
  live: IntuneObjectInputs,
  change: ObjectChange,
): IntuneObjectInputs {
  const document: JsonObject = { ...stored.document };
  const take = (key: string): void => {
    if (live.document[key] === undefined) delete document[key];
    else document[key] = live.document[key]!;
  };
  for (const p of change.replacePaths) take(p);
  for (const m of change.metadata) take(documentKey(kind, m.field));
  for (const p of change.properties) take(p.field);
  if (change.settings.length > 0) {
    const storedSettings = (stored.document.settings ?? {}) as JsonObject;
    const liveSettings = (live.document.settings ?? {}) as JsonObject;
    // a setting is keyed by its top-level definition id in state; canonical paths are lowercase
    const changed = new Set(change.settings.map((s) => s.path.split(/[/[]/)[0]));
    const settings: JsonObject = {};
    for (const [id, instance] of Object.entries(storedSettings))
      if (!changed.has(id.toLowerCase())) settings[id] = instance;
    for (const [id, instance] of Object.entries(liveSettings))
      if (changed.has(id.toLowerCase())) settings[id] = instance;
    document.settings = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => compareText(a, b)));
  }
  return { ...stored, document, assignments: change.assignments.length > 0 ? live.assignments : stored.assignments };
}
