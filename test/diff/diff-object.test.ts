// Per-object actions, setting and assignment labels, and the Pulumi detailed-diff paths of diffObject.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { diffObject } from "../../src/diff/diff-object";
import type { DesiredObject, JsonObject } from "../../src/model";
import { FILTER, GROUP_A, clone, ctx, desiredPolicy, getResponse, requestBody } from "./fixtures";

const choice = (id: string, option: string) => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: id,
    choiceSettingValue: { value: `${id}_${option}`, children: [] },
  },
});

function wslPolicy(options: Record<string, string>, extra: Partial<JsonObject> = {}): JsonObject {
  return { ...requestBody(), settings: Object.entries(options).map(([id, o]) => choice(id, o)), ...extra };
}

function live(doc: JsonObject, assignments: unknown[] = getResponse().assignments as unknown[]): JsonObject {
  return { ...clone(doc), id: "11111111-2222-3333-4444-555555555555", assignments: clone(assignments) as JsonObject[] };
}

describe("object actions", () => {
  it("create when nothing live matches, listing every setting as added", () => {
    const change = diffObject(desiredPolicy(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" })), undefined, ctx);
    expect(change.action).toBe("create");
    expect(change.settings).toMatchObject([{ change: "added", label: "Allow WSL1", after: "Disabled", before: null }]);
    expect(change.assignments.map((a) => a.label)).toEqual([
      'exclude group "Kiosk Devices"',
      'include group "Developer Workstations" (filter include "Windows 11 corporate")',
    ]);
  });

  it("update with 'Allow WSL1: Enabled → Disabled' and the detailed-diff path", () => {
    const desired = desiredPolicy(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" }));
    const change = diffObject(desired, live(wslPolicy({ [settingIds.wsl.allowWsl1]: "1" })), ctx);
    expect(change.action).toBe("update");
    const s = change.settings[0]!;
    expect(`${s.label}: ${s.before} → ${s.after}`).toBe("Allow WSL1: Enabled → Disabled");
    expect(change.diffPaths).toEqual([`settings["${settingIds.wsl.allowWsl1}"]`]);
    expect(change.replacePaths).toEqual([]);
  });

  it("metadata changes: name and description", () => {
    const desired = desiredPolicy(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" }));
    const change = diffObject(desired, live(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" }, { name: "Old name" })), ctx);
    expect(change.action).toBe("update");
    expect(change.metadata).toEqual([{ field: "name", before: "Old name", after: "PaC - WIN - Defender AV baseline" }]);
    expect(change.diffPaths).toEqual(["name"]);
  });

  it.each([
    ["platforms", { platforms: "macOS" }, "platforms"],
    ["technologies", { technologies: "mdm,microsoftSense" }, "technologies"],
    ["template", { templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" } }, "templateReference"],
  ])("replace when %s changed (Graph refuses it in place)", (_n, liveExtra, path) => {
    const doc = wslPolicy({ [settingIds.wsl.allowWsl1]: "0" });
    const change = diffObject(desiredPolicy(doc), live({ ...doc, ...liveExtra } as JsonObject), ctx);
    expect(change.action).toBe("replace");
    expect(change.replacePaths).toEqual([path]);
    expect(change.diffPaths).toContain(path);
  });

  it("replace when the @odata.type of a compliance policy changed", () => {
    const desired: DesiredObject = {
      ...desiredPolicy(),
      kind: "compliancePolicy",
      document: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: "X", description: "d" },
      assignments: [],
    };
    const change = diffObject(
      desired,
      { "@odata.type": "#microsoft.graph.windows81CompliancePolicy", id: "x", displayName: "X", description: "d" },
      ctx,
    );
    expect(change.action).toBe("replace");
    expect(change.replacePaths).toEqual(["@odata.type"]);
  });

  it("delete only a managed object of this stack; never an unmanaged one or another stack's", () => {
    const doc = live(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" }));
    expect(diffObject(undefined, doc, ctx)).toMatchObject({
      action: "delete",
      ownership: "orphaned",
      policyId: "defender-av",
    });
    expect(diffObject(undefined, { ...doc, description: "made in the portal" }, ctx)).toMatchObject({
      action: "unchanged",
      ownership: "unmanaged",
    });
    const other = diffObject(undefined, { ...doc, description: "x\n\n[wslpolicy:prod/defender-av]" }, ctx);
    expect(other).toMatchObject({ action: "unchanged", ownership: "unmanaged" });
    expect(other.notes[0]).toMatch(/managed by stack 'prod'/);
  });

  it("assignment changes name groups and filters; pending rings say the stack creates them", () => {
    const desired = desiredPolicy(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" }));
    desired.assignments = [
      {
        target: { kind: "group", name: "Developer Workstations" },
        exclude: false,
        filter: { name: "Windows 11 corporate", mode: "exclude" },
      },
      { target: { kind: "ring", name: "WSL Ring 1 - Pilot" }, exclude: false },
    ];
    const change = diffObject(desired, live(wslPolicy({ [settingIds.wsl.allowWsl1]: "0" })), ctx);
    expect(change.assignments.map((a) => `${a.change} ${a.label}`).sort()).toEqual([
      'added include group "Developer Workstations" (filter exclude "Windows 11 corporate")',
      'added include ring group "WSL Ring 1 - Pilot" (created by this stack)',
      'removed exclude group "Kiosk Devices"',
      'removed include group "Developer Workstations" (filter include "Windows 11 corporate")',
    ]);
    expect(change.diffPaths).toEqual(["assignments"]);
  });

  it("an assignment to a group that does not exist is an error, not a silent omission", () => {
    const desired = desiredPolicy();
    desired.assignments = [{ target: { kind: "group", name: "No Such Group" }, exclude: false }];
    expect(diffObject(desired, undefined, ctx).errors[0]).toMatch(/No Such Group.*not found/);
  });

  it("adopted objects keep their id and gain the marker as a description change", () => {
    const desired = { ...desiredPolicy(), adoptId: "11111111-2222-3333-4444-555555555555" };
    const change = diffObject(desired, live({ ...requestBody(), description: "portal text" }), ctx);
    expect(change).toMatchObject({ action: "update", adopted: true, liveId: "11111111-2222-3333-4444-555555555555" });
    expect(change.metadata.map((m) => m.field)).toEqual(["description"]);
  });
});

describe("setting labels from the catalog", () => {
  it("per-profile firewall settings are told apart", () => {
    const id = settingIds.hyperVVm.profile("public").defaultInboundAction;
    const desired = desiredPolicy(wslPolicy({ [id]: "1" }));
    const change = diffObject(desired, live(wslPolicy({ [id]: "0" })), ctx);
    expect(change.settings[0]).toMatchObject({
      label: "Default Inbound Action (HyperVVMSettings/PublicProfile)",
      before: "Allow Inbound By Default",
      after: "Block Inbound By Default",
    });
  });

  it("settings outside the pinned catalog fall back to their id", () => {
    const change = diffObject(desiredPolicy(), live({ ...requestBody(), settings: [] }), ctx);
    expect(change.settings.map((s) => s.label)).toContain("device_vendor_msft_policy_config_defender_avgcpuloadfactor");
  });
});

describe("compliance policies and apps", () => {
  const compliance = (extra: JsonObject = {}): JsonObject => ({
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    displayName: "Win - WSL - Approved distributions",
    description: "x\n\n[wslpolicy:local/distros]",
    wslDistributions: [
      {
        "@odata.type": "#microsoft.graph.wslDistributionConfiguration",
        distribution: "Ubuntu",
        minimumOSVersion: "22.04",
        maximumOSVersion: "24.04",
      },
      {
        "@odata.type": "#microsoft.graph.wslDistributionConfiguration",
        distribution: "Debian",
        minimumOSVersion: "12",
      },
    ],
    ...extra,
  });
  const desired: DesiredObject = {
    kind: "compliancePolicy",
    policyId: "distros",
    resourceName: "distros",
    displayName: "d",
    sourceFile: "d.ts",
    document: compliance(),
    assignments: [],
  };

  it("ignores the generated WSL compliance script, server fields, list order and nested @odata.type", () => {
    const l = compliance({
      id: "c1",
      version: 3,
      createdDateTime: "2026-01-01T00:00:00Z",
      deviceCompliancePolicyScript: { deviceComplianceScriptId: "abc", rulesContent: "e30=" },
      customComplianceRequired: true,
      passwordRequired: false,
      wslDistributions: [
        { distribution: "Debian", minimumOSVersion: "12", maximumOSVersion: null },
        { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
      ],
      assignments: [],
    });
    expect(diffObject(desired, l, ctx).action).toBe("unchanged");
  });

  it("sees a distribution removed in the portal, and '' vs [] is no change (CIPP #5032)", () => {
    const l = compliance({ id: "c1", wslDistributions: [{ distribution: "Debian", minimumOSVersion: "12" }] });
    expect(diffObject(desired, l, ctx).properties.map((p) => p.field)).toEqual(["wslDistributions"]);
    const none: DesiredObject = { ...desired, document: compliance({ wslDistributions: [] }) };
    expect(
      diffObject(none, compliance({ id: "c1", wslDistributions: "" as unknown as JsonObject[] }), ctx).action,
    ).toBe("unchanged");
  });

  it("apps: publishing/upload state, sizes and counts never count; install-time date formats are equal", () => {
    const doc: JsonObject = {
      "@odata.type": "#microsoft.graph.win32LobApp",
      displayName: "Defender plug-in",
      description: "x\n\n[wslpolicy:local/plugin]",
      fileName: "a.intunewin",
    };
    const app: DesiredObject = {
      kind: "mobileApp",
      policyId: "plugin",
      resourceName: "plugin",
      displayName: "Defender plug-in",
      sourceFile: "p.ts",
      document: doc,
      assignments: [
        {
          target: { kind: "groupId", id: GROUP_A },
          exclude: false,
          app: {
            intent: "required",
            installTime: {
              useLocalTime: false,
              startDateTime: "2027-01-10T08:00:00Z",
              deadlineDateTime: "2027-01-17T08:00:00Z",
            },
          },
        },
      ],
    };
    const l: JsonObject = {
      ...doc,
      id: "a1",
      publishingState: "published",
      uploadState: "commitFileSuccess",
      committedContentVersion: "1",
      size: 123,
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      isAssigned: true,
      assignments: [
        {
          id: "a1_x",
          intent: "required",
          target: {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: GROUP_A,
            deviceAndAppManagementAssignmentFilterId: null,
            deviceAndAppManagementAssignmentFilterType: "none",
          },
          settings: {
            "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings",
            notifications: "showAll",
            deliveryOptimizationPriority: "notConfigured",
            restartSettings: null,
            autoUpdateSettings: null,
            installTimeSettings: {
              useLocalTime: false,
              startDateTime: "2027-01-10T08:00:00.0000000Z",
              deadlineDateTime: "2027-01-17T08:00:00.0000000Z",
            },
          },
        },
      ],
    };
    expect(diffObject(app, l, ctx).action).toBe("unchanged");
    const moved = clone(l) as { assignments: { settings: { installTimeSettings: { deadlineDateTime: string } } }[] };
    moved.assignments[0]!.settings.installTimeSettings.deadlineDateTime = "2027-01-24T08:00:00.0000000Z";
    const change = diffObject(app, moved as unknown as JsonObject, ctx);
    expect(change.assignments).toMatchObject([
      { change: "changed", label: 'include group "Developer Workstations" [required]' },
    ]);
  });

  it("a filter on the live assignment that desired does not have is a change", () => {
    const desired2 = desiredPolicy();
    desired2.assignments = [{ target: { kind: "groupId", id: GROUP_A }, exclude: false }];
    const l = live(requestBody(), [
      {
        target: {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          groupId: GROUP_A,
          deviceAndAppManagementAssignmentFilterId: FILTER,
          deviceAndAppManagementAssignmentFilterType: "include",
        },
      },
    ]);
    expect(
      diffObject(desired2, l, ctx)
        .assignments.map((a) => a.change)
        .sort(),
    ).toEqual(["added", "removed"]);
  });
});
