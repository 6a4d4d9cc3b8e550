// Uploading Win32 app content against the emulator's content routes and storage: the whole sequence of
// Microsoft's Win32_Application_Add.ps1 sample (content version, file, upload URL, blocks, block list,
// commit, committedContentVersion, published), upload URLs that expire and are renewed, faults during
// the upload, an interrupted upload resumed, and failures that name the app and the step.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { packIntunewin, readIntunewin } from "../../src/package";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStorageClient, type StorageClient } from "../../src/tenant/storage-client";
import {
  AppContentError,
  publishAppContent,
  uploadAppContent,
  type ContentPackage,
  type UploadEvent,
} from "../../src/tenant/app-upload";
import { startHarness, type Harness } from "../graph/fixtures";
import { createApp, packedFixture } from "./upload-fixtures";

let h: Harness;
let storage: StorageClient;
let pkg: ContentPackage;
const BLOCK = 1024;

beforeAll(async () => {
  h = await startHarness(undefined, { content: { pendingPolls: 2, publishingPolls: 2 } });
  storage = createStorageClient({ ca: h.emulator.caCertPem });
  pkg = await packedFixture();
});
afterAll(async () => {
  await storage.close();
  await h.stop();
});
afterEach(() => h.emulator.faults.clear());

const payloadBytes = (p: ContentPackage) =>
  readFileSync(p.file).subarray(p.payload.offset, p.payload.offset + p.payload.length);
const blobOf = (fileId: string) => h.emulator.state.blobs.get(fileId)?.committed;
const blockCount = () => Math.ceil(pkg.payload.length / BLOCK);

describe("uploading and publishing", () => {
  it("uploads the encrypted payload block by block, commits it and publishes the app", async () => {
    const app = await createApp(h.graph);
    const events: UploadEvent[] = [];
    const result = await uploadAppContent(h.graph, app, pkg, {
      storage,
      blockSize: BLOCK,
      onEvent: (e) => events.push(e),
    });
    expect(result).toMatchObject({
      contentVersion: "1",
      blocks: blockCount(),
      blocksSent: blockCount(),
      bytesSent: pkg.payload.length,
      resumed: false,
    });
    // The blob is exactly the payload inside the .intunewin, not the outer ZIP.
    expect(blobOf(result.fileId)?.equals(payloadBytes(pkg))).toBe(true);
    await publishAppContent(h.graph, app, result.contentVersion);
    const live = await h.graph.get<{ publishingState: string; committedContentVersion: string }>(
      `deviceAppManagement/mobileApps/${app.id}`,
    );
    expect(live).toMatchObject({ publishingState: "published", committedContentVersion: "1" });
    // Storage saw one PUT per block plus the block list, none with a Graph token (the emulator's storage
    // refuses any Authorization header).
    expect(
      h.emulator.log.entries.filter(
        (e) => e.path.startsWith("blob/") && e.method === "PUT" && e.status === 201 && e.path.includes(result.fileId),
      ),
    ).toHaveLength(blockCount() + 1);
    expect(events.filter((e) => e.kind === "block")).toHaveLength(blockCount());
  });

  it("sends 6 MiB blocks by default, with block ids of equal length", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-big-"));
    const setup = path.join(dir, "big-setup.exe");
    writeFileSync(setup, randomBytes(13 * 1024 * 1024));
    const packed = await packIntunewin({ setupFile: setup, outDir: dir });
    const big: ContentPackage = {
      file: packed.path,
      name: path.basename(packed.path),
      detection: packed.detection,
      payload: (await readIntunewin(packed.path, { decrypt: false })).payload,
    };
    const app = await createApp(h.graph);
    const result = await uploadAppContent(h.graph, app, big, { storage });
    const blocks = h.emulator.state.blobs.get(result.fileId)!.committedBlocks;
    const MiB6 = 6 * 1024 * 1024;
    expect([...blocks.values()].map((b) => b.length)).toEqual([MiB6, MiB6, big.payload.length - 2 * MiB6]);
    expect(new Set([...blocks.keys()].map((id) => id.length)).size).toBe(1);
  });

  it("puts a new content version on the same app for a new package", async () => {
    const app = await createApp(h.graph);
    const first = await uploadAppContent(h.graph, app, pkg, { storage, blockSize: BLOCK });
    await publishAppContent(h.graph, app, first.contentVersion);
    const second = await uploadAppContent(h.graph, app, await packedFixture(), {
      storage,
      blockSize: BLOCK,
      committedContentVersion: "1",
    });
    expect(second.contentVersion).toBe("2");
    await publishAppContent(h.graph, app, second.contentVersion);
    expect(
      await h.graph.get<{ committedContentVersion: string }>(`deviceAppManagement/mobileApps/${app.id}`),
    ).toMatchObject({ committedContentVersion: "2", publishingState: "published" });
  });
});

