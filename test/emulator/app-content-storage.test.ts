// The emulator's storage behind an upload URL, held to the Azure Storage REST reference: Put Block ids are
// base64 of at most 64 bytes and all of one length (Put Block), Put Block List refuses unknown ids and
// makes the blob (Put Block List), Get Block List reports staged blocks (Get Block List); an upload URL
// stops working when it expires unless renewUpload gave a new one (403 AuthenticationFailed, as in
// microsoftgraph/powershell-intune-samples#64); and a commit settles after the pending polls, checked
// for size and MAC.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptPayload } from "../../src/package/payload-crypto";
import { start, type TestEmulator } from "./helpers";

const APPS = "beta/deviceAppManagement/mobileApps";
let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false }, content: { pendingPolls: 1, publishingPolls: 0 } });
});
afterAll(async () => emu.stop());

const keys = { encryptionKey: Buffer.alloc(32, 1), macKey: Buffer.alloc(32, 2), iv: Buffer.alloc(16, 3) };
const b64 = (b: Buffer) => b.toString("base64");

/** A new app with one content file whose upload URL has been issued. */
async function newFile(sizeEncrypted: number, size = 10) {
  const app = await emu.call("POST", APPS, {
    "@odata.type": "#microsoft.graph.win32LobApp",
    displayName: "storage test",
  });
  const cv = `${APPS}/${app.body.id}/microsoft.graph.win32LobApp/contentVersions`;
  const v = await emu.call("POST", cv, {});
  const f = await emu.call("POST", `${cv}/${v.body.id}/files`, { name: "p.intunewin", size, sizeEncrypted });
  const url = `${cv}/${v.body.id}/files/${f.body.id}`;
  expect((await emu.call("GET", url)).body.uploadState).toBe("azureStorageUriRequestPending");
  const ready = await emu.call("GET", url);
  expect(ready.body.uploadState).toBe("azureStorageUriRequestSuccess");
  return {
    appId: app.body.id as string,
    version: v.body.id as string,
    url,
    fileId: f.body.id as string,
    sas: ready.body.azureStorageUri as string,
    expires: ready.body.azureStorageUriExpirationDateTime as string,
  };
}

