// How the service stores what it is sent: server-assigned ids, timestamps and defaults, setting
// instances in their read shape, assignment ids and filter defaults. These are the fields the drift
// engine must normalise away, so the emulator must produce them.
import { randomUUID } from "node:crypto";
import { HYPERV_TEMPLATES, type EndpointSecurityTemplate } from "../catalog";
import { isRecord, odataKind, VIRTUAL_GROUP_IDS, type UnknownRecord } from "../model";

/** The emulator's name for UnknownRecord (src/model/records.ts). */
export type Json = UnknownRecord;

let lastMs = 0;
let tick = 0;
/** A Graph timestamp: UTC with 7 fractional digits (`2026-01-08T08:35:01.3474232Z`), strictly increasing. */
export function graphTimestamp(now = Date.now()): string {
  if (now === lastMs) tick = Math.min(tick + 1, 9999);
  else {
    lastMs = now;
    tick = Math.floor(Math.random() * 5000);
  }
  return new Date(now).toISOString().replace(/Z$/, `${String(tick).padStart(4, "0")}Z`);
}

export const newId = (): string => randomUUID();

export const clone = <T>(v: T): T => structuredClone(v);

/** Settings catalog templateReference as the service fills it for a plain (non-template) policy. */
export const NO_TEMPLATE = {
  templateId: "",
  templateFamily: "none",
  templateDisplayName: null,
  templateDisplayVersion: null,
};

/**
 * Templates the emulator knows, by id: the two Hyper-V firewall templates (src/catalog/endpoint-security-templates.ts
 * cites where their ids and names come from) and Microsoft Defender Antivirus.
 */
export const KNOWN_TEMPLATES: Readonly<Record<string, Omit<EndpointSecurityTemplate, "templateId">>> =
  Object.fromEntries([
    ...HYPERV_TEMPLATES.map(({ templateId, ...rest }) => [templateId, rest] as const),
    [
      "804339ad-1553-4478-a742-138fb5807418_1",
      {
        templateFamily: "endpointSecurityAntivirus",
        templateDisplayName: "Microsoft Defender Antivirus",
        templateDisplayVersion: "Version 1",
        technologies: "mdm,microsoftSense",
        settingInstanceTemplates: {},
      },
    ],
  ]);

/**
 * The templateReference the service stores: the client sends `templateId` only, the service fills in family,
 * display name and version (as the OpenIntuneBaseline export "Win - OIB - ES - Windows Firewall - D - Firewall
 * Configuration - v3.1.json" reads back; see src/catalog/endpoint-security-templates.ts).
 */
export function templateReference(sent: unknown): Json {
  const templateId = isRecord(sent) && typeof sent.templateId === "string" ? sent.templateId : "";
  if (!templateId) return { ...NO_TEMPLATE };
  const known = KNOWN_TEMPLATES[templateId];
  return {
    templateId,
    templateFamily: known?.templateFamily ?? "none",
    templateDisplayName: known?.templateDisplayName ?? null,
    templateDisplayVersion: known?.templateDisplayVersion ?? null,
  };
}

function valueTemplateRef(v: Json): unknown {
  return v.settingValueTemplateReference ?? null;
}

/** A choice or group value as GET returns it: no `@odata.type`, template reference, children in read shape. */
function readChoiceValue(v: Json): Json {
  return { settingValueTemplateReference: valueTemplateRef(v), value: v.value, children: readChildren(v.children) };
}
function readGroupValue(v: Json): Json {
  return { settingValueTemplateReference: valueTemplateRef(v), children: readChildren(v.children) };
}
function readSimpleValue(v: Json): Json {
  const type = String(v["@odata.type"]);
  if (odataKind(type) === "deviceManagementConfigurationSecretSettingValue") {
    // secrets come back as an opaque token
    return {
      "@odata.type": type,
      settingValueTemplateReference: valueTemplateRef(v),
      value: newId(),
      valueState: "encryptedValueToken",
    };
  }
  return { "@odata.type": type, settingValueTemplateReference: valueTemplateRef(v), value: v.value };
}
function readChildren(children: unknown): Json[] {
  return Array.isArray(children) ? children.filter(isRecord).map(readInstance) : [];
}

/**
 * A setting instance in the read shape of real exports (SkipToTheEndpoint/OpenIntuneBaseline
 * WINDOWS/IntuneManagement/SettingsCatalog/*.json).
 */
