// `wslpolicy drift` end to end: the real CLI in-process against a running emulator holding the applied
// example policies (test/diff/emulator-tenant.ts), connected the way a user connects to `wslpolicy
// emulator` (stack graphEndpoint + WSLPOLICY_EMULATOR_CA / WSLPOLICY_EMULATOR_TOKEN). Each scenario is a
// change made outside the tool; each must exit 2 and say what changed. A clean tenant exits 0, and a
// failed read exits 1 — never "clean", never drift.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";
import { planSchema, type Plan } from "../../src/diff/plan-schema";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { settingIds } from "../../src/catalog";
import { COLLECTIONS, type TenantSnapshot } from "../../src/model";
import { appliedTenant, POLICIES_DIR } from "../diff/emulator-tenant";

const STACK = "drifttest";
let applied: { snapshot: TenantSnapshot; ids: Map<string, string> };
let workdir: string;
let emulator: RunningEmulator | undefined;

async function drift(extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const e = emulator!;
  mkdirSync(path.join(workdir, "stacks"), { recursive: true });
  writeFileSync(
    path.join(workdir, "stacks", `Pulumi.${STACK}.yaml`),
    `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${e.baseUrl}\n  wslpolicy:policies: ${POLICIES_DIR}\n`,
  );
  return runCli(["drift", "--stack", STACK, ...extra], {
    cwd: workdir,
    env: { WSLPOLICY_EMULATOR_CA: e.caFile, WSLPOLICY_EMULATOR_TOKEN: e.issueToken() },
  });
}

async function driftJson(): Promise<{ code: number; report: Plan; stderr: string }> {
  const run = await drift(["--format", "json"]);
  return { code: run.code, report: planSchema.parse(JSON.parse(run.stdout)), stderr: run.stderr };
}

beforeAll(async () => {
  applied = await appliedTenant(STACK);
  workdir = mkdtempSync(path.join(tmpdir(), "wslpolicy-drift-"));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

async function freshTenant(): Promise<RunningEmulator> {
  emulator = await startEmulator({ seed: applied.snapshot, throttling: { enabled: false } });
  return emulator;
}
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe("wslpolicy drift against the emulator", () => {
  it("a tenant exactly as applied is clean: exit 0", async () => {
    await freshTenant();
    const { code, report } = await driftJson();
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ hasChanges: false, conflicts: 0, create: 0, update: 0, delete: 0 });
    expect(report.tenant.kind).toBe("emulator");
    expect(report.graphRequests).toBeGreaterThan(0);
  });

  it("a setting flipped in the portal: exit 2, with the setting, both values and the risk", async () => {
    const e = await freshTenant();
    e.state.updateConfigurationPolicy(applied.ids.get("wsl-developers")!, (p) => {
      for (const s of p.settings as {
        settingInstance: { settingDefinitionId: string; choiceSettingValue?: { value: string } };
      }[]) {
        if (s.settingInstance.settingDefinitionId === settingIds.wsl.allowWsl1)
          s.settingInstance.choiceSettingValue!.value = `${settingIds.wsl.allowWsl1}_1`;
      }
    });
    const { code, report } = await driftJson();
    expect(code).toBe(2);
    const change = report.changes.find((c) => c.policyId === "wsl-developers")!;
    expect(change.action).toBe("update");
    expect(change.settings).toMatchObject([
      { label: "Allow WSL1", before: "Disabled", after: "Enabled", change: "changed" },
    ]);
    expect(report.risks.map((r) => r.rule)).toContain("wsl1-enabled");
  });

  it("an assignment added in the portal: exit 2, naming the target", async () => {
    const e = await freshTenant();
    e.state.updateConfigurationPolicy(applied.ids.get("wsl-off")!, (p) => {
      (p.assignments as unknown[]).push({
        id: `${String(p.id)}_adadadad-808e-44e2-905a-0b7873a8a531`,
        source: "direct",
        sourceId: p.id,
        target: {
          "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: "none",
        },
      });
    });
    const { code, report } = await driftJson();
    expect(code).toBe(2);
    const change = report.changes.find((c) => c.policyId === "wsl-off")!;
    expect(change.assignments).toMatchObject([{ change: "added", label: "include all devices", target: "allDevices" }]);
    expect(change.settings).toEqual([]);
  });

  it("a managed policy deleted in the portal: exit 2, reported missing with a risk", async () => {
    const e = await freshTenant();
    e.state.deleteObject(COLLECTIONS.configurationPolicies, applied.ids.get("wsl-hyperv-firewall")!);
    const { code, report } = await driftJson();
    expect(code).toBe(2);
    expect(report.changes.find((c) => c.policyId === "wsl-hyperv-firewall")).toMatchObject({
      action: "create",
      liveId: null,
    });
    expect(report.risks.map((r) => r.rule)).toContain("managed-object-deleted");
    const text = await drift();
    expect(text.stdout).toMatch(/missing from the tenant: wsl-hyperv-firewall/);
  });

  it("an unmanaged policy that conflicts with a managed setting: exit 2, with both policies and values", async () => {
    const e = await freshTenant();
    e.state.addConfigurationPolicy({
      name: "Portal - WSL1 for everyone",
      settings: [
        {
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
            settingDefinitionId: settingIds.wsl.allowWsl1,
            choiceSettingValue: { value: `${settingIds.wsl.allowWsl1}_1`, children: [] },
          },
        },
      ],
      assignments: [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
    });
    const { code, report } = await driftJson();
    expect(code).toBe(2);
    expect(report.changes.every((c) => c.action === "unchanged")).toBe(true);
    expect(report.conflicts).toMatchObject([
      {
        setting: "Allow WSL1",
        policies: [
          { name: "Win - WSL - Developers", value: "Disabled" },
          { name: "Portal - WSL1 for everyone", value: "Enabled", managedBy: null },
        ],
        overlap: "certain",
      },
    ]);
  });

  it("a Graph 500 during the read is an error: exit 1 with the cause, no report", async () => {
    const e = await freshTenant();
    e.faults.add({ path: COLLECTIONS.configurationPolicies, kind: "500", times: 100 });
    const run = await drift(["--format", "json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/drift failed while reading the tenant: .*500/);
  });
});