const put = (url: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "PUT", body, headers, dispatcher: emu.dispatcher } as unknown as RequestInit);
const id = (s: string) => encodeURIComponent(Buffer.from(s).toString("base64"));
const blockList = (ids: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${Buffer.from(i).toString("base64")}</Latest>`).join("")}</BlockList>`;

describe("Put Block and Put Block List", () => {
  it("refuses a block id of another length than the blob's other blocks (400 InvalidBlobOrBlock)", async () => {
    const f = await newFile(10);
    expect((await put(`${f.sas}&comp=block&blockid=${id("block-0")}`, "abc")).status).toBe(201);
    const res = await put(`${f.sas}&comp=block&blockid=${id("longer-block-10")}`, "def");
    expect(res.status).toBe(400);
    expect(res.headers.get("x-ms-error-code")).toBe("InvalidBlobOrBlock");
  });

  it("refuses a block id longer than 64 bytes before base64", async () => {
    const f = await newFile(10);
    expect((await put(`${f.sas}&comp=block&blockid=${id("x".repeat(65))}`, "abc")).status).toBe(400);
  });

  it("refuses a block list naming a block that was never put (400 InvalidBlockList)", async () => {
    const f = await newFile(10);
    await put(`${f.sas}&comp=block&blockid=${id("b0")}`, "abc");
    const res = await put(`${f.sas}&comp=blocklist`, blockList(["b0", "b1"]));
    expect(res.status).toBe(400);
    expect(res.headers.get("x-ms-error-code")).toBe("InvalidBlockList");
  });

  it("lists staged blocks with Get Block List", async () => {
    const f = await newFile(10);
    await put(`${f.sas}&comp=block&blockid=${id("b0")}`, "abcd");
    const res = await fetch(`${f.sas}&comp=blocklist&blocklisttype=uncommitted`, {
      dispatcher: emu.dispatcher,
    } as unknown as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      `<UncommittedBlocks><Block><Name>${Buffer.from("b0").toString("base64")}</Name><Size>4</Size></Block></UncommittedBlocks>`,
    );
  });

  it("refuses a request carrying an Authorization header: no Graph token belongs on a SAS URL", async () => {
    const f = await newFile(10);
    const res = await put(`${f.sas}&comp=block&blockid=${id("b0")}`, "abc", {
      authorization: `Bearer ${emu.issueToken()}`,
    });
    expect(res.status).toBe(403);
  });
});

describe("upload URLs expire", () => {
  it("answers 403 AuthenticationFailed once the URL expired, and accepts the renewed URL", async () => {
    const f = await newFile(10);
    expect(Date.parse(f.expires)).toBeGreaterThan(Date.now());
    emu.state.expireUploadUrls(f.fileId);
    const refused = await put(`${f.sas}&comp=block&blockid=${id("b0")}`, "abc");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-ms-error-code")).toBe("AuthenticationFailed");
    expect((await emu.call("POST", `${f.url}/renewUpload`, {})).status).toBe(204);
    expect((await emu.call("GET", f.url)).body.uploadState).toBe("azureStorageUriRenewalPending");
    const renewed = await emu.call("GET", f.url);
    expect(renewed.body.uploadState).toBe("azureStorageUriRenewalSuccess");
    expect(renewed.body.azureStorageUri).not.toBe(f.sas);
    expect((await put(`${renewed.body.azureStorageUri}&comp=block&blockid=${id("b0")}`, "abc")).status).toBe(201);
  });

  it("refuses a URL whose signature the service never issued", async () => {
    const f = await newFile(10);
    expect(
      (await put(`${f.sas.replace(/sig=[^&]+/, "sig=forged")}&comp=block&blockid=${id("b0")}`, "abc")).status,
    ).toBe(403);
  });
});

describe("commit", () => {
  async function uploaded(payload: Buffer) {
    const f = await newFile(payload.length);
    await put(`${f.sas}&comp=block&blockid=${id("b0")}`, payload);
    expect((await put(`${f.sas}&comp=blocklist`, blockList(["b0"]))).status).toBe(201);
    return f;
  }
  const commitBody = (mac: Buffer, macKey = keys.macKey) => ({
    fileEncryptionInfo: {
      encryptionKey: b64(keys.encryptionKey),
      macKey: b64(macKey),
      initializationVector: b64(keys.iv),
      mac: b64(mac),
      profileIdentifier: "ProfileVersion1",
      fileDigest: b64(Buffer.alloc(32)),
      fileDigestAlgorithm: "SHA256",
    },
  });
  const settle = async (url: string) => {
    expect((await emu.call("GET", url)).body.uploadState).toBe("commitFilePending");
    return (await emu.call("GET", url)).body;
  };

  it("succeeds when the blob's size and MAC match the encryption info", async () => {
    const { payload, seal } = encryptPayload(Buffer.from("hello"), keys);
    const f = await uploaded(payload);
    expect((await emu.call("POST", `${f.url}/commit`, commitBody(seal.mac))).status).toBe(204);
    expect(await settle(f.url)).toMatchObject({ uploadState: "commitFileSuccess", isCommitted: true });
  });

  it("fails silently (commitFileFailed) when the MAC key does not produce the MAC", async () => {
    const { payload, seal } = encryptPayload(Buffer.from("hello"), keys);
    const f = await uploaded(payload);
    await emu.call("POST", `${f.url}/commit`, commitBody(seal.mac, Buffer.alloc(32, 9)));
    expect(await settle(f.url)).toMatchObject({ uploadState: "commitFileFailed", isCommitted: false });
  });

  it("fails when the blob is not sizeEncrypted bytes", async () => {
    const { payload, seal } = encryptPayload(Buffer.from("hello"), keys);
    const f = await newFile(payload.length + 16);
    await put(`${f.sas}&comp=block&blockid=${id("b0")}`, payload);
    await put(`${f.sas}&comp=blocklist`, blockList(["b0"]));
    await emu.call("POST", `${f.url}/commit`, commitBody(seal.mac));
    expect((await settle(f.url)).uploadState).toBe("commitFileFailed");
  });
});
