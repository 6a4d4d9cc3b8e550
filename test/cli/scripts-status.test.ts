// `wslpolicy scripts status` end to end, and the emulator's run-state routes it reads. The shapes follow
// the Graph beta docs (microsoftgraph/microsoft-graph-docs-contrib, api-reference/beta/resources/):
//   intune-devices-devicehealthscriptdevicestate.md (detectionState, remediationState, managedDevice)
//   intune-devices-devicehealthscriptrunsummary.md (the *DeviceCount fields)
//   intune-devices-devicemanagementscriptdevicestate.md (runState, resultMessage, errorCode)
//   intune-devices-devicemanagementscriptrunsummary.md (success/error device and user counts)
// Devices are scripted in the emulator; the report must put each in its bucket and name it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { setScriptDeviceState, startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { distroProvisioning, group, wslUserSettings } from "../../src";
import { loaded } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "../diff/emulator-tenant";
import { runCli } from "./run-cli";

const STACK = "statustest";
let emulator: RunningEmulator;
let graph: GraphClient;
let ids: Map<string, string>;
let workdir: string;

beforeAll(async () => {
  const developers = group("Developer Workstations");
  const compiled = compile(
    [
      loaded(
        wslUserSettings({
          id: "wsl-user-settings",
          displayName: "WSL - user settings",
          dnsTunneling: true,
          assignments: { include: [developers] },
        }),
      ),
      loaded(
        distroProvisioning({
          id: "ubuntu-provisioning",
          displayName: "WSL - provisioning",
          defaultUser: { name: "dev" },
          assignments: { include: [developers] },
        }),
      ),
      // another stack's remediation: not this stack's to report
      loaded(
        wslUserSettings({
          id: "other",
          displayName: "Other stack",
          autoProxy: true,
          assignments: { include: [developers] },
        }),
      ),
    ],
    { stack: STACK },
  );
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  graph = clientFor(emulator);
  ids = await applyAll(graph, compiled.desired, groupsSeed(), emulator);
  const other = emulator.state.get("deviceManagement/deviceHealthScripts", ids.get("other")!)!;
  other.description = "[wslpolicy:elsewhere/other]";

  const remediation = ids.get("wsl-user-settings")!;
  const device = (n: number) => ({
    deviceId: `0000000${n}-0000-4000-8000-000000000000`,
    deviceName: `DEV-0${n}`,
    userPrincipalName: `user${n}@contoso.example`,
  });
  setScriptDeviceState(emulator.state, "deviceHealthScript", remediation, { ...device(1), runState: "success" });
  setScriptDeviceState(emulator.state, "deviceHealthScript", remediation, {
    ...device(2),
    runState: "fail",
    remediationState: "success",
  });
  setScriptDeviceState(emulator.state, "deviceHealthScript", remediation, {
    ...device(3),
    runState: "fail",
    remediationState: "remediationFailed",
  });
  setScriptDeviceState(emulator.state, "deviceHealthScript", remediation, { ...device(4), runState: "pending" });
  setScriptDeviceState(emulator.state, "deviceHealthScript", remediation, {
    ...device(5),
    runState: "fail",
    remediationState: "skipped",
  });
  const platform = ids.get("ubuntu-provisioning")!;
  setScriptDeviceState(emulator.state, "deviceManagementScript", platform, {
    ...device(1),
    runState: "success",
    output: "provisioning input present: ubuntu-all.user-data",
  });
  setScriptDeviceState(emulator.state, "deviceManagementScript", platform, {
    ...device(2),
    runState: "scriptError",
    errorCode: 1,
  });
  setScriptDeviceState(emulator.state, "deviceManagementScript", platform, { ...device(3), runState: "pending" });

  workdir = mkdtempSync(path.join(tmpdir(), "wslpolicy-scripts-"));
  mkdirSync(path.join(workdir, "stacks"));
  writeFileSync(
    path.join(workdir, "stacks", `Pulumi.${STACK}.yaml`),
    `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${emulator.baseUrl}\n`,
  );
});
afterAll(async () => {
  rmSync(workdir, { recursive: true, force: true });
  await graph.close();
  await emulator.stop();
});

const status = (
  extra: string[] = [],
  env = { WSLPOLICY_EMULATOR_CA: emulator.caFile, WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken() },
) => runCli(["scripts", "status", "--stack", STACK, ...extra], { cwd: workdir, env });

