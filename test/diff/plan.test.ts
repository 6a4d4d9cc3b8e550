// The plan over a whole tenant: matching by marker and adopt id, deletes only of this stack's objects,
// conflicts with other policies (managed or not) for overlapping targets, and the risks of each change.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { computeDrift } from "../../src/diff/drift";
import { computePlan } from "../../src/diff/plan";
import {
  COLLECTIONS,
  emptySnapshot,
  type AssignmentIntent,
  type DesiredObject,
  type DesiredState,
  type JsonObject,
  type TenantSnapshot,
} from "../../src/model";

const RINGS = "4b0f4a6c-5d5e-4a99-9e4c-7b5a8f1c2d05";
const WORKSTATIONS = "0d6b0c2e-1f1a-4c55-9a0e-3d1c4b7e8f01";
const OTHER = "1e7c1d3f-2a2b-4d66-8b1f-4e2d5c8f9a02";
const tenant = { kind: "snapshot" as const, label: "test", tenantId: null, endpoint: null };

const choice = (id: string, option: string) => ({
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: id,
    choiceSettingValue: { value: `${id}_${option}`, children: [] },
  },
});

function doc(name: string, settings: Record<string, string>, description = ""): JsonObject {
  return {
    name,
    description,
    platforms: "windows10",
    technologies: "mdm",
    roleScopeTagIds: ["0"],
    settings: Object.entries(settings).map(([id, o]) => choice(id, o)),
  };
}

function declared(
  policyId: string,
  settings: Record<string, string>,
  assignments: AssignmentIntent[],
  stack = "local",
): DesiredObject {
  return {
    kind: "configurationPolicy",
    policyId,
    resourceName: policyId,
    displayName: policyId,
    sourceFile: `${policyId}.ts`,
    document: doc(policyId, settings, `d\n\n[wslpolicy:${stack}/${policyId}]`),
    assignments,
  };
}

const include = (id: string): AssignmentIntent => ({ target: { kind: "groupId", id }, exclude: false });
const exclude = (id: string): AssignmentIntent => ({ target: { kind: "groupId", id }, exclude: true });
const toTarget = (a: AssignmentIntent): JsonObject =>
  a.target.kind === "allDevices"
    ? { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }
    : {
        target: {
          "@odata.type": `#microsoft.graph.${a.exclude ? "exclusionGroupAssignmentTarget" : "groupAssignmentTarget"}`,
          groupId: a.target.kind === "groupId" ? a.target.id : "",
        },
      };

function liveOf(
  id: string,
  name: string,
  settings: Record<string, string>,
  assignments: AssignmentIntent[],
  description = "",
): JsonObject {
  return { ...doc(name, settings, description), id, assignments: assignments.map(toTarget) };
}

function snapshot(policies: JsonObject[]): TenantSnapshot {
  const s = emptySnapshot();
  s[COLLECTIONS.groups] = [
    { id: RINGS, displayName: "WSL Ring 1 - Pilot" },
    { id: WORKSTATIONS, displayName: "All Windows Workstations" },
    { id: OTHER, displayName: "Platform Engineering" },
  ];
  s[COLLECTIONS.configurationPolicies] = policies as TenantSnapshot["deviceManagement/configurationPolicies"];
  return s;
}

const WSL1 = settingIds.wsl.allowWsl1;
const ALLOW = settingIds.wsl.allowWsl;

