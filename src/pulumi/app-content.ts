// The providers' one call into content upload (src/tenant/app-content-sync.ts): a Win32 app whose inputs
// name an MSI gets that MSI's package as its committed, published content before its document is
// converged and before it is assigned (Graph assigns only published apps). Storage is reached with its
// own client: the emulator's CA when the stack's tenant is the emulator (the same variable every command
// reads), never a Graph credential.
import { readFileSync } from "node:fs";
import type { GraphClient } from "../graph";
import type { JsonObject, ObjectKind } from "../model";
import { syncAppContent } from "../tenant";
import { EMULATOR_CA_ENV } from "../tenant";
import { createStorageClient, type StorageClient } from "../tenant";
import type { IntuneObjectInputs } from "./resource-inputs";

const storages = new Map<string, StorageClient>();

function storageFor(inputs: IntuneObjectInputs, env: NodeJS.ProcessEnv): StorageClient {
  const caFile = inputs.tenant === "emulator" ? env[EMULATOR_CA_ENV] : undefined;
  const key = caFile ?? "";
  let storage = storages.get(key);
  if (!storage) {
    storage = createStorageClient(caFile ? { ca: readFileSync(caFile, "utf8") } : {});
    storages.set(key, storage);
  }
  return storage;
}

/**
 * Uploads and publishes the app's content when it is not the pinned MSI's yet. Returns `live` with what
 * was written merged in (undefined stays undefined), so the caller converges against the app as it now is.
 */
export async function ensureAppContent(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  inputs: IntuneObjectInputs,
  live?: JsonObject,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JsonObject | undefined> {
  if (kind !== "mobileApp" || !inputs.content) return live;
  const notes = typeof inputs.document.notes === "string" ? inputs.document.notes : "";
  const app = {
    id,
    label: `app '${String(inputs.document.displayName ?? inputs.policyId)}' (policy ${inputs.policyId})`,
  };
  const result = await syncAppContent(graph, app, live, notes, inputs.content, { storage: storageFor(inputs, env) });
  return live ? { ...live, ...result.written } : live;
}
