// Builders for Settings Catalog setting instances in the request form Graph accepts: `@odata.type` on every instance
// and every value (choice and group values included), and `children: []` on choice values without children. Key order
// is fixed here so output bytes are stable.
import { ODATA, type JsonObject } from "../model";

export function choiceValue(optionId: string, children: JsonObject[] = []): JsonObject {
  return { "@odata.type": ODATA.choiceValue, value: optionId, children };
}

export function choiceInstance(settingDefinitionId: string, optionId: string, children: JsonObject[] = []): JsonObject {
  return {
    "@odata.type": ODATA.choiceInstance,
    settingDefinitionId,
    choiceSettingValue: choiceValue(optionId, children),
  };
}

export function choiceCollectionInstance(settingDefinitionId: string, optionIds: readonly string[]): JsonObject {
  return {
    "@odata.type": ODATA.choiceCollectionInstance,
    settingDefinitionId,
    choiceSettingCollectionValue: optionIds.map((id) => choiceValue(id)),
  };
}

export type SimpleKind = "string" | "integer";

function simpleValue(kind: SimpleKind, value: string | number): JsonObject {
  return { "@odata.type": kind === "integer" ? ODATA.integerValue : ODATA.stringValue, value };
}

export function simpleInstance(settingDefinitionId: string, kind: SimpleKind, value: string | number): JsonObject {
  return {
    "@odata.type": ODATA.simpleInstance,
    settingDefinitionId,
    simpleSettingValue: simpleValue(kind, value),
  };
}

export function simpleCollectionInstance(
  settingDefinitionId: string,
  kind: SimpleKind,
  values: readonly (string | number)[],
): JsonObject {
  return {
    "@odata.type": ODATA.simpleCollectionInstance,
    settingDefinitionId,
    simpleSettingCollectionValue: values.map((v) => simpleValue(kind, v)),
  };
}

/** A group collection: one `{ children }` value per entry (e.g. one Hyper-V firewall rule per entry). */
export function groupCollectionInstance(settingDefinitionId: string, entries: readonly JsonObject[][]): JsonObject {
  return {
    "@odata.type": ODATA.groupCollectionInstance,
    settingDefinitionId,
    groupSettingCollectionValue: entries.map((children) => ({ "@odata.type": ODATA.groupValue, children })),
  };
}

/** The `settings[]` wrapper around a top-level instance. */
export function setting(settingInstance: JsonObject): JsonObject {
  return { "@odata.type": ODATA.setting, settingInstance };
}
