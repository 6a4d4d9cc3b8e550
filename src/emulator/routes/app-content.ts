// Win32 app content (Graph beta api-reference: intune-apps-mobileappcontentfile.md and its commit and
// renewUpload pages; the upload flow of microsoftgraph/powershell-intune-samples
// Win32_Application_Add.ps1): content versions, files and the upload state machine. States advance when
// the client polls,
// after `content.pendingPolls` GETs that still show `*Pending`. A file gets a SAS upload URL into the
// emulator's storage (blob-storage.ts) that expires after `content.sasLifetimeMs` unless `renewUpload`
// issues a new one. A commit is checked when it settles against what the storage holds — the blob's
// size against `sizeEncrypted`, its first 32 bytes and its HMAC-SHA256 (with `macKey`, over IV ‖
// ciphertext) against `mac`, its IV — and a mismatch is `commitFileFailed` without detail, as the
// service answers (MSEndpointMgr/IntuneWin32App#128, #127).
import { randomBytes } from "node:crypto";
import { KINDS } from "../../kinds";
import { isRecord } from "../../model";
import { PayloadVerifier } from "../../package";
import { intuneBadRequest, intuneNotFound } from "../errors";
import { json, noContent } from "../http-types";
import { contextUrl } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { graphTimestamp, newId, type Json } from "../shapes";
import type { ContentFile, ContentVersion } from "../state";
import { bodyObject, kindRoutes, mustGet } from "./common";

const APPS = KINDS.mobileApp.collection;

export function contentVersions(ctx: RouteContext, appId: string): ContentVersion[] {
  return (ctx.env.state.internal.contentVersions[appId] ??= []);
}

function version(ctx: RouteContext): { app: Json; v: ContentVersion } {
  const app = mustGet(ctx.env.state, APPS, ctx.params[0]!);
  const v = contentVersions(ctx, String(app.id)).find((x) => x.id === ctx.params[1]);
  if (!v) throw intuneNotFound();
  return { app, v };
}

function file(ctx: RouteContext): ContentFile {
  const { v } = version(ctx);
  const f = v.files.find((x) => x.id === ctx.params[2]);
  if (!f) throw intuneNotFound();
  return f;
}

function fileView(f: ContentFile): Json {
  const { blocks: _b, blobSize: _s, sas: _sas, pendingPolls: _p, commitInfo: _c, ...rest } = f;
  return { "@odata.type": "#microsoft.graph.mobileAppContentFile", ...rest };
}

function createVersion(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, APPS, ctx.params[0]!);
  const list = contentVersions(ctx, String(app.id));
  const v: ContentVersion = { id: String(list.length + 1), files: [] };
  list.push(v);
  ctx.env.state.persist();
  return json(201, {
    "@odata.context": contextUrl(
      ctx.req,
      `deviceAppManagement/mobileApps('${String(app.id)}')/microsoft.graph.win32LobApp/contentVersions/$entity`,
    ),
    "@odata.type": "#microsoft.graph.mobileAppContent",
    id: v.id,
  });
}

function listVersions(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, APPS, ctx.params[0]!);
  return json(200, {
    "@odata.context": contextUrl(
      ctx.req,
      `deviceAppManagement/mobileApps('${String(app.id)}')/microsoft.graph.win32LobApp/contentVersions`,
    ),
    value: contentVersions(ctx, String(app.id)).map((v) => ({ id: v.id })),
  });
}

function getVersion(ctx: RouteContext) {
  const { v } = version(ctx);
  return json(200, {
    "@odata.context": contextUrl(ctx.req, "mobileAppContent/$entity"),
    "@odata.type": "#microsoft.graph.mobileAppContent",
    id: v.id,
  });
}

