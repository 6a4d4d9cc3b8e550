// Validation of settings written through the API, the way the service checks them: every instance and
// simple value must carry `@odata.type` (abstract types:
// api-reference/beta/resources/intune-deviceconfigv2-devicemanagementconfigurationsettinginstance.md), definition ids
// and option ids must exist in the catalog, instance kinds must match their definitions, children must hang where the
// definitions say. The emulator's catalog is the pinned subset (src/catalog): a write of any id outside it is
// rejected, while seeds may hold anything a real tenant holds.
import { pinnedCatalog, type Catalog, type DefinitionKind } from "../catalog";
import { isRecord, ODATA, odataKind } from "../model";
import { abstractClass, GraphHttpError, intuneBadRequest, unresolvedType } from "./errors";
import { KNOWN_TEMPLATES, type Json } from "./shapes";

const INSTANCE_KIND: Record<string, DefinitionKind | "group"> = {
  [odataKind(ODATA.choiceInstance)!]: "choice",
  [odataKind(ODATA.choiceCollectionInstance)!]: "choiceCollection",
  [odataKind(ODATA.simpleInstance)!]: "simple",
  [odataKind(ODATA.simpleCollectionInstance)!]: "simpleCollection",
  [odataKind(ODATA.groupCollectionInstance)!]: "groupCollection",
  [odataKind(ODATA.groupInstance)!]: "group",
};

/** `platforms` is the policy's flags string; each top-level definition must apply to one of them. */
export function validateSettings(settings: unknown, platforms?: string, catalog: Catalog = pinnedCatalog): void {
  if (settings === undefined || settings === null) return;
  if (!Array.isArray(settings))
    throw new GraphHttpError(
      400,
      "ModelValidationFailure",
      "Invalid value for property 'settings': a collection was expected.",
    );
  const seen = new Set<string>();
  settings.forEach((s, i) => {
    if (!isRecord(s) || !isRecord(s.settingInstance))
      throw intuneBadRequest(`Setting at index ${i} has no settingInstance.`);
    const inst = s.settingInstance;
    validateInstance(inst, catalog, undefined);
    const id = String(inst.settingDefinitionId);
    if (!catalog.isRoot(id))
      throw intuneBadRequest(
        `Setting '${id}' is not a root setting and cannot be configured at the top level of a policy.`,
      );
    if (seen.has(id)) throw intuneBadRequest(`Setting '${id}' is configured more than once.`);
    const platform = catalog.get(id)?.applicability.platform;
    if (
      platforms !== undefined &&
      platform !== undefined &&
      !platforms
        .split(",")
        .map((p) => p.trim())
        .includes(platform)
    ) {
      throw intuneBadRequest(`Setting '${id}' is not applicable to platform '${platforms}'.`);
    }
    seen.add(id);
  });
}

/**
 * A policy made from a template: a top-level instance's `settingInstanceTemplateReference` must be the one the
 * template has for its definition. Graph refuses a wrong one with "Invalid Reference id found in Policy created
 * from Template …" (the message quoted in KelvinTegelaar/CIPP#4241). Only the instance templates the emulator
 * knows are checked (src/catalog/endpoint-security-templates.ts): a template with none listed accepts any.
 * `policyId` is "" on create, as in that message.
 */
export function validateTemplateReferences(settings: unknown, templateReference: unknown, policyId = ""): void {
  const templateId =
    isRecord(templateReference) && typeof templateReference.templateId === "string" ? templateReference.templateId : "";
  const known = KNOWN_TEMPLATES[templateId]?.settingInstanceTemplates ?? {};
  const knownIds = new Set(Object.values(known));
  if (knownIds.size === 0 || !Array.isArray(settings)) return;
  for (const s of settings) {
    const inst = isRecord(s) && isRecord(s.settingInstance) ? s.settingInstance : {};
    const ref = isRecord(inst.settingInstanceTemplateReference)
      ? inst.settingInstanceTemplateReference.settingInstanceTemplateId
      : undefined;
    if (typeof ref !== "string") continue;
    if (known[String(inst.settingDefinitionId)] !== ref.toLowerCase()) {
      throw intuneBadRequest(
        `Info\nInvalid Reference id found in Policy created from Template ${templateId}\nPolicyId\n${policyId}\nTemplateId\n${templateId}\nInvalidReferenceId\n${ref}`,
      );
    }
  }
}

