// Uploading a Win32 app's content and publishing it (Graph beta; the sequence of Microsoft's
// powershell-intune-samples LOB_Application/Win32_Application_Add.ps1 and MSEndpointMgr/IntuneWin32App):
//   content version → content file → poll for the upload URL → Put Block per 6 MiB block (equal-length
//   ids, raw bytes, no Graph token) → renew the URL before it expires → Put Block List → commit with the
//   encryption info → poll for commitFileSuccess → PATCH committedContentVersion → wait for `published`.
// What is uploaded is the encrypted payload inside the `.intunewin` (not the outer ZIP: uploading that is
// terraform-provider-microsoft365#3625). Every `*Failed`/`*TimedOut`/`error` state stops with an error
// naming the app and the step. An interrupted upload resumes: an uncommitted file of the same package is
// found again, and blocks already staged (Get Block List) are not sent twice — block ids carry a prefix
// of the package's MAC, so blocks of another packing are never taken for ours.
import { open } from "node:fs/promises";
import { GraphError, type GraphClient } from "../graph";
import { ODATA, type JsonObject } from "../model";
import type { Detection } from "../package";
import type { StorageClient, StorageResponse } from "./storage-client";
import { whenVisible } from "./writer";

export const BLOCK_SIZE = 6 * 1024 * 1024;
/** Renew the upload URL this long after getting it (the sample's 450 000 ms), or at half its lifetime if sooner. */
const RENEW_AFTER_MS = 7.5 * 60_000;
const MAX_BLOCK_ATTEMPTS = 8;

export interface AppRef {
  id: string;
  /** How errors name the app: "app 'Microsoft Defender …' (policy defender-wsl-plugin)". */
  label: string;
}

export interface ContentPackage {
  /** The `.intunewin` file. */
  file: string;
  /** Outer file name, sent as the content file's name. */
  name: string;
  detection: Detection;
  /** Where the encrypted payload lies in `file`. */
  payload: { offset: number; length: number };
}

export type UploadEvent =
  | { kind: "step"; step: string }
  | { kind: "block"; index: number; count: number; skipped: boolean }
  | { kind: "renewed"; reason: "schedule" | "expired" }
  | { kind: "retry"; what: string; status: number | "network" }
  | { kind: "resumed"; contentVersion: string; stagedBlocks: number };

export interface UploadOptions {
  storage: StorageClient;
  blockSize?: number;
  /** Wall clock (ms), for the upload URL's age; tests move it. */
  now?: () => number;
  /** How long after getting an upload URL to renew it (default 7.5 min of client time). */
  renewAfterMs?: number;
  /** Wait between polls, in client time (default 1 s, doubling to 10 s). */
  pollIntervalMs?: number;
  /** Polls before a step is abandoned as timed out (default 600, like Microsoft's sample). */
  maxPolls?: number;
  onEvent?: (e: UploadEvent) => void;
}

export interface UploadResult {
  contentVersion: string;
  fileId: string;
  blocks: number;
  /** Blocks actually sent (a resumed upload skips the ones already staged). */
  blocksSent: number;
  bytesSent: number;
  renewals: number;
  resumed: boolean;
}

export class AppContentError extends Error {
  constructor(
    readonly app: AppRef,
    readonly step: string,
    detail: string,
  ) {
    super(`${app.label} (${app.id}): ${step}: ${detail}`);
  }
}

interface ContentFileState {
  id: string;
  name?: string;
  size?: number;
  sizeEncrypted?: number;
  uploadState?: string;
  isCommitted?: boolean;
  azureStorageUri?: string | null;
  azureStorageUriExpirationDateTime?: string | null;
}

const contentBase = (appId: string) =>
  `deviceAppManagement/mobileApps/${encodeURIComponent(appId)}/microsoft.graph.win32LobApp/contentVersions`;

/** Base64 block ids, all the same length: a MAC prefix and the block's index. */
export function blockId(detection: Detection, index: number): string {
  const tag = Buffer.from(detection.encryptionInfo.mac, "base64").subarray(0, 4).toString("hex");
  return Buffer.from(`${tag}-${String(index).padStart(6, "0")}`).toString("base64");
}

