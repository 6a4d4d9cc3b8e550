// Shared fixtures for the diff tests: a realistic policy in request form
// (api-reference/beta/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-create.md)
// and as the service returns it, a WSL compliance policy and a Win32 app, plus a directory.
import { directoryFrom } from "../../src/intune";
import type { DesiredObject, JsonObject } from "../../src/model";

export const GROUP_A = "4ab60a30-b0d4-46e5-b9a3-4c6d5c6fc9f5";
export const GROUP_B = "62e39046-aad3-4423-98e0-b486e3538aff";
export const FILTER = "f2822663-9d84-45ed-bd6d-207002142e0a";
export const POLICY_ID = "b7e85bd1-0355-4ab8-b4f2-e2671c5617c4";

export const directory = directoryFrom(
  [
    { id: GROUP_A, displayName: "Developer Workstations" },
    { id: GROUP_B, displayName: "Kiosk Devices" },
  ],
  [{ id: FILTER, displayName: "Windows 11 corporate" }],
);

export const ctx = { directory, stack: "local" };

const DESCRIPTION =
  "Managed by policy-as-code (repo: intune-pac, file: windows/defender.yaml)\n\n[wslpolicy:local/defender-av]";

/** The POST/PUT body the compiler sends. */
export function requestBody(): JsonObject {
  return {
    name: "PaC - WIN - Defender AV baseline",
    description: DESCRIPTION,
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    settings: [
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
          settingDefinitionId: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring",
          choiceSettingValue: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
            value: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1",
            children: [],
          },
        },
      },
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
          settingDefinitionId: "device_vendor_msft_policy_config_defender_avgcpuloadfactor",
          simpleSettingValue: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
            value: 30,
          },
        },
      },
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
          settingDefinitionId: "device_vendor_msft_policy_config_defender_excludedpaths",
          simpleSettingCollectionValue: [
            {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
              value: "C:\\BuildAgent\\_work",
            },
            { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", value: "D:\\Data" },
          ],
        },
      },
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
          settingDefinitionId:
            "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetextforusersattemptingtologon",
          simpleSettingValue: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
            value: "Authorised use only.",
          },
        },
      },
    ],
  };
}

export function desiredPolicy(document: JsonObject = requestBody()): DesiredObject {
  return {
    kind: "configurationPolicy",
    policyId: "defender-av",
    resourceName: "defender-av",
    displayName: String(document.name),
    sourceFile: "defender.ts",
    document,
    assignments: [
      { target: { kind: "groupId", id: GROUP_A }, exclude: false, filter: { id: FILTER, mode: "include" } },
      { target: { kind: "groupId", id: GROUP_B }, exclude: true },
    ],
  };
}

const G = "#microsoft.graph.";

/** The same policy as GET ?$expand=settings,assignments returns it. */
export function getResponse(): JsonObject {
  const nulls = { settingInstanceTemplateReference: null, auditRuleInformation: null };
  return {
    "@odata.context":
      "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies(settings(),assignments())/$entity",
    createdDateTime: "2026-01-08T08:35:01.3474232Z",
    creationSource: null,
    description: DESCRIPTION,
    lastModifiedDateTime: "2026-01-08T08:35:01.3474232Z",
    name: "PaC - WIN - Defender AV baseline",
    platforms: "windows10",
    priorityMetaData: null,
    roleScopeTagIds: ["0"],
    settingCount: 4,
    technologies: "mdm",
    id: POLICY_ID,
    isAssigned: true,
    templateReference: {
      templateId: "",
      templateFamily: "none",
      templateDisplayName: null,
      templateDisplayVersion: null,
    },
    "settings@odata.context": `https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('${POLICY_ID}')/settings`,
    settings: [
      {
        id: "0",
        settingInstance: {
          "@odata.type": `${G}deviceManagementConfigurationChoiceSettingInstance`,
          settingDefinitionId: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring",
          ...nulls,
          choiceSettingValue: {
            settingValueTemplateReference: null,
            value: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1",
            children: [],
          },
        },
      },
      {
        id: "1",
        settingInstance: {
          "@odata.type": `${G}deviceManagementConfigurationSimpleSettingInstance`,
          settingDefinitionId: "device_vendor_msft_policy_config_defender_avgcpuloadfactor",
          ...nulls,
          simpleSettingValue: {
            "@odata.type": `${G}deviceManagementConfigurationIntegerSettingValue`,
            settingValueTemplateReference: null,
            value: 30,
          },
        },
      },
      {
        id: "2",
        settingInstance: {
          "@odata.type": `${G}deviceManagementConfigurationSimpleSettingCollectionInstance`,
          settingDefinitionId: "device_vendor_msft_policy_config_defender_excludedpaths",
          ...nulls,
          simpleSettingCollectionValue: [
            {
              "@odata.type": `${G}deviceManagementConfigurationStringSettingValue`,
              settingValueTemplateReference: null,
              value: "C:\\BuildAgent\\_work",
            },
            {
              "@odata.type": `${G}deviceManagementConfigurationStringSettingValue`,
              settingValueTemplateReference: null,
              value: "D:\\Data",
            },
          ],
        },
      },
      {
        id: "3",
        settingInstance: {
          "@odata.type": `${G}deviceManagementConfigurationSimpleSettingInstance`,
          settingDefinitionId:
            "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetextforusersattemptingtologon",
          ...nulls,
          simpleSettingValue: {
            "@odata.type": `${G}deviceManagementConfigurationStringSettingValue`,
            settingValueTemplateReference: null,
            value: "Authorised use only.",
          },
        },
      },
    ],
    "assignments@odata.context": `https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('${POLICY_ID}')/assignments`,
    assignments: [
      {
        id: `${POLICY_ID}_${GROUP_A}`,
        source: "direct",
        sourceId: POLICY_ID,
        target: {
          "@odata.type": `${G}groupAssignmentTarget`,
          deviceAndAppManagementAssignmentFilterId: FILTER,
          deviceAndAppManagementAssignmentFilterType: "include",
          groupId: GROUP_A,
        },
      },
      {
        id: `${POLICY_ID}_${GROUP_B}`,
        source: "direct",
        sourceId: POLICY_ID,
        target: {
          "@odata.type": `${G}exclusionGroupAssignmentTarget`,
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: "none",
          groupId: GROUP_B,
        },
      },
    ],
  };
}

/** Deep copy for mutation in a test. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
