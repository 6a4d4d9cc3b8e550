// Two managed policies setting the same setting to different values for overlapping targets are an
// error naming both policies, both files, the setting and both values; disjoint targets are fine.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { findOverlap, targetSetOf, targetSetOfGraphTargets, walkSettings } from "../../src/intune";
import { compileAll } from "./helpers";

const group = (name: string) => ({ kind: "group", name });
const wsl = (id: string, values: Record<string, unknown>, assignments: Record<string, unknown>) => ({
  kind: "wslPolicy",
  id,
  displayName: id,
  ...values,
  assignments,
});
const quiet = {
  guardrails: { "wsl-without-defender": "off", "wsl1-not-disabled": "off", "broad-assignment": "off" },
} as const;
const conflictsOf = (inputs: Record<string, unknown>[]) =>
  compileAll(inputs, quiet).diagnostics.filter((d) => d.severity === "error" && d.rule === undefined);

describe("setting conflicts between managed policies", () => {
  it("reports the same setting with different values for the same group", () => {
    const [d, ...rest] = conflictsOf([
      wsl("a", { wsl: true }, { include: [group("Devs")] }),
      wsl("b", { wsl: false }, { include: [group("Devs")] }),
    ]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "setting-conflict", severity: "error", file: "a.ts", path: "policy" });
    expect(d!.message).toBe(
      "policy 'a' sets \"Allow the Windows Subsystem for Linux\" to Enabled but policy 'b' (b.ts) sets it to Disabled, and their assignments overlap (group \"Devs\" in both); Intune applies neither value where they meet — make the targets disjoint (exclude one from the other) or agree on one value",
    );
  });

  it("treats all devices as overlapping any group unless that group is excluded", () => {
    expect(
      conflictsOf([
        wsl("a", { wsl1: true }, { include: [{ kind: "allDevices" }] }),
        wsl("b", { wsl1: false }, { include: [group("Devs")] }),
      ]),
    ).toHaveLength(1);
    expect(
      conflictsOf([
        wsl("a", { wsl1: true }, { include: [{ kind: "allDevices" }], exclude: [group("Devs")] }),
        wsl("b", { wsl1: false }, { include: [group("Devs")] }),
      ]),
    ).toEqual([]);
  });

  it("treats all users as overlapping everything", () => {
    expect(
      conflictsOf([
        wsl("a", { wsl1: true }, { include: [{ kind: "allUsers" }] }),
        wsl("b", { wsl1: false }, { include: [group("Devs")] }),
      ]),
    ).toHaveLength(1);
  });

  it("ignores different groups, equal values and a group a policy both includes and excludes", () => {
    expect(
      conflictsOf([
        wsl("a", { wsl: true }, { include: [group("Devs")] }),
        wsl("b", { wsl: false }, { include: [group("Ops")] }),
      ]),
    ).toEqual([]);
    expect(
      conflictsOf([
        wsl("a", { wsl: false }, { include: [group("Devs")] }),
        wsl("b", { wsl: false }, { include: [group("Devs")] }),
      ]),
    ).toEqual([]);
    expect(
      conflictsOf([
        wsl("a", { wsl: true }, { include: [group("Devs")], exclude: [group("Devs")] }),
        wsl("b", { wsl: false }, { include: [group("Devs")] }),
      ]),
    ).toEqual([]);
  });

  it("three policies on one group are one error naming all three, their files and values", () => {
    const errors = conflictsOf([
      wsl("a", { wsl: true }, { include: [group("Devs")] }),
      wsl("b", { wsl: false }, { include: [group("Devs")] }),
      wsl("c", { wsl: false }, { include: [group("Devs"), group("Ops")] }),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: "a.ts", path: "policy" });
    expect(errors[0]!.message).toContain(
      "policies 'a' (a.ts) Enabled, 'b' (b.ts) Disabled, 'c' (c.ts) Disabled set \"Allow the Windows Subsystem for Linux\" to different values, and their assignments all reach group \"Devs\"",
    );
  });

  it("matches a ring and a group of the same display name", () => {
    const ring = { kind: "ring", name: "WSL Ring 1 - Pilot", members: ["3f2b8c1e-6d4a-4e2f-9b7c-1a5d8e9f0c21"] };
    expect(
      conflictsOf([
        wsl("a", { wsl: true }, { include: [ring] }),
        wsl("b", { wsl: false }, { include: [group("WSL Ring 1 - Pilot")] }),
      ]),
    ).toHaveLength(1);
  });

  it("compares nested children: the same networking-mode parent with a different dropdown conflicts", () => {
    const [d] = conflictsOf([
      wsl("a", { defaultNetworkingMode: "nat" }, { include: [group("Devs")] }),
      wsl("b", { defaultNetworkingMode: "mirrored" }, { include: [group("Devs")] }),
    ]);
    expect(d!.message).toContain(
      "sets \"Default Networking Mode (Device)\" to NAT but policy 'b' (b.ts) sets it to Mirrored",
    );
  });

  it("compares Hyper-V VM settings within the WSL target, but never two policies' different rules", () => {
    const fw = (id: string, inbound: string, ruleName: string) => ({
      kind: "hyperVFirewall",
      id,
      displayName: id,
      profiles: { public: { enabled: true, defaultInbound: inbound } },
      rules: [{ name: ruleName, direction: "in", action: "allow" }],
      assignments: { include: [group("Devs")] },
    });
    const errors = conflictsOf([fw("a", "block", "one"), fw("b", "allow", "two")]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /"Default Inbound Action.*" to Block.* but policy 'b' \(b\.ts\) sets it to Allow/,
    );
  });

  it("compares Hyper-V VM settings across forms: an Endpoint security template policy and a Settings Catalog one conflict", () => {
    const fw = (id: string, form: string, inbound: string) => ({
      kind: "hyperVFirewall",
      id,
      displayName: id,
      form,
      profiles: { public: { enabled: true, defaultInbound: inbound } },
      assignments: { include: [group("Devs")] },
    });
    const errors = conflictsOf([fw("a", "endpointSecurity", "block"), fw("b", "settingsCatalog", "allow")]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /policy 'a' sets "Default Inbound Action" to Block.* but policy 'b' \(b\.ts\) sets it to Allow/,
    );
    expect(conflictsOf([fw("a", "endpointSecurity", "block"), fw("b", "settingsCatalog", "block")])).toEqual([]);
  });

  it("exports path flattening and overlap for tenant policies (Graph assignment targets by id)", () => {
    const { desired } = compileAll(
      [wsl("a", { wsl: true, defaultNetworkingMode: "mirrored" }, { include: [group("Devs")] })],
      quiet,
    );
    const flat = walkSettings(desired.objects[0]!.document.settings);
    expect(flat.map((f) => `${f.path} = ${String(f.leaf.value)}`)).toEqual([
      `${settingIds.wsl.allowWsl} = ${settingIds.wsl.allowWsl}_1`,
      `${settingIds.wsl.defaultNetworkingMode} = ${settingIds.wsl.defaultNetworkingMode}_1`,
      `${settingIds.wsl.defaultNetworkingMode}/${settingIds.wsl.defaultNetworkingModeDropdown} = ${settingIds.wsl.defaultNetworkingModeDropdown}_3`,
    ]);
    const tenant = targetSetOfGraphTargets([{ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }]);
    expect(findOverlap(targetSetOf(desired.objects[0]!.assignments), tenant)?.description).toBe(
      'group "Devs" and all devices',
    );
    const excluded = targetSetOfGraphTargets([
      { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "AAAA" },
      { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: "aaaa" },
    ]);
    expect(findOverlap(excluded, { include: ["id:aaaa"], exclude: [] })).toBeUndefined();
  });
});