export function readInstance(inst: Json): Json {
  const out: Json = {
    "@odata.type": inst["@odata.type"],
    settingDefinitionId: inst.settingDefinitionId,
    settingInstanceTemplateReference: inst.settingInstanceTemplateReference ?? null,
    auditRuleInformation: null,
  };
  if (isRecord(inst.choiceSettingValue)) out.choiceSettingValue = readChoiceValue(inst.choiceSettingValue);
  if (Array.isArray(inst.choiceSettingCollectionValue))
    out.choiceSettingCollectionValue = inst.choiceSettingCollectionValue.filter(isRecord).map(readChoiceValue);
  if (isRecord(inst.simpleSettingValue)) out.simpleSettingValue = readSimpleValue(inst.simpleSettingValue);
  if (Array.isArray(inst.simpleSettingCollectionValue))
    out.simpleSettingCollectionValue = inst.simpleSettingCollectionValue.filter(isRecord).map(readSimpleValue);
  if (Array.isArray(inst.groupSettingCollectionValue))
    out.groupSettingCollectionValue = inst.groupSettingCollectionValue.filter(isRecord).map(readGroupValue);
  if (isRecord(inst.groupSettingValue)) out.groupSettingValue = readGroupValue(inst.groupSettingValue);
  return out;
}

/**
 * `settings[]` as stored: positional ids "0".."n" (as real exports show: SkipToTheEndpoint/OpenIntuneBaseline
 * WINDOWS/IntuneManagement/SettingsCatalog/*.json), instances in read shape.
 */
export function readSettings(settings: unknown): Json[] {
  if (!Array.isArray(settings)) return [];
  return settings.filter(isRecord).map((s, i) => ({
    id: String(i),
    settingInstance: readInstance(isRecord(s.settingInstance) ? s.settingInstance : {}),
  }));
}

/** An assignment target with the filter defaults the service fills (`null` and `"none"`, as real exports show them). */
export function readTarget(target: Json): Json {
  const out: Json = {
    "@odata.type": target["@odata.type"],
    deviceAndAppManagementAssignmentFilterId: target.deviceAndAppManagementAssignmentFilterId ?? null,
    deviceAndAppManagementAssignmentFilterType: target.deviceAndAppManagementAssignmentFilterType ?? "none",
  };
  if (target.groupId !== undefined) out.groupId = target.groupId;
  if (target.collectionId !== undefined) out.collectionId = target.collectionId;
  return out;
}

/** The group part of an assignment id: the group, or Intune's virtual ids for all devices / all users. */
export function targetKey(target: Json): string {
  const kind = odataKind(target["@odata.type"]);
  if (kind === "allDevicesAssignmentTarget") return VIRTUAL_GROUP_IDS.allDevices;
  if (kind === "allLicensedUsersAssignmentTarget") return VIRTUAL_GROUP_IDS.allUsers;
  return String(target.groupId ?? target.collectionId ?? "");
}

export function readPolicyAssignments(policyId: string, assignments: Json[]): Json[] {
  return assignments.map((a) => {
    const target = isRecord(a.target) ? a.target : {};
    return { id: `${policyId}_${targetKey(target)}`, source: "direct", sourceId: policyId, target: readTarget(target) };
  });
}

/**
 * A settings-catalog policy as the service stores it: server defaults, then the client's `fields`, then
 * what the server always owns (id, positional setting ids, `settingCount`, the filled-in
 * templateReference, assignment ids). Read shape, navigation properties expanded.
 */
export function storedConfigurationPolicy(
  id: string,
  fields: Json,
  sent: { settings: unknown; templateReference: unknown; assignments?: Json[] },
): Json {
  const now = graphTimestamp();
  const settings = readSettings(sent.settings);
  return {
    createdDateTime: now,
    creationSource: null,
    description: "",
    lastModifiedDateTime: now,
    platforms: "windows10",
    priorityMetaData: null,
    roleScopeTagIds: ["0"],
    technologies: "mdm",
    ...fields,
    id,
    settingCount: settings.length,
    templateReference: templateReference(sent.templateReference),
    settings,
    assignments: readPolicyAssignments(id, sent.assignments ?? []),
  };
}

/**
 * An Entra group as Graph returns it: every property present, the ones these tools never set null or
 * empty. `fields` overrides by name; keys keep this order either way (the read shape a real export has).
 */
export function groupShape(fields: Json): Json {
  return {
    id: "",
    deletedDateTime: null,
    classification: null,
    createdDateTime: null,
    creationOptions: [],
    description: null,
    displayName: "",
    expirationDateTime: null,
    groupTypes: [],
    isAssignableToRole: null,
    mail: null,
    mailEnabled: false,
    mailNickname: "",
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: null,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: true,
    securityIdentifier: null,
    theme: null,
    visibility: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    ...fields,
  };
}

/**
 * A Win32 app as the service stores a new one: not uploaded, not published,
 * no content version. `fields` overrides by name; keys keep this order.
 */
