// Ring groups are collected from every assignment (deduplicated by name, sorted); one name with two
// memberships is an error. Assignment intents keep file order and carry filters.
import { describe, expect, it } from "vitest";
import { compileAll, DEFENDER_MSI, rings, WSL_PLUGIN_MSI } from "./helpers";

const distros = (id: string, assignments: Record<string, unknown>) => ({
  kind: "wslCompliance",
  id,
  displayName: id,
  distributions: [{ distribution: "Ubuntu" }],
  assignments,
  plugin: WSL_PLUGIN_MSI,
});

describe("ring definitions", () => {
  it("are collected once per name from includes, excludes and rollouts, sorted by name", () => {
    const { desired, diagnostics } = compileAll([
      distros("b", { include: [rings.early] }),
      distros("a", { include: [{ kind: "group", name: "G" }], exclude: [rings.pilot, rings.early] }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(desired.rings).toEqual([
      { name: rings.pilot.name, description: "", members: ["3f2b8c1e-6d4a-4e2f-9b7c-1a5d8e9f0c21"] },
      { name: rings.early.name, description: "", rule: rings.early.rule },
    ]);
  });

  it("rejects one ring name with two different memberships, naming both places", () => {
    const other = { ...rings.pilot, members: ["8a7d6e5f-4c3b-4a29-8187-6f5e4d3c2b1a"] };
    const { diagnostics } = compileAll([distros("a", { include: [rings.pilot] }), distros("b", { include: [other] })]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "ring-conflict",
        severity: "error",
        file: "b.ts",
        path: "policy.assignments.include[0]",
        message: expect.stringContaining("in a.ts (policy.assignments.include[0])"),
      }),
    ]);
  });

  it("treats member order and case as the same membership", () => {
    const a = {
      ...rings.pilot,
      members: ["AAAAAAAA-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"],
    };
    const b = {
      ...rings.pilot,
      members: ["aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000001"],
    };
    expect(compileAll([distros("a", { include: [a] }), distros("b", { include: [b] })]).diagnostics).toEqual([]);
  });

  it("rejects a rollout ring referenced by name that no policy defines", () => {
    const rollout = {
      kind: "defenderPluginRollout",
      id: "p",
      displayName: "p",
      package: DEFENDER_MSI,
      rings: [{ target: { kind: "ring", name: "Nowhere" } }],
    };
    expect(compileAll([rollout]).diagnostics).toEqual([
      expect.objectContaining({
        path: "policy.rings[0].target",
        message: expect.stringContaining('ring "Nowhere" is referenced but never defined'),
      }),
    ]);
  });
});

describe("assignment intents", () => {
  it("keep file order, apply the default filter to includes without their own, and give exclusions no filter", () => {
    const { desired } = compileAll([
      distros("a", {
        include: [
          { kind: "group", name: "G1" },
          {
            target: { kind: "groupId", id: "0D1E2F3A-4B5C-4D6E-8F70-8192A3B4C5D6" },
            filter: { id: "11111111-2222-4333-8444-555555555555", mode: "exclude" },
          },
        ],
        exclude: [{ kind: "group", name: "Kiosk Devices" }],
        filter: { name: "Windows 11 corporate", mode: "include" },
      }),
    ]);
    expect(desired.objects[0]!.assignments).toEqual([
      {
        target: { kind: "group", name: "G1" },
        exclude: false,
        filter: { name: "Windows 11 corporate", mode: "include" },
      },
      {
        target: { kind: "groupId", id: "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6" },
        exclude: false,
        filter: { id: "11111111-2222-4333-8444-555555555555", mode: "exclude" },
      },
      { target: { kind: "group", name: "Kiosk Devices" }, exclude: true },
    ]);
  });

  it("rejects duplicate policy ids and the reserved id 'manifest'", () => {
    const { diagnostics } = compileAll([
      distros("a", { include: [] }),
      distros("a", { include: [] }),
      distros("manifest", { include: [] }),
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("policy id 'a' is already used by a.ts"),
      expect.stringContaining("'manifest' is reserved"),
    ]);
  });

  it("rejects an invalid stack name before compiling anything", () => {
    const { desired, diagnostics } = compileAll([distros("a", { include: [] })], { stack: "bad stack" });
    expect(desired.objects).toEqual([]);
    expect(diagnostics[0]!.message).toContain("not a valid stack name");
  });
});
