// A generated plan input of any size: N declared settings-catalog policies of this stack, each with S
// choice settings and two group assignments, and the tenant holding every one of them with its
// ownership marker (a fully managed tenant), plus optionally as many portal-made twins. `values:
// "alternate"` gives every other policy the other option of each setting, so policies sharing a group
// conflict for certain and policies on different groups possibly. Tests of the conflict engine and the
// one-off measurements of `plan` at scale use it; nothing here is real tenant data.
import {
  COLLECTIONS,
  type DesiredObject,
  type DesiredState,
  type JsonObject,
  type TenantSnapshot,
} from "../../src/model";

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const policyGuid = (i: number) => `00000000-0000-4000-8000-${hex(i, 12)}`;
const portalGuid = (i: number) => `22222222-0000-4000-8000-${hex(i, 12)}`;
export const largePlanGroupId = (g: number) => `11111111-0000-4000-8000-${hex(g, 12)}`;
const WSL = "device_vendor_msft_policy_config_wslv1~policy~wsl_";
const NAMES = ["allowwsl", "allowwsl1", "allowinboxwsl", "allowdebugshell", "allowdiskmount"];

export interface LargePlanOptions {
  policies: number;
  settings: number;
  groups: number;
  values: "same" | "alternate";
  /** Portal-made policies (no marker) setting the same settings: they take part in conflicts. */
  unmanaged?: number;
}

function settingsOf(i: number, count: number, values: LargePlanOptions["values"]): JsonObject[] {
  return Array.from({ length: count }, (_, s) => {
    const id = `${WSL}${NAMES[s] ?? `generated_setting_${s}`}`;
    const option = values === "alternate" ? i % 2 : 0;
    return {
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        settingDefinitionId: id,
        choiceSettingValue: { value: `${id}_${option}`, children: [] },
      },
    };
  });
}

const groupsOf = (i: number, groups: number) => [largePlanGroupId(i % groups), largePlanGroupId((i + 1) % groups)];

export function largePlanInput(opts: LargePlanOptions): { desired: DesiredState; live: TenantSnapshot } {
  const objects: DesiredObject[] = [];
  const live: JsonObject[] = [];
  for (let i = 0; i < opts.policies; i++) {
    const policyId = `policy-${i}`;
    const description = `generated\n\n[wslpolicy:local/${policyId}]`;
    const doc = {
      name: `Policy ${i}`,
      description,
      platforms: "windows10",
      technologies: "mdm",
      roleScopeTagIds: ["0"],
      settings: settingsOf(i, opts.settings, opts.values),
    };
    const groups = groupsOf(i, opts.groups);
    objects.push({
      kind: "configurationPolicy",
      policyId,
      resourceName: policyId,
      displayName: doc.name,
      sourceFile: `${policyId}.ts`,
      document: doc,
      assignments: groups.map((id) => ({ target: { kind: "groupId", id }, exclude: false })),
    });
    live.push({ ...doc, id: policyGuid(i), assignments: groups.map(groupTarget) });
  }
  for (let i = 0; i < (opts.unmanaged ?? 0); i++) {
    live.push({
      id: portalGuid(i),
      name: `Portal policy ${i}`,
      description: "",
      platforms: "windows10",
      technologies: "mdm",
      roleScopeTagIds: ["0"],
      settings: settingsOf(i + 1, opts.settings, opts.values),
      assignments: groupsOf(i, opts.groups).map(groupTarget),
    });
  }
  const snapshot = {
    [COLLECTIONS.configurationPolicies]: live,
    [COLLECTIONS.compliancePolicies]: [],
    [COLLECTIONS.mobileApps]: [],
    [COLLECTIONS.deviceManagementScripts]: [],
    [COLLECTIONS.deviceHealthScripts]: [],
    [COLLECTIONS.groups]: Array.from({ length: opts.groups }, (_, g) => ({
      id: largePlanGroupId(g),
      displayName: `Group ${g}`,
    })),
    [COLLECTIONS.assignmentFilters]: [],
  } as unknown as TenantSnapshot;
  return { desired: { stack: "local", rings: [], objects }, live: snapshot };
}

function groupTarget(groupId: string): JsonObject {
  return { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId } };
}