describe("matching and ownership", () => {
  it("matches by marker, deletes this stack's undeclared objects, leaves other stacks and the portal alone", () => {
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [declared("devs", { [WSL1]: "0" }, [include(RINGS)])],
    };
    const plan = computePlan({
      desired,
      tenant,
      live: snapshot([
        liveOf("a", "devs", { [WSL1]: "0" }, [include(RINGS)], "d\n\n[wslpolicy:local/devs]"),
        liveOf("b", "old pilot", { [ALLOW]: "1" }, [include(RINGS)], "x\n\n[wslpolicy:local/old-pilot]"),
        liveOf("c", "prod's", { [ALLOW]: "1" }, [], "x\n\n[wslpolicy:prod/devs]"),
        liveOf("d", "portal", { [settingIds.wsl.allowDebugShell]: "1" }, []),
      ]),
    });
    expect(plan.changes.map((c) => [c.key, c.action])).toEqual([
      ["configurationPolicy/devs", "unchanged"],
      ["configurationPolicy/id:b", "delete"],
    ]);
    expect(plan.summary).toMatchObject({ delete: 1, unchanged: 1, hasChanges: true });
    expect(plan.risks).toMatchObject([{ rule: "managed-object-deleted", object: "configurationPolicy/id:b" }]);
  });

  it("two objects carrying the same marker are an error, not a guess", () => {
    const desired: DesiredState = { stack: "local", rings: [], objects: [declared("devs", { [WSL1]: "0" }, [])] };
    const m = "d\n\n[wslpolicy:local/devs]";
    const plan = computePlan({
      desired,
      tenant,
      live: snapshot([liveOf("a", "devs", { [WSL1]: "0" }, [], m), liveOf("b", "devs", { [WSL1]: "0" }, [], m)]),
    });
    expect(plan.errors[0]).toMatch(/2 objects .* carry the marker \[wslpolicy:local\/devs\]/);
  });

  it("an adopted policy whose marker another object still carries says so, instead of leaving the twin unmentioned", () => {
    const adoptId = "77777777-7777-4777-8777-777777777777";
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [{ ...declared("devs", { [WSL1]: "0" }, []), adoptId }],
    };
    const plan = computePlan({
      desired,
      tenant,
      live: snapshot([
        liveOf(adoptId, "portal devs", { [WSL1]: "0" }, []),
        liveOf("b", "devs", { [WSL1]: "0" }, [], "d\n\n[wslpolicy:local/devs]"),
      ]),
    });
    expect(plan.changes.find((c) => c.policyId === "devs")?.liveId).toBe(adoptId);
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /adopts 77777777-.*, but b also carries the marker \[wslpolicy:local\/devs\] and is left as it is/,
      ),
    ]);
  });

  it("an adopt id that does not exist is an error", () => {
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [{ ...declared("devs", { [WSL1]: "0" }, []), adoptId: "99999999-9999-9999-9999-999999999999" }],
    };
    expect(computePlan({ desired, tenant, live: snapshot([]) }).errors[0]).toMatch(/adopt id 99999999-.* not found/);
  });
});