describe("the emulator's run-state routes", () => {
  it("a Remediation's run summary counts its devices under the documented names", async () => {
    const summary = await graph.get<Record<string, unknown>>(
      `deviceManagement/deviceHealthScripts/${ids.get("wsl-user-settings")}/runSummary`,
    );
    expect(summary).toMatchObject({
      noIssueDetectedDeviceCount: 1,
      issueDetectedDeviceCount: 3,
      detectionScriptErrorDeviceCount: 0,
      detectionScriptPendingDeviceCount: 1,
      detectionScriptNotApplicableDeviceCount: 0,
      issueRemediatedDeviceCount: 1,
      remediationSkippedDeviceCount: 1,
      issueReoccurredDeviceCount: 1,
      remediationScriptErrorDeviceCount: 0,
    });
  });

  it("a platform script's summary counts success and error devices and users", async () => {
    const summary = await graph.get<Record<string, unknown>>(
      `deviceManagement/deviceManagementScripts/${ids.get("ubuntu-provisioning")}/runSummary`,
    );
    expect(summary).toMatchObject({
      successDeviceCount: 1,
      errorDeviceCount: 1,
      successUserCount: 1,
      errorUserCount: 1,
    });
  });

  it("device run states carry managedDevice only when expanded, trimmed to a nested $select", async () => {
    const base = `deviceManagement/deviceManagementScripts/${ids.get("ubuntu-provisioning")}/deviceRunStates`;
    const plain = await graph.list<Record<string, unknown>>(base);
    expect(plain.map((s) => s.runState).sort()).toEqual(["pending", "scriptError", "success"]);
    expect(plain.every((s) => !("managedDevice" in s))).toBe(true);
    const expanded = await graph.list<{ managedDevice: Record<string, unknown> }>(
      `${base}?$expand=${encodeURIComponent("managedDevice($select=deviceName)")}`,
    );
    expect(expanded.map((s) => Object.keys(s.managedDevice).sort())).toEqual([
      ["deviceName", "id"],
      ["deviceName", "id"],
      ["deviceName", "id"],
    ]);
    await expect(
      graph.get(`deviceManagement/deviceManagementScripts/00000000-0000-4000-8000-00000000dead/runSummary`),
    ).rejects.toThrow(/404/);
  });
});

describe("wslpolicy scripts status", () => {
  it("text: per script of the stack, the devices with an issue, remediated, failed and not yet run", async () => {
    const run = await status();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('remediation "WSL - user settings" (wsl-user-settings, ');
    expect(run.stdout).toContain(
      "issue detected 1 · remediated 1 · failed 1 · not yet run 1 · no issue / ran 1 · not applicable 0",
    );
    expect(run.stdout).toContain("  issue detected: DEV-05 (user5@contoso.example)");
    expect(run.stdout).toContain("  remediated: DEV-02 (user2@contoso.example)");
    expect(run.stdout).toContain("  failed: DEV-03 (user3@contoso.example)");
    expect(run.stdout).toContain("  not yet run: DEV-04 (user4@contoso.example)");
    expect(run.stdout).toContain('platform script "WSL - provisioning" (ubuntu-provisioning, ');
    expect(run.stdout).toContain(
      "issue detected 0 · remediated 0 · failed 1 · not yet run 1 · no issue / ran 1 · not applicable 0",
    );
    expect(run.stdout).not.toContain("Other stack");
  });

  it("json: the same buckets as data, with Intune's own summary", async () => {
    const run = await status(["--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      stack: string;
      scripts: {
        policyId: string;
        counts: Record<string, number>;
        summary: Record<string, number>;
        devices: { deviceName: string; outcome: string }[];
      }[];
    };
    expect(report.stack).toBe(STACK);
    expect(report.scripts.map((s) => s.policyId)).toEqual(["ubuntu-provisioning", "wsl-user-settings"]);
    const remediation = report.scripts[1]!;
    expect(remediation.counts).toEqual({
      issueDetected: 1,
      remediated: 1,
      failed: 1,
      notYetRun: 1,
      noIssue: 1,
      notApplicable: 0,
    });
    expect(remediation.summary.issueReoccurredDeviceCount).toBe(1);
    expect(remediation.devices.map((d) => [d.deviceName, d.outcome])).toEqual([
      ["DEV-05", "issueDetected"],
      ["DEV-02", "remediated"],
      ["DEV-03", "failed"],
      ["DEV-04", "notYetRun"],
      ["DEV-01", "noIssue"],
    ]);
  });

  it("markdown: a table of counts, then the devices that need attention", async () => {
    const run = await status(["--format", "markdown"]);
    expect(run.stdout).toContain("| WSL - user settings (`wsl-user-settings`) | remediation | 1 | 1 | 1 | 1 | 1 | 0 |");
    expect(run.stdout).toContain("| DEV-03 | user3@contoso.example | failed | fail/remediationFailed |");
  });

  it("a tenant it cannot read is exit 1 with the cause, never an empty report", async () => {
    const run = await status([], { WSLPOLICY_EMULATOR_CA: emulator.caFile, WSLPOLICY_EMULATOR_TOKEN: "not-a-token" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/scripts status failed: .*401/);
  });
});