function validateSimpleValue(v: unknown, defId: string): void {
  if (!isRecord(v) || typeof v["@odata.type"] !== "string") throw abstractClass();
  const kind = odataKind(v["@odata.type"]);
  if (kind === "deviceManagementConfigurationIntegerSettingValue") {
    if (typeof v.value !== "number" || !Number.isInteger(v.value))
      throw intuneBadRequest(`Setting '${defId}': value must be an integer.`);
  } else if (
    kind === "deviceManagementConfigurationStringSettingValue" ||
    kind === "deviceManagementConfigurationSecretSettingValue"
  ) {
    if (typeof v.value !== "string") throw intuneBadRequest(`Setting '${defId}': value must be a string.`);
  } else if (kind !== "deviceManagementConfigurationReferenceSettingValue") {
    throw unresolvedType(String(v["@odata.type"]));
  }
}

function checkParent(childId: string, parentId: string, optionId: string | undefined, catalog: Catalog): void {
  const parent = catalog.parent(childId);
  const ok =
    parent !== undefined &&
    parent.parentId === parentId &&
    (optionId === undefined || parent.optionId === undefined || parent.optionId === optionId);
  if (!ok) {
    throw intuneBadRequest(`Setting '${childId}' is not a valid child of '${optionId ?? parentId}'.`);
  }
}

function validateInstance(
  inst: Json,
  catalog: Catalog,
  parentContext: { parentId: string; optionId?: string } | undefined,
): void {
  const type = inst["@odata.type"];
  if (typeof type !== "string") throw abstractClass();
  const instanceKind = INSTANCE_KIND[odataKind(type) ?? ""];
  if (!instanceKind) throw unresolvedType(type);
  const defId = inst.settingDefinitionId;
  if (typeof defId !== "string" || defId === "") throw intuneBadRequest("Setting instance has no settingDefinitionId.");
  const def = catalog.get(defId);
  if (!def)
    throw intuneBadRequest(`Invalid setting definition id '${defId}': no such setting in the settings catalog.`);
  const defKind = catalog.kind(defId);
  if (defKind !== instanceKind) {
    throw intuneBadRequest(
      `Setting '${defId}' is a ${defKind} setting and cannot be configured with a ${odataKind(type)}.`,
    );
  }
  if (parentContext) checkParent(defId, parentContext.parentId, parentContext.optionId, catalog);

  const choice = (v: unknown) => {
    if (!isRecord(v) || typeof v.value !== "string")
      throw intuneBadRequest(`Setting '${defId}': choiceSettingValue.value is required.`);
    if (!catalog.hasOption(defId, v.value))
      throw intuneBadRequest(`Invalid option '${v.value}' for setting '${defId}'.`);
    for (const child of Array.isArray(v.children) ? v.children : []) {
      if (!isRecord(child)) throw abstractClass();
      validateInstance(child, catalog, { parentId: defId, optionId: v.value });
    }
  };
  const group = (v: unknown) => {
    if (!isRecord(v)) throw intuneBadRequest(`Setting '${defId}': group value must be an object.`);
    for (const child of Array.isArray(v.children) ? v.children : []) {
      if (!isRecord(child)) throw abstractClass();
      validateInstance(child, catalog, { parentId: defId });
    }
  };

  switch (instanceKind) {
    case "choice":
      choice(inst.choiceSettingValue);
      break;
    case "choiceCollection":
      if (!Array.isArray(inst.choiceSettingCollectionValue))
        throw intuneBadRequest(`Setting '${defId}': choiceSettingCollectionValue is required.`);
      inst.choiceSettingCollectionValue.forEach(choice);
      break;
    case "simple":
      validateSimpleValue(inst.simpleSettingValue, defId);
      break;
    case "simpleCollection":
      if (!Array.isArray(inst.simpleSettingCollectionValue))
        throw intuneBadRequest(`Setting '${defId}': simpleSettingCollectionValue is required.`);
      inst.simpleSettingCollectionValue.forEach((v) => validateSimpleValue(v, defId));
      break;
    case "groupCollection":
      if (!Array.isArray(inst.groupSettingCollectionValue))
        throw intuneBadRequest(`Setting '${defId}': groupSettingCollectionValue is required.`);
      inst.groupSettingCollectionValue.forEach(group);
      break;
  }
}
