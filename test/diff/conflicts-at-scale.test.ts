// Conflicts grow with the policies, not with the pairs among them: 400 managed policies on 20 groups,
// every other one with the other value, are a handful of conflicts per setting (one per group where they
// meet, one possible conflict across groups), each listing every policy involved.
import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { largePlanInput } from "./large-plan";

const tenant = { kind: "snapshot" as const, label: "generated", tenantId: null, endpoint: null };

describe("conflicts at scale", () => {
  const input = largePlanInput({ policies: 400, settings: 3, groups: 20, values: "alternate" });
  const plan = computePlan({ ...input, tenant });

  it("one certain conflict per setting and group, one possible conflict per setting", () => {
    expect(plan.conflicts.filter((c) => c.overlap === "certain")).toHaveLength(3 * 20);
    expect(plan.conflicts.filter((c) => c.overlap === "possible")).toHaveLength(3);
    expect(plan.summary.conflicts).toBe(3 * 20 + 3);
  });

  it("each lists every policy involved: on a group, the 40 policies that include it", () => {
    const certain = plan.conflicts.find((c) => c.overlap === "certain" && c.targets[0] === 'group "Group 0"')!;
    expect(certain.targets).toEqual(['group "Group 0"']);
    expect(certain.policies).toHaveLength(40);
    expect(new Set(certain.policies.map((p) => p.value))).toEqual(new Set(["Disabled", "Enabled"]));
    for (const c of plan.conflicts.filter((c) => c.overlap === "possible")) expect(c.policies).toHaveLength(400);
  });

  it("the same values everywhere are no conflict", () => {
    const same = largePlanInput({ policies: 400, settings: 3, groups: 20, values: "same" });
    expect(computePlan({ ...same, tenant }).conflicts).toEqual([]);
  });
});