/** fetch says only "fetch failed"; the cause says what happened (ECONNRESET, a timeout, TLS). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

function isTerminalFailure(state: string): boolean {
  return /(Failed|TimedOut)$/.test(state) || state === "error";
}

class Upload {
  private readonly blockSize: number;
  private readonly now: () => number;
  private readonly maxPolls: number;
  private readonly pollMs: number;
  private uri = "";
  private uriAt = 0;
  private uriLifetime = Infinity;
  renewals = 0;

  constructor(
    private readonly graph: GraphClient,
    private readonly app: AppRef,
    private readonly pkg: ContentPackage,
    private readonly opts: UploadOptions,
  ) {
    this.blockSize = opts.blockSize ?? BLOCK_SIZE;
    this.now = opts.now ?? Date.now;
    this.maxPolls = opts.maxPolls ?? 600;
    this.pollMs = opts.pollIntervalMs ?? 1_000;
  }

  private step(step: string): void {
    this.opts.onEvent?.({ kind: "step", step });
  }

  private fail(step: string, detail: string): never {
    throw new AppContentError(this.app, step, detail);
  }

  /** Polls the file until it is in `want`; `*Pending`, transient and other states are waited out. */
  async waitFor(fileUrl: string, want: string, step: string): Promise<ContentFileState> {
    for (let poll = 0; poll < this.maxPolls; poll++) {
      // The file was created a moment ago: a 404 within the visibility window is eventual consistency.
      const f = await whenVisible(this.graph, () => this.graph.get<ContentFileState>(fileUrl));
      const state = f.uploadState ?? "unknown";
      if (state === want) return f;
      if (isTerminalFailure(state)) this.fail(step, `the content file is in state ${state}`);
      await this.graph.wait(Math.min(this.pollMs * 2 ** Math.min(poll, 4), 10_000));
    }
    return this.fail(step, `still not ${want} after ${this.maxPolls} polls (timed out)`);
  }

  private takeUri(f: ContentFileState, step: string): void {
    if (!f.azureStorageUri) this.fail(step, "the service gave no upload URL");
    this.uri = f.azureStorageUri;
    this.uriAt = this.now();
    const expires = f.azureStorageUriExpirationDateTime ? Date.parse(f.azureStorageUriExpirationDateTime) : NaN;
    this.uriLifetime = Number.isNaN(expires) ? Infinity : Math.max(0, expires - this.uriAt);
  }

  async renew(fileUrl: string, reason: "schedule" | "expired"): Promise<void> {
    const step = "renewing the upload URL";
    await this.graph.post(`${fileUrl}/renewUpload`, {}, { idempotent: true });
    this.takeUri(await this.waitFor(fileUrl, "azureStorageUriRenewalSuccess", step), step);
    this.renewals++;
    this.opts.onEvent?.({ kind: "renewed", reason });
  }

  private renewDue(): boolean {
    const renewAfter = Math.min(this.opts.renewAfterMs ?? RENEW_AFTER_MS, this.uriLifetime / 2);
    return this.now() - this.uriAt >= renewAfter;
  }

  /** One storage PUT, retried on throttling, 5xx and resets; a 403 (expired URL) renews the URL first. */
  private async storagePut(
    fileUrl: string,
    query: string,
    body: Buffer,
    headers: Record<string, string>,
    what: string,
  ): Promise<void> {
    let expiredInARow = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.renewDue()) await this.renew(fileUrl, "schedule");
      let res: StorageResponse | undefined;
      try {
        res = await this.opts.storage.request("PUT", `${this.uri}&${query}`, body, headers);
      } catch (err) {
        if (attempt >= MAX_BLOCK_ATTEMPTS)
          this.fail(what, `storage did not answer after ${attempt} attempts (${networkReason(err)})`);
        this.opts.onEvent?.({ kind: "retry", what, status: "network" });
        await this.graph.wait(Math.min(1_000 * 2 ** attempt, 30_000));
        continue;
      }
      if (res.status === 201) return;
      const code = res.headers["x-ms-error-code"] ?? "";
      if (res.status === 403 && expiredInARow < 2) {
        expiredInARow++;
        await this.renew(fileUrl, "expired");
        continue;
      }
      if ((res.status === 429 || res.status === 500 || res.status === 503) && attempt < MAX_BLOCK_ATTEMPTS) {
        this.opts.onEvent?.({ kind: "retry", what, status: res.status });
        const retryAfter = Number(res.headers["retry-after"]);
        await this.graph.wait(
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(1_000 * 2 ** attempt, 30_000),
        );
        continue;
      }
      this.fail(what, `storage answered ${res.status}${code ? ` ${code}` : ""}`);
    }
  }

  /** Ids of blocks already staged in the blob (for a resumed upload), with their sizes. */
  private async stagedBlocks(): Promise<Map<string, number>> {
    const res = await this.opts.storage
      .request("GET", `${this.uri}&comp=blocklist&blocklisttype=uncommitted`)
      .catch(() => undefined);
    if (!res || res.status !== 200) return new Map();
    const staged = /<UncommittedBlocks>([\s\S]*?)<\/UncommittedBlocks>/.exec(res.text)?.[1] ?? "";
    return new Map([...staged.matchAll(/<Name>([^<]*)<\/Name><Size>(\d+)<\/Size>/g)].map((m) => [m[1]!, Number(m[2])]));
  }

  /** An uncommitted content file of this very package (same name, sizes, block-id tag), to resume. */
  private async findResumable(
    committedVersion: string | null,
  ): Promise<{ version: string; file: ContentFileState } | undefined> {
    const base = contentBase(this.app.id);
    const versions = await this.graph.list<{ id: string }>(base);
    for (const v of [...versions].sort((a, b) => Number(b.id) - Number(a.id))) {
      if (committedVersion !== null && Number(v.id) <= Number(committedVersion)) continue;
      const files = await this.graph.list<ContentFileState>(`${base}/${encodeURIComponent(v.id)}/files`);
      const f = files.find(
        (x) =>
          x.name === this.pkg.name &&
          x.size === this.pkg.detection.unencryptedContentSize &&
          x.sizeEncrypted === this.pkg.payload.length &&
          !x.isCommitted,
      );
      if (f && /^azureStorageUri(Request|Renewal)(Success|Pending)$/.test(f.uploadState ?? ""))
        return { version: v.id, file: f };
    }
    return undefined;
  }

  async run(committedVersion: string | null): Promise<UploadResult> {
    const base = contentBase(this.app.id);
    const d = this.pkg.detection;
    const count = Math.max(1, Math.ceil(this.pkg.payload.length / this.blockSize));
    let version: string;
    let fileUrl: string;
    let staged = new Map<string, number>();
    let resumed = false;

    this.step("looking for an interrupted upload");
    const resumable = await this.findResumable(committedVersion);
    if (resumable) {
      version = resumable.version;
      fileUrl = `${base}/${encodeURIComponent(version)}/files/${encodeURIComponent(resumable.file.id)}`;
      const step = "resuming the upload";
      const ready = /Success$/.test(resumable.file.uploadState ?? "")
        ? resumable.file
        : await this.waitFor(fileUrl, resumable.file.uploadState!.replace("Pending", "Success"), step);
      this.takeUri(ready, step);
      // How old the URL is cannot be known; renew it so the whole remaining upload has a fresh one.
      await this.renew(fileUrl, "schedule");
      staged = await this.stagedBlocks();
      resumed = true;
      this.opts.onEvent?.({ kind: "resumed", contentVersion: version, stagedBlocks: staged.size });
    } else {
      this.step("creating a content version");
      const created = await this.graph.post<{ id?: string }>(base, {}, { idempotent: false });
      if (typeof created?.id !== "string") this.fail("creating a content version", "no id in the answer");
      version = created.id;
      this.step("creating the content file");
      const file = await this.graph.post<ContentFileState>(
        `${base}/${encodeURIComponent(version)}/files`,
        {
          "@odata.type": "#microsoft.graph.mobileAppContentFile",
          name: this.pkg.name,
          size: d.unencryptedContentSize,
          sizeEncrypted: this.pkg.payload.length,
          manifest: null,
          isDependency: false,
        },
        { idempotent: false },
      );
      if (typeof file?.id !== "string") this.fail("creating the content file", "no id in the answer");
      fileUrl = `${base}/${encodeURIComponent(version)}/files/${encodeURIComponent(file.id)}`;
      const step = "waiting for the upload URL";
      this.takeUri(await this.waitFor(fileUrl, "azureStorageUriRequestSuccess", step), step);
    }

    const handle = await open(this.pkg.file, "r");
    let blocksSent = 0;
    let bytesSent = 0;
    const ids: string[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const id = blockId(d, i);
        ids.push(id);
        const start = i * this.blockSize;
        const length = Math.min(this.blockSize, this.pkg.payload.length - start);
        if (staged.get(id) === length) {
          this.opts.onEvent?.({ kind: "block", index: i, count, skipped: true });
          continue;
        }
        const buf = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buf, 0, length, this.pkg.payload.offset + start);
        if (bytesRead !== length) this.fail("uploading", `${this.pkg.file} ended early (block ${i + 1} of ${count})`);
        await this.storagePut(
          fileUrl,
          `comp=block&blockid=${encodeURIComponent(id)}`,
          buf,
          { "x-ms-blob-type": "BlockBlob" },
          `uploading block ${i + 1} of ${count}`,
        );
        blocksSent++;
        bytesSent += length;
        this.opts.onEvent?.({ kind: "block", index: i, count, skipped: false });
      }
    } finally {
      await handle.close();
    }
    const list = Buffer.from(
      `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`,
      "utf8",
    );
    await this.storagePut(
      fileUrl,
      "comp=blocklist",
      list,
      { "Content-Type": "application/xml" },
      "committing the block list",
    );

    this.step("committing the file");
    const e = d.encryptionInfo;
    const commitBody = {
      fileEncryptionInfo: {
        "@odata.type": "#microsoft.graph.fileEncryptionInfo",
        encryptionKey: e.encryptionKey,
        macKey: e.macKey,
        initializationVector: e.initializationVector,
        mac: e.mac,
        profileIdentifier: e.profileIdentifier,
        fileDigest: e.fileDigest,
        fileDigestAlgorithm: e.fileDigestAlgorithm,
      },
    };
    try {
      await this.graph.post(`${fileUrl}/commit`, commitBody, { idempotent: false });
    } catch (err) {
      // A commit that may have arrived: the file's state says which (a second commit would be refused).
      if (!(err instanceof GraphError) || !err.ambiguous) throw err;
    }
    await this.waitFor(fileUrl, "commitFileSuccess", "committing the file");
    return {
      contentVersion: version,
      fileId: fileUrl.split("/").pop()!,
      blocks: count,
      blocksSent,
      bytesSent,
      renewals: this.renewals,
      resumed,
    };
  }
}

