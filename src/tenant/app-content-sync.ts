// Brings a Win32 app's committed content to the MSI its policy pins, or leaves it alone: the app's
// `notes` name the SHA-256 of the MSI its committed content was packed from (src/model/package-facts.ts),
// so a run with the same file uploads nothing, and a new file becomes a new content version of the same
// app (its id and assignments kept). Before anything is packed or uploaded the MSI is hashed again: a
// file that changed since the plan stops the run. Packages are cached by MSI hash, so an interrupted
// upload resumes with the same package (same keys, same block ids) on the next run.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GraphClient } from "../graph";
import { contentIsCurrent, type JsonObject } from "../model";
import { intunewinFileName, packIntunewin, readIntunewin, readMsiFile, sha256File } from "../package";
import {
  publishAppContent,
  uploadAppContent,
  type AppRef,
  type ContentPackage,
  type UploadEvent,
  type UploadResult,
} from "./app-upload";
import type { StorageClient } from "./storage-client";

export interface ContentSource {
  /** Absolute path of the MSI. */
  msi: string;
  sha256: string;
}

export interface SyncOptions {
  storage: StorageClient;
  /** Where packed `.intunewin` files are kept by MSI hash (default: the OS temp folder). */
  cacheDir?: string;
  onEvent?: (e: UploadEvent) => void;
}

export interface SyncResult {
  uploaded: boolean;
  upload?: UploadResult;
  /** The fields the sync wrote to the app (merge them into a copy of the live object read before). */
  written: JsonObject;
}

async function packageFor(source: ContentSource, cacheDir: string): Promise<ContentPackage> {
  const dir = path.join(cacheDir, source.sha256.toLowerCase());
  const file = path.join(dir, intunewinFileName(source.msi));
  if (!existsSync(file))
    await packIntunewin({ setupFile: source.msi, outDir: dir, msi: await readMsiFile(source.msi) });
  // MAC checked (not decrypted): a damaged cache entry must not be uploaded.
  const read = await readIntunewin(file, { decrypt: false });
  return { file, name: path.basename(file), detection: read.detection, payload: read.payload };
}

export async function syncAppContent(
  graph: GraphClient,
  app: AppRef,
  live: JsonObject | undefined,
  desiredNotes: string,
  source: ContentSource,
  opts: SyncOptions,
): Promise<SyncResult> {
  const current = live ?? (await graph.get<JsonObject>(`deviceAppManagement/mobileApps/${encodeURIComponent(app.id)}`));
  if (contentIsCurrent(current, source.sha256)) return { uploaded: false, written: {} };
  const actual = await sha256File(source.msi);
  if (actual !== source.sha256.toLowerCase()) {
    throw new Error(
      `${app.label} (${app.id}): ${source.msi} has SHA-256 ${actual}, not the pinned ${source.sha256.toLowerCase()}; nothing was uploaded`,
    );
  }
  const pkg = await packageFor(source, opts.cacheDir ?? path.join(tmpdir(), "wslpolicy-packages"));
  const committed =
    typeof current.committedContentVersion === "string" && current.committedContentVersion !== ""
      ? current.committedContentVersion
      : null;
  const upload = await uploadAppContent(graph, app, pkg, {
    storage: opts.storage,
    committedContentVersion: committed,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  await publishAppContent(graph, app, upload.contentVersion, { notes: desiredNotes });
  return {
    uploaded: true,
    upload,
    written: { notes: desiredNotes, committedContentVersion: upload.contentVersion, publishingState: "published" },
  };
}
