// A synthetic tenant of any size: settings-catalog policies shaped like real reads with their settings and
// assignments, plus the groups they target. Tests, the read benchmark and large-tenant runs of `wslpolicy emulator
// --seed` use it; ids are positional so a test can name them.
import { COLLECTIONS, ODATA, type TenantSnapshot } from "../model";
import { NO_TEMPLATE } from "./shapes";

export const WSL = "device_vendor_msft_policy_config_wslv1~policy~wsl_";
export const WSL_CHOICES = [
  "allowwsl",
  "allowwsl1",
  "allowinboxwsl",
  "allowdebugshell",
  "allowdiskmount",
  "firewallusersettingconfigurable",
  "nestedvirtualizationusersettingconfigurable",
  "customkernelusersettingconfigurable",
  "kerneldebugusersettingconfigurable",
  "customnetworkingusersettingconfigurable",
];

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
export const policyId = (i: number) => `00000000-0000-4000-8000-${hex(i, 12)}`;
export const groupId = (i: number) => `11111111-0000-4000-8000-${hex(i, 12)}`;

export function choiceSetting(definition: string, option: string, id?: string) {
  return {
    ...(id !== undefined ? { id } : {}),
    settingInstance: {
      "@odata.type": ODATA.choiceInstance,
      settingDefinitionId: definition,
      settingInstanceTemplateReference: null,
      choiceSettingValue: { settingValueTemplateReference: null, value: option, children: [] },
    },
  };
}

/** A policy as Graph stores it: server fields, `settingCount`, settings with ids, assignments with ids. */
export function syntheticPolicy(i: number, settingCount: number, assignmentCount = 2) {
  const id = policyId(i);
  const settings = Array.from({ length: settingCount }, (_, s) => {
    // Beyond the 10 WSL choices, numbered ids: paging is what these tests are about, not the catalog.
    const name = WSL_CHOICES[s] ?? `paging_test_setting_${s}`;
    return choiceSetting(`${WSL}${name}`, `${WSL}${name}_0`, String(s));
  });
  const assignments = Array.from({ length: assignmentCount }, (_, a) => ({
    id: `${id}_${groupId(a)}`,
    source: "direct",
    sourceId: id,
    target: {
      "@odata.type": ODATA.groupTarget,
      groupId: groupId(a),
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
    },
  }));
  return {
    id,
    name: `Policy ${i}`,
    description: "",
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    createdDateTime: "2026-01-08T08:35:01.3474232Z",
    lastModifiedDateTime: "2026-01-08T08:35:01.3474232Z",
    creationSource: null,
    priorityMetaData: null,
    settingCount,
    templateReference: { ...NO_TEMPLATE },
    settings,
    assignments,
  };
}

export function syntheticTenant(opts: {
  policies: number;
  settings: number;
  assignments?: number;
  groups?: number;
}): TenantSnapshot {
  return {
    [COLLECTIONS.configurationPolicies]: Array.from({ length: opts.policies }, (_, i) =>
      syntheticPolicy(i, opts.settings, opts.assignments ?? 2),
    ),
    [COLLECTIONS.compliancePolicies]: [],
    [COLLECTIONS.mobileApps]: [],
    [COLLECTIONS.deviceManagementScripts]: [],
    [COLLECTIONS.deviceHealthScripts]: [],
    [COLLECTIONS.groups]: Array.from({ length: opts.groups ?? 3 }, (_, g) => ({
      id: groupId(g),
      displayName: `Ring ${g}`,
      description: null,
      groupTypes: [],
      membershipRule: null,
      securityEnabled: true,
      mailEnabled: false,
    })),
    [COLLECTIONS.assignmentFilters]: [],
  } as TenantSnapshot;
}
