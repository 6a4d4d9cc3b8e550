// Win32 app lifecycle (api-reference/beta/resources/intune-apps-win32lobapp.md, intune-apps-mobileappcontentfile.md):
// create needs @odata.type, the content upload state machine with the fake blob storage, commit, publish through
// committedContentVersion, assign (204, full replace), the retired status segments, and the report tables driven by
// scripted install states.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptPayload } from "../../src/package/payload-crypto";
import { start, type TestEmulator } from "./helpers";

const APPS = "beta/deviceAppManagement/mobileApps";
const RING = "2b2c7a6e-6a2f-4d6c-9b3e-0c1d2e3f4a5b";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const appBody = {
  "@odata.type": "#microsoft.graph.win32LobApp",
  displayName: "Defender plug-in for WSL",
  publisher: "Microsoft",
  fileName: "DefenderPlugin-x64-0.24.426.1.msi",
  setupFilePath: "DefenderPlugin-x64-0.24.426.1.msi",
};
const keys = { encryptionKey: Buffer.alloc(32, 1), macKey: Buffer.alloc(32, 2), iv: Buffer.alloc(16, 3) };
/** A real encrypted payload of `plain` and the commit body that describes it. */
function sealed(plain: Buffer) {
  const { payload, seal } = encryptPayload(plain, keys);
  const encryption = {
    encryptionKey: keys.encryptionKey.toString("base64"),
    initializationVector: keys.iv.toString("base64"),
    mac: seal.mac.toString("base64"),
    macKey: keys.macKey.toString("base64"),
    profileIdentifier: "ProfileVersion1",
    fileDigest: seal.fileDigest.toString("base64"),
    fileDigestAlgorithm: "SHA256",
  };
  return { payload, encryption };
}
const encryption = sealed(Buffer.from("x")).encryption;

async function uploadAndPublish(appId: string, plain: Buffer): Promise<void> {
  const { payload: bytes, encryption } = sealed(plain);
  const cv = `${APPS}/${appId}/microsoft.graph.win32LobApp/contentVersions`;
  const version = await emu.call("POST", cv, {});
  expect(version.status).toBe(201);
  const file = await emu.call("POST", `${cv}/${version.body.id}/files`, {
    "@odata.type": "#microsoft.graph.mobileAppContentFile",
    name: "plugin.intunewin",
    size: plain.length,
    sizeEncrypted: bytes.length,
    manifest: null,
    isDependency: false,
  });
  expect(file.status).toBe(201);
  expect(file.body.uploadState).toBe("azureStorageUriRequestPending");
  const fileUrl = `${cv}/${version.body.id}/files/${file.body.id}`;
  const polled = await emu.call("GET", fileUrl);
  expect(polled.body.uploadState).toBe("azureStorageUriRequestSuccess");
  const sas: string = polled.body.azureStorageUri;
  expect(sas.startsWith(emu.baseUrl)).toBe(true);
  const half = Math.ceil(bytes.length / 2);
  const blocks = [bytes.subarray(0, half), bytes.subarray(half)];
  const ids = blocks.map((_, i) => Buffer.from(`block-${i}`).toString("base64"));
  for (const [i, block] of blocks.entries()) {
    const put = await fetch(`${sas}&comp=block&blockid=${encodeURIComponent(ids[i]!)}`, {
      method: "PUT",
      body: block,
      headers: { "x-ms-blob-type": "BlockBlob" },
      dispatcher: emu.dispatcher,
    } as unknown as RequestInit);
    expect(put.status).toBe(201);
  }
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
  const putList = await fetch(`${sas}&comp=blocklist`, {
    method: "PUT",
    body: list,
    dispatcher: emu.dispatcher,
  } as unknown as RequestInit);
  expect(putList.status).toBe(201);
  expect((await emu.call("POST", `${fileUrl}/commit`, { fileEncryptionInfo: encryption })).status).toBe(204);
  expect((await emu.call("GET", fileUrl)).body.uploadState).toBe("commitFileSuccess");
  const patch = await emu.call("PATCH", `${APPS}/${appId}`, {
    "@odata.type": "#microsoft.graph.win32LobApp",
    committedContentVersion: version.body.id,
  });
  // Intune answers the PATCH 204 without a body (microsoftgraph/microsoft-graph-docs-contrib#6570); publishing
  // settles after the commit, on a later read (Microsoft's sample waits before assigning).
  expect(patch.status).toBe(204);
  expect((await emu.call("GET", `${APPS}/${appId}`)).body.publishingState).toBe("published");
}

