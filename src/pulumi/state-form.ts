// The shape Intune documents and assignments take in Pulumi inputs and state. The 3.248 dynamic-provider
// host drops `detailedDiff` (research/pulumi.md §2.1, verified in cmd/dynamic-provider/index.js), so
// `pulumi preview --diff` shows the engine's own comparison of old and new inputs (§5.4). Keying settings
// by `settingDefinitionId` and assignments by their set key (mode + target + filter) makes that comparison
// name the setting or the assignment that changed, like `wslpolicy plan`, instead of array positions that
// shift whenever a setting is added. Pure and reversible: `toGraphDocument(toStateDocument(d))` is `d`
// with its settings in definition-id order.
import { KINDS } from "../kinds";
import { compareText, isRecord, ODATA, odataKind, type JsonObject, type JsonValue, type ObjectKind } from "../model";


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
        if (!isRecord<JsonValue>(instance) || typeof id !== "string") throw new Error(`document.settings[${index}]: a setting must have settingInstance.settingDefinitionId`);
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
    out[key] = key === "settings" && isRecord<JsonValue>(value) ? Object.values(sortKeys(value)).map((settingInstance) => ({ "@odata.type": ODATA.setting, settingInstance })) : value;
  }
  return out;
}

/**
 * The set key of one assignment body, the same key `resolveAssignments` gives it
 * (`include|group:<id>|filter:include:<id>`, apps add `|<intent>`), so assignments compare as a set.
 */
export function assignmentKey(kind: ObjectKind, body: JsonObject): string {
  const target = isRecord<JsonValue>(body.target) ? body.target : undefined;
  if (!target) throw new Error("assignment: missing target");
  const type = odataKind(target["@odata.type"]);
  let mode = "include";
  let identity: string;
  switch (type) {
    case "allDevicesAssignmentTarget":
      identity = "allDevices";
      break;
    case "allLicensedUsersAssignmentTarget":
      identity = "allUsers";
      break;
    case "groupAssignmentTarget":
    case "exclusionGroupAssignmentTarget":
      if (typeof target.groupId !== "string" || target.groupId === "") throw new Error(`assignment: ${type} without a groupId`);
      mode = type === "exclusionGroupAssignmentTarget" ? "exclude" : "include";
      identity = `group:${target.groupId.toLowerCase()}`;
      break;
    default:
      throw new Error(`assignment: unsupported target type '${String(target["@odata.type"])}'`);
  }
  const filterType = target.deviceAndAppManagementAssignmentFilterType;
  const filterId = target.deviceAndAppManagementAssignmentFilterId;
  const filter = mode === "include" && typeof filterId === "string" && filterId && filterType !== "none" ? `|filter:${String(filterType)}:${filterId.toLowerCase()}` : "";
  const intent = KINDS[kind].assignmentIntent ? `|${typeof body.intent === "string" ? body.intent : "required"}` : "";
  return `${mode}|${identity}${filter}${intent}`;
}

/** Assignment bodies → the keyed set stored in state; a duplicate target is a program bug. */
export function toStateAssignments(kind: ObjectKind, bodies: readonly JsonObject[]): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const body of bodies) {
    const key = assignmentKey(kind, body);
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