function createFile(ctx: RouteContext) {
  const { v } = version(ctx);
  const body = bodyObject(ctx.req);
  if (typeof body.name !== "string" || body.name === "") throw intuneBadRequest("Property 'name' is required.");
  if (typeof body.size !== "number" || typeof body.sizeEncrypted !== "number")
    throw intuneBadRequest("Properties 'size' and 'sizeEncrypted' are required.");
  const f: ContentFile = {
    id: newId(),
    name: body.name,
    size: body.size,
    sizeEncrypted: body.sizeEncrypted,
    manifest: typeof body.manifest === "string" ? body.manifest : null,
    isDependency: body.isDependency === true,
    isCommitted: false,
    uploadState: "azureStorageUriRequestPending",
    azureStorageUri: null,
    azureStorageUriExpirationDateTime: null,
    createdDateTime: graphTimestamp(),
    blocks: {},
    blobSize: null,
    sas: {},
    pendingPolls: ctx.env.content.pendingPolls,
  };
  v.files.push(f);
  ctx.env.state.persist();
  return json(201, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFile/$entity"), ...fileView(f) });
}

function issueUploadUrl(ctx: RouteContext, f: ContentFile): void {
  const sig = randomBytes(24).toString("base64url");
  const expires = Date.now() + ctx.env.content.sasLifetimeMs * ctx.env.timeScale;
  const se = new Date(expires).toISOString();
  (f.sas ??= {})[sig] = expires;
  f.azureStorageUri = `${ctx.req.baseUrl}blob/intune-content/${f.id}.intunewin.bin?sv=2020-04-08&se=${encodeURIComponent(se)}&sr=b&sp=rcw&sig=${sig}`;
  f.azureStorageUriExpirationDateTime = se;
}

function commitMatchesBlob(ctx: RouteContext, f: ContentFile): boolean {
  const blob = ctx.env.state.blobs.get(f.id)?.committed;
  const info = f.commitInfo;
  if (!blob || !info || blob.length !== f.sizeEncrypted) return false;
  const bytes = (s: string | undefined, n: number) => {
    const b = Buffer.from(s ?? "", "base64");
    return b.length === n ? b : undefined;
  };
  const mac = bytes(info.mac, 32);
  const macKey = bytes(info.macKey, 32);
  const iv = bytes(info.initializationVector, 16);
  if (!mac || !macKey || !iv) return false;
  const verifier = new PayloadVerifier({ mac, iv, macKey });
  verifier.update(blob);
  try {
    verifier.final();
    return true;
  } catch {
    return false;
  }
}

const SETTLES: Record<string, string> = {
  azureStorageUriRequestPending: "azureStorageUriRequestSuccess",
  azureStorageUriRenewalPending: "azureStorageUriRenewalSuccess",
  commitFilePending: "commit",
};

/** The state machine advances when the client polls (the sample's wait loops after file create and commit). */
function advance(ctx: RouteContext, f: ContentFile): boolean {
  const next = SETTLES[f.uploadState];
  if (!next) return false;
  if ((f.pendingPolls ?? 0) > 0) {
    f.pendingPolls = (f.pendingPolls ?? 0) - 1;
    return true;
  }
  if (next === "commit") {
    const ok = commitMatchesBlob(ctx, f);
    f.uploadState = ok ? "commitFileSuccess" : "commitFileFailed";
    f.isCommitted = ok;
  } else {
    issueUploadUrl(ctx, f);
    f.uploadState = next;
  }
  return true;
}

function getFile(ctx: RouteContext) {
  const f = file(ctx);
  if (advance(ctx, f)) ctx.env.state.persist();
  return json(200, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFile/$entity"), ...fileView(f) });
}

function listFiles(ctx: RouteContext) {
  const { v } = version(ctx);
  return json(200, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFiles"), value: v.files.map(fileView) });
}

const ENCRYPTION_FIELDS = [
  "encryptionKey",
  "initializationVector",
  "mac",
  "macKey",
  "profileIdentifier",
  "fileDigest",
  "fileDigestAlgorithm",
];
const UPLOADABLE = new Set(["azureStorageUriRequestSuccess", "azureStorageUriRenewalSuccess", "commitFileFailed"]);

function commit(ctx: RouteContext) {
  const f = file(ctx);
  const info = bodyObject(ctx.req).fileEncryptionInfo;
  if (!isRecord(info)) throw intuneBadRequest("fileEncryptionInfo is required.");
  const missing = ENCRYPTION_FIELDS.filter((k) => typeof info[k] !== "string" || info[k] === "");
  if (missing.length > 0) throw intuneBadRequest(`fileEncryptionInfo is missing ${missing.join(", ")}.`);
  if (!UPLOADABLE.has(f.uploadState))
    throw intuneBadRequest(`The file cannot be committed in state '${f.uploadState}'.`);
  f.commitInfo = Object.fromEntries(ENCRYPTION_FIELDS.map((k) => [k, String(info[k])]));
  f.uploadState = "commitFilePending";
  f.pendingPolls = ctx.env.content.pendingPolls;
  ctx.env.state.persist();
  return noContent();
}

function renewUpload(ctx: RouteContext) {
  const f = file(ctx);
  if (f.isCommitted) throw intuneBadRequest("The file is already committed.");
  f.uploadState = "azureStorageUriRenewalPending";
  f.pendingPolls = ctx.env.content.pendingPolls;
  ctx.env.state.persist();
  return noContent();
}

const { pattern: app, common } = kindRoutes(KINDS.mobileApp);
const cv = [...app, ":id", "microsoft.graph.win32LobApp", "contentVersions"];
export const appContentRoutes: Route[] = [
  { ...common, method: "POST", pattern: cv, handler: createVersion },
  { ...common, method: "GET", pattern: cv, handler: listVersions },
  { ...common, method: "GET", pattern: [...cv, ":v"], handler: getVersion },
  { ...common, method: "POST", pattern: [...cv, ":v", "files"], handler: createFile },
  { ...common, method: "GET", pattern: [...cv, ":v", "files"], handler: listFiles },
  { ...common, method: "GET", pattern: [...cv, ":v", "files", ":f"], handler: getFile },
  { ...common, method: "POST", pattern: [...cv, ":v", "files", ":f", "commit"], handler: commit },
  { ...common, method: "POST", pattern: [...cv, ":v", "files", ":f", "renewUpload"], handler: renewUpload },
];