describe("win32LobApp", () => {
  it("needs @odata.type to be created: mobileApp is abstract (Obs S43)", async () => {
    const { "@odata.type": _t, ...untyped } = appBody;
    const res = await emu.call("POST", APPS, untyped);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Cannot create an abstract class.");
  });

  it("goes from created to published through content versions, blob upload and commit", async () => {
    const created = await emu.call("POST", APPS, appBody);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      "@odata.type": "#microsoft.graph.win32LobApp",
      publishingState: "notPublished",
      committedContentVersion: null,
      isAssigned: false,
    });
    await uploadAndPublish(created.body.id, Buffer.from("x".repeat(1000)));
    const app = await emu.call("GET", `${APPS}/${created.body.id}`);
    expect(app.body).toMatchObject({ publishingState: "published", committedContentVersion: "1", size: 1000 });
  });

  it("fails the commit when the blob was not uploaded completely", async () => {
    const created = await emu.call("POST", APPS, appBody);
    const cv = `${APPS}/${created.body.id}/microsoft.graph.win32LobApp/contentVersions`;
    const v = await emu.call("POST", cv, {});
    const f = await emu.call("POST", `${cv}/${v.body.id}/files`, { name: "p.intunewin", size: 10, sizeEncrypted: 10 });
    const url = `${cv}/${v.body.id}/files/${f.body.id}`;
    await emu.call("GET", url);
    await emu.call("POST", `${url}/commit`, { fileEncryptionInfo: encryption });
    expect((await emu.call("GET", url)).body.uploadState).toBe("commitFileFailed");
    const publish = await emu.call("PATCH", `${APPS}/${created.body.id}`, {
      "@odata.type": "#microsoft.graph.win32LobApp",
      committedContentVersion: v.body.id,
    });
    expect(publish.status).toBe(400);
  });

  it("assigns only once published; assign answers 204 and replaces the list (Doc S44)", async () => {
    const created = await emu.call("POST", APPS, appBody);
    const early = await emu.call("POST", `${APPS}/${created.body.id}/assign`, { mobileAppAssignments: [] });
    expect(early.status).toBe(400);
    await uploadAndPublish(created.body.id, Buffer.from("abc"));
    const settings = {
      "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings",
      notifications: "showReboot",
      installTimeSettings: {
        useLocalTime: true,
        startDateTime: "2027-01-04T08:00:00Z",
        deadlineDateTime: "2027-01-08T18:00:00Z",
      },
    };
    const res = await emu.call("POST", `${APPS}/${created.body.id}/assign`, {
      mobileAppAssignments: [
        {
          "@odata.type": "#microsoft.graph.mobileAppAssignment",
          intent: "required",
          target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: RING },
          settings,
        },
      ],
    });
    expect(res.status).toBe(204);
    const listed = await emu.call("GET", `${APPS}/${created.body.id}?$expand=assignments`);
    expect(listed.body.isAssigned).toBe(true);
    expect(listed.body.assignments).toHaveLength(1);
    expect(listed.body.assignments[0]).toMatchObject({
      intent: "required",
      settings,
      target: { groupId: RING, deviceAndAppManagementAssignmentFilterType: "none" },
    });
    await emu.call("POST", `${APPS}/${created.body.id}/assign`, { mobileAppAssignments: [] });
    expect((await emu.call("GET", `${APPS}/${created.body.id}/assignments`)).body.value).toEqual([]);
  });

  it.each(["deviceStatuses", "userStatuses", "installSummary"])(
    "answers %s with Graph's 400 for a retired segment",
    async (segment) => {
      const created = await emu.call("POST", APPS, appBody);
      const res = await emu.call("GET", `${APPS}/${created.body.id}/${segment}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(`Resource not found for the segment '${segment}'.`);
    },
  );

  it("lists apps with their @odata.type and filters with isof()", async () => {
    const res = await emu.call("GET", `${APPS}?$filter=${encodeURIComponent("isof('microsoft.graph.win32LobApp')")}`);
    expect(res.body.value.length).toBeGreaterThan(0);
    expect(
      res.body.value.every((a: { "@odata.type": string }) => a["@odata.type"] === "#microsoft.graph.win32LobApp"),
    ).toBe(true);
  });
});

describe("reports", () => {
  it("answer octet-stream tables computed from the scripted install states (Doc S47)", async () => {
    const created = await emu.call("POST", APPS, appBody);
    const appId: string = created.body.id;
    emu.state.setAppInstallState(appId, "dev-1", "installed", {
      deviceName: "NW-DEV-001",
      userPrincipalName: "ada@northwind.example",
    });
    emu.state.setAppInstallState(appId, "dev-2", "installed", { deviceName: "NW-DEV-002" });
    emu.state.setAppInstallState(appId, "dev-3", "failed", { deviceName: "NW-DEV-003", errorCode: -2016345060 });
    emu.state.setAppInstallState(appId, "dev-4", "pending");

    const overviewRes = await fetch(`${emu.baseUrl}beta/deviceManagement/reports/getAppStatusOverviewReport`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emu.issueToken(["DeviceManagementApps.Read.All"])}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ filter: `(ApplicationId eq '${appId}')` }),
      dispatcher: emu.dispatcher,
    } as unknown as RequestInit);
    expect(overviewRes.status).toBe(200);
    expect(overviewRes.headers.get("content-type")).toBe("application/octet-stream");
    const overview = (await overviewRes.json()) as {
      TotalRowCount: number;
      Schema: { Column: string }[];
      Values: unknown[][];
    };
    expect(overview.TotalRowCount).toBe(1);
    const row = Object.fromEntries(overview.Schema.map((c, i) => [c.Column, overview.Values[0]![i]]));
    expect(row).toMatchObject({
      ApplicationId: appId,
      InstalledDeviceCount: 2,
      FailedDeviceCount: 1,
      PendingInstallDeviceCount: 1,
      NotInstalledDeviceCount: 0,
    });

    const devices = await emu.call("POST", "beta/deviceManagement/reports/getDeviceInstallStatusReport", {
      select: ["DeviceName", "InstallState", "ErrorCode", "HexErrorCode"],
      filter: `(ApplicationId eq '${appId}')`,
      skip: 0,
      top: 2,
      orderBy: [],
    });
    expect(devices.body.TotalRowCount).toBe(4);
    expect(devices.body.Schema.map((c: { Column: string }) => c.Column)).toEqual([
      "DeviceName",
      "InstallState",
      "ErrorCode",
      "HexErrorCode",
    ]);
    expect(devices.body.Values).toEqual([
      ["NW-DEV-001", "Installed", 0, "0x00000000"],
      ["NW-DEV-002", "Installed", 0, "0x00000000"],
    ]);
  });

  it("require an ApplicationId filter", async () => {
    const res = await emu.call("POST", "beta/deviceManagement/reports/getAppStatusOverviewReport", { filter: "" });
    expect(res.status).toBe(400);
  });
});
