// Reading script objects: a list returns their content null (a lazy property, Micke-K/IntuneManagement#100),
// so each is read by id through $batch; Microsoft's global scripts and managed-installer scripts share the
// Remediations collection and are not read as ours (Microsoft365DSC MSFT_IntuneDeviceRemediation.psm1 filters them).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { contentFingerprint } from "../../src/intune";
import { tenantSnapshotSchema } from "../../src/model";
import { readTenant } from "../../src/tenant";
import { clientFor } from "../diff/emulator-tenant";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const health = (id: string, extra: Record<string, unknown>) => ({
  id,
  displayName: id,
  detectionScriptContent: b64(`# ${id}\nexit 0\n`),
  remediationScriptContent: b64("exit 0\n"),
  ...extra,
});

let emulator: RunningEmulator;
let graph: GraphClient;
beforeAll(async () => {
  const seed = {
    "deviceManagement/deviceHealthScripts": [
      health("0e000000-0000-4000-8000-000000000001", {
        isGlobalScript: false,
        deviceHealthScriptType: "deviceHealthScript",
      }),
      health("0e000000-0000-4000-8000-000000000002", {
        isGlobalScript: true,
        deviceHealthScriptType: "deviceHealthScript",
      }),
      health("0e000000-0000-4000-8000-000000000003", {
        isGlobalScript: false,
        deviceHealthScriptType: "managedInstallerScript",
      }),
    ],
    "deviceManagement/deviceManagementScripts": Array.from({ length: 23 }, (_, i) => ({
      id: `0d000000-0000-4000-8000-0000000000${String(i).padStart(2, "0")}`,
      displayName: `s${i}`,
      scriptContent: b64(`# ${i}\n`),
    })),
  };
  emulator = await startEmulator({ seed: tenantSnapshotSchema.parse(seed), throttling: { enabled: false } });
  graph = clientFor(emulator);
});
afterAll(async () => {
  await graph.close();
  await emulator.stop();
});

it("fills every script's content by id (more than one $batch) and leaves global and managed-installer scripts out", async () => {
  const snapshot = await readTenant(graph);
  const health = snapshot["deviceManagement/deviceHealthScripts"];
  expect(health.map((h) => h.id)).toEqual(["0e000000-0000-4000-8000-000000000001"]);
  expect(contentFingerprint(health[0]!.detectionScriptContent)).toBe(
    contentFingerprint(b64("# 0e000000-0000-4000-8000-000000000001\nexit 0\n")),
  );
  const scripts = snapshot["deviceManagement/deviceManagementScripts"];
  expect(scripts).toHaveLength(23);
  for (const s of scripts)
    expect(Buffer.from(String(s.scriptContent), "base64").toString()).toBe(`# ${s.displayName.slice(1)}\n`);
});

it("a list-read null content is 'unread', never equal to a real fingerprint", () => {
  expect(contentFingerprint(null)).toBe("unread");
  expect(contentFingerprint(b64(""))).toMatch(/^sha256:[0-9a-f]{64}$/);
});