/** Uploads and commits `pkg` as a content version of the app (not yet published). */
export async function uploadAppContent(
  graph: GraphClient,
  app: AppRef,
  pkg: ContentPackage,
  opts: UploadOptions & { committedContentVersion?: string | null },
): Promise<UploadResult> {
  return new Upload(graph, app, pkg, opts).run(opts.committedContentVersion ?? null);
}

/**
 * Makes `version` the app's committed content version (with `extra` fields in the same PATCH) and waits
 * until the app is published: Graph does not assign an app that is not (win32LobApp resource page).
 */
export async function publishAppContent(
  graph: GraphClient,
  app: AppRef,
  version: string,
  extra: JsonObject = {},
  opts: Pick<UploadOptions, "maxPolls" | "pollIntervalMs"> = {},
): Promise<void> {
  const path = `deviceAppManagement/mobileApps/${encodeURIComponent(app.id)}`;
  await graph.patch(path, { "@odata.type": ODATA.win32LobApp, ...extra, committedContentVersion: version });
  const maxPolls = opts.maxPolls ?? 600;
  for (let poll = 0; poll < maxPolls; poll++) {
    const live = await graph.get<{ publishingState?: string; committedContentVersion?: string | null }>(
      `${path}?$select=publishingState,committedContentVersion`,
    );
    if (live.publishingState === "published" && live.committedContentVersion === version) return;
    if (live.publishingState === "failed")
      throw new AppContentError(app, "publishing", `the app is in publishing state failed`);
    await graph.wait(Math.min((opts.pollIntervalMs ?? 1_000) * 2 ** Math.min(poll, 4), 10_000));
  }
  throw new AppContentError(app, "publishing", `not published after ${maxPolls} polls (timed out)`);
}
