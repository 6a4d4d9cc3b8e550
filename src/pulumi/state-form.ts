// The shape Intune documents and assignments take in Pulumi inputs and state. The 3.248 dynamic-provider
// host drops `detailedDiff` (verified in @pulumi/pulumi cmd/dynamic-provider/index.js; docs/pulumi.md), so
// `pulumi preview --diff` shows the engine's own comparison of old and new inputs. Keying settings
// by `settingDefinitionId` and assignments by their set key (mode + target + filter, src/intune/) makes that comparison
// name the setting or the assignment that changed, like `wslpolicy plan`, instead of array positions that
// shift whenever a setting is added. Pure and reversible: `toGraphDocument(toStateDocument(d))` is `d`
// with its settings in definition-id order.
import { KINDS } from "../kinds";
import { parseAssignmentTarget } from "../intune";
import { compareText, isRecord, ODATA, type JsonObject, type JsonValue, type ObjectKind } from "../model";

/** Graph document → state form: configuration-policy settings keyed by definition id; server fields dropped. */
export function toStateDocument(kind: ObjectKind, document: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === "id" || key === "assignments" || key === "settings@odata.context") continue;
    if (KINDS[kind].settingsCatalog && key === "settings" && Array.isArray(value)) {
      const settings: JsonObject = {};
      for (const [index, setting] of value.entries()) {
        const instance = isRecord<JsonValue>(setting) ? setting.settingInstance : undefined;
        const id = isRecord<JsonValue>(instance) ? instance.settingDefinitionId : undefined;
        if (!isRecord<JsonValue>(instance) || typeof id !== "string")
          throw new Error(`document.settings[${index}]: a setting must have settingInstance.settingDefinitionId`);
        if (id in settings) throw new Error(`document.settings[${index}]: setting '${id}' appears twice`);
        settings[id] = instance;
      }
      out.settings = sortKeys(settings);
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** State form → the whole Graph document for POST/PUT. */
export function toGraphDocument(kind: ObjectKind, state: JsonObject): JsonObject {
  if (!KINDS[kind].settingsCatalog || !isRecord<JsonValue>(state.settings)) return { ...state };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(state)) {
    out[key] =
      key === "settings" && isRecord<JsonValue>(value)
        ? Object.values(sortKeys(value)).map((settingInstance) => ({ "@odata.type": ODATA.setting, settingInstance }))
        : value;
  }
  return out;
}

/**
 * The set key of one assignment body (src/intune/assignment-target.ts: the key plan and the normaliser
 * use), for a body the providers may write: a target wslpolicy models, a group target with its id.
 */
export function assignmentKey(body: JsonObject): string {
  if (!isRecord<JsonValue>(body.target)) throw new Error("assignment: missing target");
  const parsed = parseAssignmentTarget(body.target);
  if (!parsed || parsed.target === "other")
    throw new Error(`assignment: unsupported target type '${String(body.target["@odata.type"])}'`);
  if (parsed.target === "group" && !parsed.groupId)
    throw new Error(`assignment: ${String(body.target["@odata.type"])} without a groupId`);
  return parsed.key;
}

/** Assignment bodies → the keyed set stored in state; a duplicate target is a program bug. */
export function toStateAssignments(bodies: readonly JsonObject[]): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const body of bodies) {
    const key = assignmentKey(body);
    if (key in out) throw new Error(`assignments: '${key}' appears twice`);
    out[key] = body;
  }
  return sortKeys(out);
}

/** The keyed set → the full list `assign` takes, in key order. */
export function toAssignmentBodies(assignments: Record<string, JsonObject>): JsonObject[] {
  return Object.values(sortKeys(assignments));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
