// Importing a WSL compliance policy keeps its other Windows compliance rules under management: each rule the
// tenant sets (BitLocker, Secure Boot, password, OS version …) becomes a typed `rules` entry, so plan after
// import shows only the ownership marker and a later portal change to one of them is drift. Rules at the
// value Graph reads back for "not set" (every property present at its default, as the public exports show:
// SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/CompliancePolicies/*.json) are left out;
// a property wslpolicy has no field for is named in a note, never dropped silently.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { COLLECTIONS, type TenantSnapshot } from "../../src/model";
import { readSnapshotFile } from "../../src/tenant";
import { REPO_ROOT } from "../policy/workspace";
import { cleanupWorkspaces, expectOnlyMarkers, roundTrip } from "./round-trip-helpers";

afterAll(cleanupWorkspaces);

// The export holds no Intune WSL plug-in app: a stack that deploys it some other way sets the guardrail to a
// warning (what strict import says about it is test/import/real-shape.test.ts's).
const NO_PLUGIN_IN_EXPORT = { "compliance-without-wsl-plugin": "warning" } as const;

const OIB = readSnapshotFile(path.join(REPO_ROOT, "test/fixtures/real-shape/oib-wsl.json"));

function withRules(extra: Record<string, unknown>): TenantSnapshot {
  const [policy] = OIB[COLLECTIONS.compliancePolicies];
  return {
    ...OIB,
    [COLLECTIONS.configurationPolicies]: [],
    [COLLECTIONS.compliancePolicies]: [{ ...policy!, ...extra }],
  };
}

const RULES = {
  bitLockerEnabled: true,
  secureBootEnabled: true,
  codeIntegrityEnabled: true,
  passwordRequired: true,
  passwordMinimumLength: 12,
  passwordRequiredType: "alphanumeric",
  osMinimumVersion: "10.0.22631.2861",
  validOperatingSystemBuildRanges: [
    {
      "@odata.type": "#microsoft.graph.operatingSystemVersionRange",
      description: null,
      lowestVersion: "10.0.22631.0",
      highestVersion: "10.0.26100.9999",
    },
  ],
};

describe("import of a compliance policy with other rules", () => {
  it("writes each rule the tenant sets into `rules` and plans to only the ownership marker", async () => {
    const snapshot = withRules(RULES);
    const { result, built, plan } = await roundTrip(snapshot, "rules", NO_PLUGIN_IN_EXPORT);
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [file] = result.files;
    expect(file!.kind).toBe("wslCompliance");
    expect(file!.policy).toMatchObject({
      rules: {
        bitLockerEnabled: true,
        secureBootEnabled: true,
        codeIntegrityEnabled: true,
        passwordRequired: true,
        passwordMinimumLength: 12,
        passwordRequiredType: "alphanumeric",
        osMinimumVersion: "10.0.22631.2861",
        validOperatingSystemBuildRanges: [{ lowestVersion: "10.0.22631.0", highestVersion: "10.0.26100.9999" }],
      },
    });
    // Rules at their "not set" value are not written.
    expect(Object.keys((file!.policy as { rules: object }).rules)).toHaveLength(8);
    expect(file!.notes).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "rules");
  });

  it("keeps the rules under management: a later portal change to one is a change in plan", async () => {
    const { built } = await roundTrip(withRules(RULES), "rules", NO_PLUGIN_IN_EXPORT);
    const changed = withRules({ ...RULES, bitLockerEnabled: false });
    const plan = computePlan({
      desired: built.desired,
      live: changed,
      tenant: { kind: "snapshot", label: "t", tenantId: null, endpoint: null },
    });
    const [change] = plan.changes;
    expect(change!.properties).toEqual([{ field: "bitLockerEnabled", before: false, after: true }]);
  });

  it("names every property it leaves out, with its value, instead of dropping it silently", async () => {
    const { result, plan } = await roundTrip(
      withRules({ ...RULES, wslPreviewRule: true, passwordMinimumLength: -1 }),
      "rules",
      NO_PLUGIN_IN_EXPORT,
    );
    const [file] = result.files;
    expect(file!.notes).toEqual([
      expect.stringMatching(
        /^left out: passwordMinimumLength = -1 \(not a value the rule takes\); wslpolicy neither changes nor compares it/,
      ),
      expect.stringMatching(/^left out: wslPreviewRule = true \(wslCompliance has no field for it\)/),
    ]);
    expect(file!.source).toContain("NOTE: left out: wslPreviewRule = true");
    expect(plan.changes[0]!.properties).toEqual([]);
  });
});
