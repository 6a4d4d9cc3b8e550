// OData type names of the Graph (Intune) objects wslpolicy reads and writes, in one place.
const G = "#microsoft.graph.";

export const ODATA = {
  configurationPolicy: `${G}deviceManagementConfigurationPolicy`,
  setting: `${G}deviceManagementConfigurationSetting`,
  choiceInstance: `${G}deviceManagementConfigurationChoiceSettingInstance`,
  choiceCollectionInstance: `${G}deviceManagementConfigurationChoiceSettingCollectionInstance`,
  simpleInstance: `${G}deviceManagementConfigurationSimpleSettingInstance`,
  simpleCollectionInstance: `${G}deviceManagementConfigurationSimpleSettingCollectionInstance`,
  groupCollectionInstance: `${G}deviceManagementConfigurationGroupSettingCollectionInstance`,
  groupInstance: `${G}deviceManagementConfigurationGroupSettingInstance`,
  choiceValue: `${G}deviceManagementConfigurationChoiceSettingValue`,
  groupValue: `${G}deviceManagementConfigurationGroupSettingValue`,
  stringValue: `${G}deviceManagementConfigurationStringSettingValue`,
  integerValue: `${G}deviceManagementConfigurationIntegerSettingValue`,
  secretValue: `${G}deviceManagementConfigurationSecretSettingValue`,
  templateReference: `${G}deviceManagementConfigurationPolicyTemplateReference`,
  groupTarget: `${G}groupAssignmentTarget`,
  exclusionGroupTarget: `${G}exclusionGroupAssignmentTarget`,
  allDevicesTarget: `${G}allDevicesAssignmentTarget`,
  allUsersTarget: `${G}allLicensedUsersAssignmentTarget`,
  windows10CompliancePolicy: `${G}windows10CompliancePolicy`,
  wslDistribution: `${G}wslDistributionConfiguration`,
  win32LobApp: `${G}win32LobApp`,
  mobileAppAssignment: `${G}mobileAppAssignment`,
  win32LobAppAssignmentSettings: `${G}win32LobAppAssignmentSettings`,
  installTimeSettings: `${G}mobileAppInstallTimeSettings`,
} as const;

/** Virtual group ids Intune uses in assignment ids. */
export const VIRTUAL_GROUP_IDS = {
  allDevices: "adadadad-808e-44e2-905a-0b7873a8a531",
  allUsers: "acacacac-9df4-4c7d-9d50-4ef0226f57a9",
} as const;

/** `@odata.type` without the `#microsoft.graph.` prefix, so `#x`, `microsoft.graph.x` and `x` compare equal. */
export function odataKind(type: unknown): string | undefined {
  if (typeof type !== "string") return undefined;
  return type.replace(/^#?microsoft\.graph\./, "");
}
