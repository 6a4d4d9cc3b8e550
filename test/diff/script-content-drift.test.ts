// A script changed in the portal is drift, and the plan shows only fingerprints of the two contents,
// never the script: Intune returns script content to anyone who can read it (Graph read by id), and
// wslpolicy's own plans, reports and snapshots of the plan must not repeat it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { computePlan } from "../../src/diff/plan";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { group, wslUserSettings } from "../../src";
import { readTenant } from "../../src/tenant";
import { loaded } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "./emulator-tenant";

let emulator: RunningEmulator;
let graph: GraphClient;
beforeAll(async () => {
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  graph = clientFor(emulator);
});
afterAll(async () => {
  await graph.close();
  await emulator.stop();
});

it("a portal edit of the remediation script is an update shown as sha256 fingerprints only", async () => {
  const desired = compile(
    [
      loaded(
        wslUserSettings({
          id: "wsl-user-settings",
          displayName: "WSL user settings",
          dnsTunneling: true,
          assignments: { include: [group("Developer Workstations")] },
        }),
      ),
    ],
    { stack: "prod" },
  ).desired;
  const ids = await applyAll(graph, desired, groupsSeed(), emulator);
  const edited = "Write-Output 'portal edit'\nexit 0\n";
  await graph.patch(`deviceManagement/deviceHealthScripts/${ids.get("wsl-user-settings")}`, {
    remediationScriptContent: Buffer.from(edited).toString("base64"),
  });

  const plan = computePlan({
    desired,
    live: await readTenant(graph),
    tenant: { kind: "emulator", label: "emulator", tenantId: null, endpoint: null },
  });
  expect(plan.changes.map((c) => c.action)).toEqual(["update"]);
  const text = JSON.stringify(plan);
  expect(text).toMatch(/sha256:[0-9a-f]{64}/);
  expect(text).not.toContain("portal edit");
  expect(text).not.toContain(Buffer.from(edited).toString("base64"));
  expect(text).not.toContain(String(desired.objects[0]!.document.remediationScriptContent));
});

it("a planned create shows no script content either", () => {
  const desired = compile(
    [
      loaded(
        wslUserSettings({
          id: "wsl-user-settings",
          displayName: "WSL user settings",
          autoProxy: true,
          assignments: { include: [group("Developer Workstations")] },
        }),
      ),
    ],
    { stack: "prod" },
  ).desired;
  const plan = computePlan({
    desired,
    live: groupsSeed(),
    tenant: { kind: "emulator", label: "emulator", tenantId: null, endpoint: null },
  });
  expect(plan.changes.map((c) => c.action)).toEqual(["create"]);
  const text = JSON.stringify(plan);
  expect(text).not.toContain(String(desired.objects[0]!.document.detectionScriptContent));
  expect(text).not.toContain("Get-Differences");
});
