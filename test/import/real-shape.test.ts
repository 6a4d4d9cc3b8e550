// Real-shape fixtures (test/fixtures/real-shape/, made by its generate.ts in the read shape of public portal
// exports: SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/…): every example policy as Graph
// returns it after an apply plans with zero changes, and an OpenIntuneBaseline-shaped WSL policy and WSL
// compliance policy made in the portal import and plan to only the ownership marker, and so do Hyper-V firewall
// policies made from the Endpoint security templates (shaped like OpenIntuneBaseline's
// "Win - OIB - ES - Windows Firewall - D - Firewall Configuration - v3.1.json").
import { afterAll, describe, expect, it } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { COLLECTIONS } from "../../src/model";
import { readSnapshotFile } from "../../src/tenant";
import { desiredState } from "../diff/emulator-tenant";
import { EXAMPLES_FILE, EXAMPLES_STACK, OIB_FILE, OIB_HYPERV_FILE } from "../fixtures/real-shape/generate";
import { cleanupWorkspaces, expectOnlyMarkers, roundTrip } from "./round-trip-helpers";

afterAll(cleanupWorkspaces);

describe("real-shape exports", () => {
  it("every example policy, read back in the shape of real exports after apply, plans with zero changes", async () => {
    const live = readSnapshotFile(EXAMPLES_FILE);
    // The fixture really is in the read shape: setting envelopes with ids and null template references, the rule's
    // null name.
    const [setting] = live[COLLECTIONS.configurationPolicies][0]!.settings as {
      id: string;
      settingInstance: Record<string, unknown>;
    }[];
    expect(setting).toMatchObject({ id: "0", settingInstance: { settingInstanceTemplateReference: null } });
    expect(live[COLLECTIONS.compliancePolicies][0]!.scheduledActionsForRule).toEqual([
      expect.objectContaining({ ruleName: null }),
    ]);
    expect(live[COLLECTIONS.mobileApps][0]).toMatchObject({
      applicableArchitectures: "none",
      detectionRules: [expect.anything()],
      requirementRules: [],
    });

    const desired = await desiredState(EXAMPLES_STACK);
    const plan = computePlan({
      desired,
      live,
      tenant: { kind: "snapshot", label: "real-shape export", tenantId: null, endpoint: null },
    });
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => `${c.key} ${c.action}`).sort()).toEqual(
      desired.objects.map((o) => `${o.kind}/${o.policyId} unchanged`).sort(),
    );
    expect(plan.conflicts).toEqual([]);
  });

  it("an OpenIntuneBaseline-shaped WSL policy and compliance policy import and plan to only the ownership marker", async () => {
    const snapshot = readSnapshotFile(OIB_FILE);
    // The export holds no Intune WSL plug-in app, so the imported compliance policy says in its file that it
    // needs one (the guardrail is an error by default); a stack that deploys the plug-in some other way sets
    // the rule to a warning, and the files then validate and plan to only the markers.
    const strict = await roundTrip(snapshot, "oib");
    const compliance = strict.result.files.find((f) => f.kind === "wslCompliance")!;
    expect(compliance.source).toMatch(
      /NOTE: validation error \(fix before applying\): no Intune WSL plug-in deployment covers[\s\S]*\[compliance-without-wsl-plugin\]/,
    );
    expect(strict.built.diagnostics.filter((d) => d.severity === "error").map((d) => d.rule)).toEqual([
      "compliance-without-wsl-plugin",
    ]);
    const { result, built, plan } = await roundTrip(snapshot, "oib", { "compliance-without-wsl-plugin": "warning" });
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.files.map((f) => f.kind).sort()).toEqual(["wslCompliance", "wslPolicy"]);
    expect(result.files.find((f) => f.kind === "wslCompliance")!.source).toContain("gracePeriodHours: 12");
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "oib");
  });

  it("OpenIntuneBaseline-shaped Endpoint security Hyper-V firewall policies import as hyperVFirewall form endpointSecurity and plan to only the ownership marker", async () => {
    const snapshot = readSnapshotFile(OIB_HYPERV_FILE);
    const policies = snapshot[COLLECTIONS.configurationPolicies];
    // The fixture really is template-based, in the export's read shape.
    expect(policies.map((p) => p.templateReference?.templateDisplayName).sort()).toEqual([
      "Windows Firewall",
      "Windows Hyper-V Firewall Rules",
    ]);
    expect(policies[0]!.settings![0]!.settingInstance).toMatchObject({
      settingInstanceTemplateReference: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSettingInstanceTemplateReference",
      },
    });

    const { result, built, plan } = await roundTrip(snapshot, "oib");
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.files.map((f) => f.kind)).toEqual(["hyperVFirewall", "hyperVFirewall"]);
    for (const file of result.files) expect(file.source).toContain('form: "endpointSecurity"');
    const vm = result.files.find((f) => f.source.includes("profiles:"))!.source;
    expect(vm).toMatch(
      /public: \{ enabled: true, defaultInbound: "block", defaultOutbound: "allow", allowLocalPolicyMerge: false \}/,
    );
    expect(result.files.find((f) => f.source.includes("rules:"))!.source).toContain('name: "Block SMB out"');
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "oib");
  });
});
