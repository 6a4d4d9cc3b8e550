// `validate` (src/compile/conflicts.ts, on compiled documents) and `plan` (src/diff/conflicts.ts, on the
// tenant as it will be) judge setting conflicts between our own policies, both on the one settings walk
// (src/intune/setting-paths.ts) and its device nodes. They must find the same conflicts: the same pairs
// of policies (read out of the grouped conflicts), the same setting. Decided where they differ by design:
// `validate` errors only on certain overlaps (a common target, exclusions applied); targets whose overlap
// depends on group membership are `plan`'s "possible" conflicts, for a reviewer, and not compared here.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { findSettingConflicts } from "../../src/compile/conflicts";
import { computePlan } from "../../src/diff/plan";
import { allDevices, group, hyperVFirewall, settingsCatalogPolicy, wslPolicy } from "../../src";
import { emptySnapshot } from "../../src/model";
import { loaded } from "../compile/helpers";

const A = group({ id: "0d6b0c2e-1f1a-4c55-9a0e-3d1c4b7e8f01" });
const B = group({ id: "1e7c1d3f-2a2b-4d66-8b1f-4e2d5c8f9a02" });
const base = (id: string) => ({ id, displayName: id, description: "" });
const block = { enabled: true, defaultInbound: "block", defaultOutbound: "allow" } as const;
const rule = (action: "allow" | "block") => ({
  name: "SSH",
  direction: "in" as const,
  action,
  protocol: "tcp" as const,
  localPorts: ["22"],
});

const R = "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}";
/** Raw rules that share a name, so their entries are numbered rather than named. */
const sameNamedRules = (id: string, action: "0" | "1") =>
  settingsCatalogPolicy({
    ...base(id),
    settings: [
      {
        id: R,
        groups: [
          [
            { id: `${R}_name`, value: "SSH" },
            { id: `${R}_action`, value: action },
          ],
          [
            { id: `${R}_name`, value: "SSH" },
            { id: `${R}_direction`, value: "out" },
          ],
        ],
      },
    ],
    assignments: { include: [A] },
  });

const CASES: [string, Record<string, unknown>[]][] = [
  [
    "a switch set both ways for one group",
    [
      wslPolicy({ ...base("p"), wsl1: false, assignments: { include: [A] } }),
      wslPolicy({ ...base("q"), wsl1: true, assignments: { include: [A] } }),
    ],
  ],
  [
    "the same value",
    [
      wslPolicy({ ...base("p"), wsl1: false, assignments: { include: [A] } }),
      wslPolicy({ ...base("q"), wsl1: false, assignments: { include: [A] } }),
    ],
  ],
  [
    "disjoint groups",
    [
      wslPolicy({ ...base("p"), wsl1: false, assignments: { include: [A] } }),
      wslPolicy({ ...base("q"), wsl1: true, assignments: { include: [B] } }),
    ],
  ],
  [
    "one excludes the other's group",
    [
      wslPolicy({ ...base("p"), wsl1: false, assignments: { include: [A] } }),
      wslPolicy({ ...base("q"), wsl1: true, assignments: { include: [A, B], exclude: [A] } }),
    ],
  ],
  [
    "all devices against a group",
    [
      wslPolicy({ ...base("p"), wsl: true, assignments: { include: [allDevices], broad: true } }),
      wslPolicy({ ...base("q"), wsl: false, assignments: { include: [A] } }),
    ],
  ],
  [
    "a nested child (networking mode)",
    [
      wslPolicy({ ...base("p"), defaultNetworkingMode: "mirrored", assignments: { include: [A] } }),
      wslPolicy({ ...base("q"), defaultNetworkingMode: "nat", assignments: { include: [A] } }),
    ],
  ],
  [
    "the Hyper-V VM block",
    [
      hyperVFirewall({ ...base("p"), profiles: { public: block }, assignments: { include: [A] } }),
      hyperVFirewall({
        ...base("q"),
        profiles: { public: { ...block, defaultInbound: "allow" } },
        assignments: { include: [A] },
      }),
    ],
  ],
  [
    "firewall rules of the same name (each rule is its own CSP instance)",
    [
      hyperVFirewall({ ...base("p"), rules: [rule("allow")], assignments: { include: [A] } }),
      hyperVFirewall({ ...base("q"), rules: [rule("block")], assignments: { include: [A] } }),
    ],
  ],
  // plan used to collide the first of numbered entries; rules are separate CSP instances whatever their names
  ["firewall rules that share a name within each policy", [sameNamedRules("p", "1"), sameNamedRules("q", "0")]],
];

function validateConflicts(inputs: Record<string, unknown>[]): string[] {
  const { desired } = compile(
    inputs.map((i) => loaded(i)),
    { stack: "t" },
  );
  return findSettingConflicts(desired.objects)
    .flatMap((c) =>
      pairsOf(c.policies.map((p) => [p.object.policyId, p.value] as const)).map(
        (pair) => `${pair}|${c.settingDefinitionId.toLowerCase()}`,
      ),
    )
    .sort();
}

function planConflicts(inputs: Record<string, unknown>[]): string[] {
  const { desired } = compile(
    inputs.map((i) => loaded(i)),
    { stack: "t" },
  );
  const plan = computePlan({
    desired,
    live: emptySnapshot(),
    tenant: { kind: "snapshot", label: "t", tenantId: null, endpoint: null },
  });
  return plan.conflicts
    .filter((c) => c.overlap === "certain")
    .flatMap((c) =>
      pairsOf(c.policies.map((p) => [p.policyId!, JSON.stringify(p.rawValue)] as const)).map(
        (pair) => `${pair}|${c.definitionId}`,
      ),
    )
    .sort();
}

/** The conflicting pairs of a certain conflict: every two of its policies with different values. */
function pairsOf(policies: readonly (readonly [string, string])[]): string[] {
  const out: string[] = [];
  policies.forEach(([a, va], i) =>
    policies.slice(i + 1).forEach(([b, vb]) => {
      if (va !== vb) out.push([a, b].sort().join("|"));
    }),
  );
  return out;
}

describe("validate and plan find the same conflicts between our policies", () => {
  it.each(CASES)("%s", (_name, inputs) => {
    expect(planConflicts(inputs)).toEqual(validateConflicts(inputs));
  });

  it("and find some: the cases are not all conflict-free", () => {
    expect(CASES.filter(([, inputs]) => validateConflicts(inputs).length > 0).map(([name]) => name)).toEqual([
      "a switch set both ways for one group",
      "all devices against a group",
      "a nested child (networking mode)",
      "the Hyper-V VM block",
    ]);
  });
});