describe("upload URLs", () => {
  it("renews an upload URL that storage refuses as expired, and goes on", async () => {
    const app = await createApp(h.graph);
    const events: UploadEvent[] = [];
    const result = await uploadAppContent(h.graph, app, pkg, {
      storage,
      blockSize: BLOCK,
      onEvent: (e) => {
        events.push(e);
        // Time passes between block 2 and 3: every URL issued so far expires.
        if (e.kind === "block" && e.index === 1) h.emulator.state.expireUploadUrls();
      },
    });
    expect(events).toContainEqual({ kind: "renewed", reason: "expired" });
    expect(result.renewals).toBe(1);
    expect(blobOf(result.fileId)?.equals(payloadBytes(pkg))).toBe(true);
    expect(
      h.emulator.log.entries.filter(
        (e) => e.path.startsWith("blob/") && e.path.includes(result.fileId) && e.status === 403,
      ),
    ).toHaveLength(1);
  });

  it("renews on schedule before the URL gets old, without waiting for a 403", async () => {
    const app = await createApp(h.graph);
    let clock = 1_000_000;
    const events: UploadEvent[] = [];
    const result = await uploadAppContent(h.graph, app, pkg, {
      storage,
      blockSize: BLOCK,
      now: () => clock,
      onEvent: (e) => {
        events.push(e);
        if (e.kind === "block") clock += 4 * 60_000;
      },
    });
    expect(
      events.filter((e) => e.kind === "renewed").every((e) => e.kind === "renewed" && e.reason === "schedule"),
    ).toBe(true);
    expect(result.renewals).toBe(Math.floor((blockCount() - 1) / 2) + (blockCount() % 2 === 0 ? 1 : 0));
    expect(h.emulator.log.entries.filter((e) => e.path.includes(result.fileId) && e.status === 403)).toEqual([]);
  });
});

describe("faults during the upload", () => {
  it.each([
    ["429 with Retry-After", { kind: "429" as const, retryAfter: 1 }],
    ["503 Server Busy", { kind: "503" as const }],
    ["a connection reset", { kind: "reset" as const }],
  ])("survives %s on a block", async (_name, fault) => {
    const app = await createApp(h.graph);
    h.emulator.faults.add({ method: "PUT", path: /^blob\//, nth: 2, times: 2, ...fault });
    const result = await uploadAppContent(h.graph, app, pkg, { storage, blockSize: BLOCK });
    expect(blobOf(result.fileId)?.equals(payloadBytes(pkg))).toBe(true);
  });

  it("resumes an interrupted upload: the same content file, only the blocks that were not staged", async () => {
    const app = await createApp(h.graph);
    h.emulator.faults.add({ method: "PUT", path: /^blob\//, nth: 3, times: 100, kind: "reset" });
    await expect(uploadAppContent(h.graph, app, pkg, { storage, blockSize: BLOCK })).rejects.toThrow(
      `app 'Stand-in plug-in' (${app.id}): uploading block 3 of ${blockCount()}: storage did not answer after 8 attempts`,
    );
    h.emulator.faults.clear();
    const events: UploadEvent[] = [];
    const result = await uploadAppContent(h.graph, app, pkg, {
      storage,
      blockSize: BLOCK,
      onEvent: (e) => events.push(e),
    });
    expect(result).toMatchObject({ resumed: true, contentVersion: "1", blocksSent: blockCount() - 2 });
    expect(events).toContainEqual({ kind: "resumed", contentVersion: "1", stagedBlocks: 2 });
    expect(blobOf(result.fileId)?.equals(payloadBytes(pkg))).toBe(true);
    const versions = await h.graph.list(
      `deviceAppManagement/mobileApps/${app.id}/microsoft.graph.win32LobApp/contentVersions`,
    );
    expect(versions).toHaveLength(1);
  });
});

describe("failures name the app and the step", () => {
  it("a commit whose MAC does not match the blob ends in commitFileFailed", async () => {
    const app = await createApp(h.graph);
    const other = await packedFixture();
    const wrong: ContentPackage = {
      ...pkg,
      detection: {
        ...pkg.detection,
        encryptionInfo: { ...pkg.detection.encryptionInfo, mac: other.detection.encryptionInfo.mac },
      },
    };
    const err = await uploadAppContent(h.graph, app, wrong, { storage, blockSize: BLOCK }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppContentError);
    expect((err as Error).message).toBe(
      `app 'Stand-in plug-in' (${app.id}): committing the file: the content file is in state commitFileFailed`,
    );
  });

  it("uploading the outer .intunewin instead of its payload fails the commit", async () => {
    const app = await createApp(h.graph);
    const outer: ContentPackage = { ...pkg, payload: { offset: 0, length: readFileSync(pkg.file).length } };
    await expect(uploadAppContent(h.graph, app, outer, { storage, blockSize: BLOCK })).rejects.toThrow(
      "committing the file: the content file is in state commitFileFailed",
    );
  });

  it("storage that keeps refusing the URL after renewals is an error, not a loop", async () => {
    const app = await createApp(h.graph);
    const events: UploadEvent[] = [];
    await expect(
      uploadAppContent(h.graph, app, pkg, {
        storage,
        blockSize: BLOCK,
        onEvent: (e) => {
          events.push(e);
          if (e.kind === "renewed" || (e.kind === "block" && e.index === 0)) h.emulator.state.expireUploadUrls();
        },
      }),
    ).rejects.toThrow(`(${app.id}): uploading block 2 of ${blockCount()}: storage answered 403 AuthenticationFailed`);
  });
});