describe("conflicts", () => {
  const devs = declared("devs", { [WSL1]: "0", [ALLOW]: "1" }, [include(RINGS)]);
  const plan = (others: JsonObject[], objects: DesiredObject[] = [devs]) =>
    computePlan({ desired: { stack: "local", rings: [], objects }, tenant, live: snapshot(others) });

  it("a portal policy for all devices setting a different value: certain, with both names, the setting and both values", () => {
    const p = plan([
      liveOf("p", "Legacy exceptions", { [WSL1]: "1" }, [{ target: { kind: "allDevices" }, exclude: false }]),
    ]);
    expect(p.conflicts).toMatchObject([
      {
        setting: "Allow WSL1",
        overlap: "certain",
        policies: [
          { name: "devs", value: "Disabled", policyId: "devs" },
          { name: "Legacy exceptions", value: "Enabled", managedBy: null, liveId: "p", policyId: null },
        ],
      },
    ]);
  });

  it("the same value is no conflict; a group the other policy excludes is no overlap", () => {
    expect(
      plan([liveOf("p", "same", { [WSL1]: "0" }, [{ target: { kind: "allDevices" }, exclude: false }])]).conflicts,
    ).toEqual([]);
    expect(plan([liveOf("p", "off", { [ALLOW]: "0" }, [include(WORKSTATIONS), exclude(RINGS)])]).conflicts).toEqual([]);
  });

  it("different groups whose membership is not known: a possible conflict, each policy with its groups", () => {
    const p = plan([liveOf("p", "platform", { [ALLOW]: "0" }, [include(OTHER)])]);
    expect(p.conflicts).toMatchObject([
      {
        setting: "Allow the Windows Subsystem for Linux",
        overlap: "possible",
        targets: ['group "Platform Engineering"', 'group "WSL Ring 1 - Pilot"'],
        policies: [
          { name: "devs", assignments: ['include group "WSL Ring 1 - Pilot"'] },
          { name: "platform", assignments: ['include group "Platform Engineering"'] },
        ],
      },
    ]);
  });

  it("another wslpolicy stack's policy and our own policies on one group are one conflict listing all three", () => {
    const p = plan(
      [liveOf("p", "prod devs", { [WSL1]: "1" }, [include(RINGS)], "x\n\n[wslpolicy:prod/devs]")],
      [devs, declared("more", { [WSL1]: "1" }, [include(RINGS)])],
    );
    expect(p.conflicts.map((c) => [c.overlap, c.policies.map((q) => [q.name, q.policyId, q.managedBy])])).toEqual([
      [
        "certain",
        [
          ["devs", "devs", null],
          ["more", "more", null],
          ["prod devs", null, "prod/devs"],
        ],
      ],
    ]);
    expect(p.summary.conflicts).toBe(1);
    expect(p.conflicts[0]!.overlaps).toEqual([['group "WSL Ring 1 - Pilot"']]);
  });

  it("a policy meeting ours on several groups is one conflict naming every group where they meet", () => {
    const p = plan(
      [liveOf("p", "portal", { [WSL1]: "1" }, [{ target: { kind: "allDevices" }, exclude: false }])],
      [declared("devs", { [WSL1]: "0" }, [include(RINGS), include(WORKSTATIONS)])],
    );
    expect(p.conflicts).toMatchObject([
      { overlap: "certain", targets: ['group "All Windows Workstations"', 'group "WSL Ring 1 - Pilot"'] },
    ]);
    // and, for each, both sides of the overlap: our group and the other policy's all devices
    expect(p.conflicts[0]!.overlaps).toEqual([
      ['group "All Windows Workstations"', "all devices"],
      ['group "WSL Ring 1 - Pilot"', "all devices"],
    ]);
  });

  it("two portal policies that disagree with each other but not with ours are not our conflict", () => {
    const p = plan(
      [
        liveOf("p", "portal on", { [ALLOW]: "1" }, [include(RINGS)]),
        liveOf("q", "portal off", { [ALLOW]: "0" }, [include(RINGS)]),
      ],
      [declared("devs", { [WSL1]: "0" }, [include(RINGS)])],
    );
    expect(p.conflicts).toEqual([]);
  });

  // One VM settings entry is the CSP node of one VM creator (its `target`), so entries of two policies collide
  // per creator, wherever the entry sorts (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp).
  it("Hyper-V VM settings collide per VM creator target, not by the entry's position", () => {
    const vm = settingIds.hyperVVm;
    const inbound = vm.profile("public").defaultInboundAction;
    const entry = (target: string, action: string) => ({
      children: [choice(vm.target, target).settingInstance, choice(inbound, action).settingInstance],
    });
    const vmDoc = (entries: ReturnType<typeof entry>[]) => ({
      settings: [
        {
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
            settingDefinitionId: vm.group,
            groupSettingCollectionValue: entries,
          },
        },
      ],
    });
    const ours = declared("fw", {}, [include(RINGS)]);
    ours.document = { ...ours.document, ...vmDoc([entry("wsl", "1")]) };
    const portal = (entries: ReturnType<typeof entry>[]) => ({
      ...liveOf("p", "portal fw", {}, [include(RINGS)]),
      ...vmDoc(entries),
    });
    // another VM creator's entry, alone in its policy, is not our node
    expect(plan([portal([entry("other", "0")])], [ours]).conflicts).toEqual([]);
    // WSL's entry collides even when another creator's entry sorts before it
    expect(plan([portal([entry("other", "1"), entry("wsl", "0")])], [ours]).conflicts).toMatchObject([
      { definitionId: inbound, overlap: "certain", policies: [{ name: "fw" }, { name: "portal fw" }] },
    ]);
  });

  it("an unassigned policy reaches nobody: no conflict", () => {
    expect(plan([liveOf("p", "unassigned", { [WSL1]: "1" }, [])]).conflicts).toEqual([]);
  });
});

