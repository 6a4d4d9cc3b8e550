// Test tenants for the Graph client and tenant tests: settings-catalog policies shaped like real reads
// (research/graph-api.md §2.4), with their settings and assignments, plus groups, and a started emulator
// with a client wired to it the way production code wires it.
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { createGraphClient, emulatorCredential, type GraphClient, type GraphClientOptions } from "../../src/graph";
import { COLLECTIONS, ODATA, VIRTUAL_GROUP_IDS, type TenantSnapshot } from "../../src/model";

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
export function seededPolicy(i: number, settingCount: number, assignmentCount = 2) {
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
    target: { "@odata.type": ODATA.groupTarget, groupId: groupId(a), deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none" },
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
    templateReference: { templateId: "", templateFamily: "none", templateDisplayName: null, templateDisplayVersion: null },
    settings,
    assignments,
  };
}

export function seedTenant(opts: { policies: number; settings: number; assignments?: number; groups?: number }): TenantSnapshot {
  return {
    [COLLECTIONS.configurationPolicies]: Array.from({ length: opts.policies }, (_, i) => seededPolicy(i, opts.settings, opts.assignments ?? 2)),
    [COLLECTIONS.compliancePolicies]: [],
    [COLLECTIONS.mobileApps]: [],
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

/** A compiled-style configuration policy body for POST (valid against the pinned catalog). */
export function policyBody(name: string, description: string) {
  return {
    name,
    description,
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    templateReference: { templateId: "" },
    settings: [
      { "@odata.type": ODATA.setting, ...choiceSetting(`${WSL}allowwsl1`, `${WSL}allowwsl1_0`) },
      { "@odata.type": ODATA.setting, ...choiceSetting(`${WSL}allowdebugshell`, `${WSL}allowdebugshell_0`) },
    ],
  };
}

export const allDevices = { target: { "@odata.type": ODATA.allDevicesTarget } };
export { VIRTUAL_GROUP_IDS };

/** Test time scale: a 20 s throttling window lasts 100 ms. */
export const TIME_SCALE = 0.005;

export interface Harness {
  emulator: RunningEmulator;
  graph: GraphClient;
  client(opts?: Partial<GraphClientOptions> & { roles?: string[] }): GraphClient;
  stop(): Promise<void>;
}

export async function startHarness(seed?: TenantSnapshot, emulatorOpts: Parameters<typeof startEmulator>[0] = {}): Promise<Harness> {
  const emulator = await startEmulator({ seed, timeScale: TIME_SCALE, throttling: { enabled: true }, ...emulatorOpts });
  const clients: GraphClient[] = [];
  const client = (opts: Partial<GraphClientOptions> & { roles?: string[] } = {}) => {
    const { roles, ...rest } = opts;
    const c = createGraphClient({
      endpoint: emulator.baseUrl,
      credential: emulatorCredential(emulator, roles),
      ca: emulator.caCertPem,
      timeScale: emulatorOpts.timeScale ?? TIME_SCALE,
      ...rest,
    });
    clients.push(c);
    return c;
  };
  const graph = client();
  return {
    emulator,
    graph,
    client,
    stop: async () => {
      for (const c of clients) await c.close();
      await emulator.stop();
    },
  };
}