export function win32AppShape(fields: Json): Json {
  return {
    "@odata.type": "#microsoft.graph.win32LobApp",
    id: "",
    displayName: "",
    description: "",
    publisher: "",
    largeIcon: null,
    createdDateTime: null,
    lastModifiedDateTime: null,
    isFeatured: false,
    privacyInformationUrl: null,
    informationUrl: null,
    owner: "",
    developer: "",
    notes: "",
    uploadState: 0,
    publishingState: "notPublished",
    isAssigned: false,
    roleScopeTagIds: ["0"],
    dependentAppCount: 0,
    supersedingAppCount: 0,
    supersededAppCount: 0,
    committedContentVersion: null,
    fileName: null,
    size: 0,
    ...fields,
  };
}

/** `minimumSupportedOperatingSystem` flags a Win32 app reads back with (SkipToTheEndpoint/OpenIntuneBaseline
 * WINDOWS/IntuneManagement/Applications/Computer Name Rename.json). */
const WINDOWS_RELEASE_FLAGS = [
  "v8_0",
  "v8_1",
  "v10_0",
  "v10_1607",
  "v10_1703",
  "v10_1709",
  "v10_1803",
  "v10_1809",
  "v10_1903",
  "v10_1909",
  "v10_2004",
  "v10_2H20",
  "v10_21H1",
];

/** Legacy field names of a `rules` entry's `detectionRules`/`requirementRules` mirror, by rule type. */
const LEGACY_RULE_FIELDS: Record<string, { to: string; fields: Record<string, string> }> = {
  win32LobAppFileSystemRule: {
    to: "FileSystem",
    fields: {
      path: "path",
      fileOrFolderName: "fileOrFolderName",
      check32BitOn64System: "check32BitOn64System",
      operationType: "detectionType",
      operator: "operator",
      comparisonValue: "detectionValue",
    },
  },
  win32LobAppRegistryRule: {
    to: "Registry",
    fields: {
      check32BitOn64System: "check32BitOn64System",
      keyPath: "keyPath",
      valueName: "valueName",
      operationType: "detectionType",
      operator: "operator",
      comparisonValue: "detectionValue",
    },
  },
  win32LobAppProductCodeRule: {
    to: "ProductCode",
    fields: {
      productCode: "productCode",
      productVersionOperator: "productVersionOperator",
      productVersion: "productVersion",
    },
  },
  win32LobAppPowerShellScriptRule: {
    to: "PowerShellScript",
    fields: {
      enforceSignatureCheck: "enforceSignatureCheck",
      runAs32Bit: "runAs32Bit",
      scriptContent: "scriptContent",
    },
  },
};

function legacyRule(rule: Json, suffix: "Detection" | "Requirement"): Json | undefined {
  const mapping = LEGACY_RULE_FIELDS[odataKind(rule["@odata.type"]) ?? ""];
  if (!mapping) return undefined;
  const out: Json = { "@odata.type": `#microsoft.graph.win32LobApp${mapping.to}${suffix}` };
  for (const [from, to] of Object.entries(mapping.fields)) out[to] = rule[from] ?? null;
  return out;
}

/**
 * What the service derives from a Win32 app's own fields on every write, and reads back beside them: the
 * legacy `detectionRules`/`requirementRules` mirror of `rules` (`…FileSystemRule` → `…FileSystemDetection`
 * with `detectionType`/`detectionValue`, as a real GET shows: SkipToTheEndpoint/OpenIntuneBaseline
 * WINDOWS/IntuneManagement/Applications/Computer Name Rename.json; field names:
 * api-reference/beta/resources/intune-apps-win32lobappfilesystemdetection.md), the
 * `minimumSupportedOperatingSystem` flags of `minimumSupportedWindowsRelease` (same capture), and
 * `applicableArchitectures: "none"` when `allowedArchitectures` is set ("When a non-null value is provided for
 * the allowedArchitectures property, the value of the applicableArchitectures property is set to none":
 * https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobapp?view=graph-rest-beta).
 */
export function deriveWin32ServerFields(app: Json): void {
  const rules = Array.isArray(app.rules) ? app.rules.filter(isRecord) : [];
  const mirror = (type: string, suffix: "Detection" | "Requirement") =>
    rules
      .filter((r) => r.ruleType === type)
      .map((r) => legacyRule(r, suffix))
      .filter((r): r is Json => r !== undefined);
  app.detectionRules = mirror("detection", "Detection");
  app.requirementRules = mirror("requirement", "Requirement");
  if (app.allowedArchitectures !== undefined && app.allowedArchitectures !== null) app.applicableArchitectures = "none";
  const flag =
    typeof app.minimumSupportedWindowsRelease === "string" ? `v10_${app.minimumSupportedWindowsRelease}` : undefined;
  if (flag && WINDOWS_RELEASE_FLAGS.includes(flag))
    app.minimumSupportedOperatingSystem = Object.fromEntries(WINDOWS_RELEASE_FLAGS.map((f) => [f, f === flag]));
}