describe("risks, flagged on the change that causes them", () => {
  const vm = settingIds.hyperVVm;
  const cases: [string, Record<string, string>, Record<string, string>, string][] = [
    ["wsl1-enabled", { [WSL1]: "0" }, { [WSL1]: "1" }, "Allow WSL1: Disabled → Enabled"],
    [
      "wsl-allowed-more-widely",
      { [ALLOW]: "0" },
      { [ALLOW]: "1" },
      "Allow the Windows Subsystem for Linux: Disabled → Enabled",
    ],
    [
      "firewall-profile-disabled",
      { [vm.profile("public").enableFirewall]: "true" },
      { [vm.profile("public").enableFirewall]: "false" },
      "True → False",
    ],
    [
      "firewall-inbound-allowed",
      { [vm.profile("domain").defaultInboundAction]: "1" },
      { [vm.profile("domain").defaultInboundAction]: "0" },
      "Block Inbound By Default → Allow Inbound By Default",
    ],
    [
      "loopback-opened",
      { [vm.enableLoopback]: "false" },
      { [vm.enableLoopback]: "true" },
      "Disable loopback → Enable loopback",
    ],
  ];
  it.each(cases)("%s", (rule, before, after, text) => {
    const desired: DesiredState = { stack: "local", rings: [], objects: [declared("p", after, [include(RINGS)])] };
    const p = computePlan({
      desired,
      tenant,
      live: snapshot([liveOf("a", "p", before, [include(RINGS)], "d\n\n[wslpolicy:local/p]")]),
    });
    expect(p.risks).toHaveLength(1);
    expect(p.risks[0]).toMatchObject({ rule, object: "configurationPolicy/p" });
    expect(p.risks[0]!.message).toContain(text);
    // the reverse change is no risk
    const back = computePlan({
      desired: { ...desired, objects: [declared("p", before, [include(RINGS)])] },
      tenant,
      live: snapshot([liveOf("a", "p", after, [include(RINGS)], "d\n\n[wslpolicy:local/p]")]),
    });
    expect(back.risks).toEqual([]);
  });

  it("assignment widened to all devices; WSL allowed for more devices", () => {
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [declared("p", { [ALLOW]: "1" }, [include(RINGS), { target: { kind: "allDevices" }, exclude: false }])],
    };
    const p = computePlan({
      desired,
      tenant,
      live: snapshot([liveOf("a", "p", { [ALLOW]: "1" }, [include(RINGS)], "d\n\n[wslpolicy:local/p]")]),
    });
    expect(p.risks.map((r) => r.rule).sort()).toEqual(["assignment-widened", "wsl-allowed-more-widely"]);
  });

  it("the Defender plug-in unassigned from a ring", () => {
    const app: DesiredObject = {
      kind: "mobileApp",
      policyId: "plugin",
      resourceName: "plugin",
      displayName: "Microsoft Defender for Endpoint plug-in for WSL",
      sourceFile: "p.ts",
      document: {
        "@odata.type": "#microsoft.graph.win32LobApp",
        displayName: "Microsoft Defender for Endpoint plug-in for WSL",
        description: "d\n\n[wslpolicy:local/plugin]",
      },
      assignments: [],
    };
    const live = snapshot([]);
    live[COLLECTIONS.mobileApps] = [
      {
        ...(app.document as { "@odata.type": string; displayName: string }),
        id: "app",
        assignments: [
          { intent: "required", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: RINGS } },
        ],
      },
    ];
    const p = computePlan({ desired: { stack: "local", rings: [], objects: [app] }, tenant, live });
    expect(p.risks).toMatchObject([
      {
        rule: "defender-plugin-unassigned",
        message: 'Defender plug-in for WSL no longer assigned: include group "WSL Ring 1 - Pilot" [required]',
      },
    ]);
  });
});

describe("drift reads the same differences from the declared side", () => {
  it("a portal flip reads Disabled (declared) → Enabled (tenant), is a risk, and drift counts conflicts", () => {
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [declared("off", { [ALLOW]: "0" }, [include(WORKSTATIONS)])],
    };
    const live = snapshot([
      liveOf("a", "off", { [ALLOW]: "1" }, [include(WORKSTATIONS)], "d\n\n[wslpolicy:local/off]"),
      liveOf("p", "portal", { [ALLOW]: "1" }, [include(WORKSTATIONS)]),
    ]);
    const drift = computeDrift({ desired, tenant, live });
    expect(drift.mode).toBe("drift");
    expect(drift.changes[0]!.settings[0]).toMatchObject({ before: "Disabled", after: "Enabled" });
    expect(drift.risks.map((r) => r.rule)).toEqual(["wsl-allowed-more-widely"]);
    expect(drift.conflicts).toHaveLength(1);
    expect(drift.summary.hasChanges).toBe(true);
    // the plan of the same state proposes the fix, with no risk in it
    const plan = computePlan({ desired, tenant, live });
    expect(plan.changes[0]!.settings[0]).toMatchObject({ before: "Enabled", after: "Disabled" });
    expect(plan.risks).toEqual([]);
  });

  it("conflicts alone are drift, but not plan changes", () => {
    const desired: DesiredState = {
      stack: "local",
      rings: [],
      objects: [declared("off", { [ALLOW]: "0" }, [include(WORKSTATIONS)])],
    };
    const live = snapshot([
      liveOf("a", "off", { [ALLOW]: "0" }, [include(WORKSTATIONS)], "d\n\n[wslpolicy:local/off]"),
      liveOf("p", "portal", { [ALLOW]: "1" }, [include(WORKSTATIONS)]),
    ]);
    expect(computeDrift({ desired, tenant, live }).summary.hasChanges).toBe(true);
    expect(computePlan({ desired, tenant, live }).summary.hasChanges).toBe(false);
  });
});
