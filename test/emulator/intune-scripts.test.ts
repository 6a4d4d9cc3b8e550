// Platform scripts and Remediations as Graph serves them (beta only), each behaviour pinned to its source:
//   https://learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta
//   https://learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-assign?view=graph-rest-beta (204)
//   https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscript?view=graph-rest-beta
//   https://learn.microsoft.com/graph/api/intune-devices-devicehealthscript-assign?view=graph-rest-beta (204)
//   https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscripthourlyschedule?view=graph-rest-beta
//   learn.microsoft.com/mem/intune/fundamentals/remediations ("hourly interval must be less than 24 hours")
//   lazy content: Micke-K/IntuneManagement#100, jseerden/IntuneBackupAndRestore#43
//   POST …/assignments refused: deploymenttheory/terraform-provider-microsoft365#504
//   runRemediationScript read back false: the Terraform provider's remediation schema comment, Microsoft365DSC#6697
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantSnapshotSchema } from "../../src/model";
import { intuneText, start, type TestEmulator } from "./helpers";

const SCRIPTS = "beta/deviceManagement/deviceManagementScripts";
const HEALTH = "beta/deviceManagement/deviceHealthScripts";
const GROUP = "0a7f4f0e-1c1e-4a57-9a51-3b0c9d2f5e11";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const platformScript = {
  displayName: "WSL user-data",
  description: "",
  scriptContent: b64("exit 0\n"),
  runAsAccount: "user",
  enforceSignatureCheck: false,
  runAs32Bit: false,
  fileName: "x.ps1",
};
const healthScript = {
  displayName: "WSL settings",
  description: "",
  publisher: "wslpolicy",
  detectionScriptContent: b64("exit 1\n"),
  remediationScriptContent: b64("exit 0\n"),
  runAsAccount: "user",
  runAs32Bit: false,
};

describe("deviceManagementScripts", () => {
  it("is beta only", async () => {
    expect((await emu.call("GET", "v1.0/deviceManagement/deviceManagementScripts")).status).toBe(400);
  });

  it("returns the base64 content on a read by id and null in a list", async () => {
    const created = await emu.call("POST", SCRIPTS, platformScript);
    expect(created.status).toBe(201);
    expect(created.body.scriptContent).toBe(platformScript.scriptContent);
    expect((await emu.call("GET", `${SCRIPTS}/${created.body.id}`)).body.scriptContent).toBe(
      platformScript.scriptContent,
    );
    const listed = (await emu.call("GET", SCRIPTS)).body.value.find((s: { id: string }) => s.id === created.body.id);
    expect(listed.scriptContent).toBeNull();
  });

  it("refuses content that is not base64", async () => {
    const bad = await emu.call("POST", SCRIPTS, { ...platformScript, scriptContent: "Write-Output 'hi'" });
    expect(bad.status).toBe(400);
  });

  it("assign answers 204 and replaces the whole set", async () => {
    const id = (await emu.call("POST", SCRIPTS, platformScript)).body.id;
    const target = (groupId: string) => ({
      target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId },
    });
    const first = await emu.call("POST", `${SCRIPTS}/${id}/assign`, {
      deviceManagementScriptAssignments: [target(GROUP), target("1b2c3d4e-0000-4000-8000-000000000001")],
    });
    expect(first.status).toBe(204);
    await emu.call("POST", `${SCRIPTS}/${id}/assign`, { deviceManagementScriptAssignments: [target(GROUP)] });
    const read = await emu.call("GET", `${SCRIPTS}/${id}/assignments`);
    expect(read.body.value.map((a: { target: { groupId: string } }) => a.target.groupId)).toEqual([GROUP]);
  });
});

describe("deviceHealthScripts", () => {
  it("takes assignments only through /assign: POST …/assignments has no OData route", async () => {
    const id = (await emu.call("POST", HEALTH, healthScript)).body.id;
    const res = await emu.call("POST", `${HEALTH}/${id}/assignments`, {
      target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("No OData route exists");
  });

  it("reads runRemediationScript back as false and keeps the schedule", async () => {
    const id = (await emu.call("POST", HEALTH, healthScript)).body.id;
    const runSchedule = {
      "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
      interval: 1,
      time: "09:30:00",
      useUtc: false,
    };
    const res = await emu.call("POST", `${HEALTH}/${id}/assign`, {
      deviceHealthScriptAssignments: [
        {
          target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP },
          runRemediationScript: true,
          runSchedule,
        },
      ],
    });
    expect(res.status).toBe(204);
    const [a] = (await emu.call("GET", `${HEALTH}/${id}/assignments`)).body.value;
    expect(a.runRemediationScript).toBe(false);
    expect(a.runSchedule).toEqual(runSchedule);
  });

  it("refuses an hourly interval of 24 hours or more", async () => {
    const id = (await emu.call("POST", HEALTH, healthScript)).body.id;
    const res = await emu.call("POST", `${HEALTH}/${id}/assign`, {
      deviceHealthScriptAssignments: [
        {
          target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP },
          runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 24 },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(intuneText(res.body)).toContain("less than 24 hours");
  });

  it("nulls both contents in a list and owns version", async () => {
    const created = await emu.call("POST", HEALTH, { ...healthScript, version: "7" });
    expect(created.body.version).toBe("1");
    expect(created.body.isGlobalScript).toBe(false);
    const listed = (await emu.call("GET", HEALTH)).body.value.find((s: { id: string }) => s.id === created.body.id);
    expect([listed.detectionScriptContent, listed.remediationScriptContent]).toEqual([null, null]);
  });

  it("keeps Microsoft's global scripts read-only", async () => {
    const seeded = await start({
      throttling: { enabled: false },
      seed: tenantSnapshotSchema.parse({
        "deviceManagement/deviceHealthScripts": [
          {
            id: "5c0e1d2a-0000-4000-8000-00000000000a",
            displayName: "Restart stopped Office C2R svc",
            isGlobalScript: true,
            publisher: "Microsoft",
            detectionScriptContent: b64("exit 0\n"),
            remediationScriptContent: b64("exit 0\n"),
          },
        ],
      }),
    });
    try {
      const res = await seeded.call("PATCH", `${HEALTH}/5c0e1d2a-0000-4000-8000-00000000000a`, { displayName: "mine" });
      expect(res.status).toBe(400);
      expect((await seeded.call("DELETE", `${HEALTH}/5c0e1d2a-0000-4000-8000-00000000000a`)).status).toBe(400);
    } finally {
      await seeded.stop();
    }
  });
});
