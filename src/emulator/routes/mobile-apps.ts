// Win32 line-of-business apps: POST needs `@odata.type` (mobileApp is abstract),
// content versions and files with the upload state machine (states advance on the next GET), commit,
// PATCH `committedContentVersion` to publish, `assign` (204, full replace, only once published). The
// retired `deviceStatuses` / `userStatuses` / `installSummary` have no route, so they answer 400
// "Resource not found for the segment …" as Graph does today.
import { checkDeclaredProperties } from "../declared-properties";
import { KINDS } from "../../kinds";
import { isRecord, ODATA, odataKind } from "../../model";
import { abstractClass, GraphHttpError, intuneBadRequest, intuneNotFound, unresolvedType } from "../errors";
import { json, noContent } from "../http-types";
import { applyFilter, contextUrl, rejectCount } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { clone, deriveWin32ServerFields, graphTimestamp, newId, readTarget, targetKey, win32AppShape, type Json } from "../shapes";
import type { ContentFile, ContentVersion } from "../state";
import { checkAssignments } from "./assignment-targets";
import { bodyObject, clientFields, deleteHandler, entityResponse, entityView, listResponse, mustGet, navigationListHandler, polymorphicViewOptions, kindRoutes, patchResponse, rejectNavigationInPatch, type ViewOptions } from "./common";

const SPEC = KINDS.mobileApp;
const C = SPEC.collection;
const NAV = ["assignments", "categories", "relationships"] as const;
const SERVER_FIELDS = ["id", "createdDateTime", "lastModifiedDateTime", "uploadState", "publishingState", "isAssigned", "dependentAppCount", "supersedingAppCount", "supersededAppCount", "size"];
const SUPPORTED_TYPES = new Set(["win32LobApp", "windowsMobileMSI"]);
const INTENTS = ["available", "required", "uninstall", "availableWithoutEnrollment"];

const PATH = SPEC.collection;

function viewOptions(ctx: RouteContext): ViewOptions {
  return polymorphicViewOptions(ctx, PATH, NAV, SPEC.entityType);
}

function checkType(body: Json): string {
  const type = body["@odata.type"];
  // "Cannot create an abstract class." (mobileApp is abstract: api-reference/beta/resources/intune-apps-mobileapp.md)
  if (typeof type !== "string") throw abstractClass();
  const kind = odataKind(type) ?? "";
  if (!SUPPORTED_TYPES.has(kind)) throw unresolvedType(type);
  return `#microsoft.graph.${kind}`;
}

function scalars(body: Json): Json {
  return clientFields(body, NAV, SERVER_FIELDS);
}

function list(ctx: RouteContext) {
  rejectCount(ctx.req);
  const o = viewOptions(ctx);
  return listResponse(ctx.req, applyFilter(ctx.req, ctx.env.state.list(C)), { context: contextUrl(ctx.req, PATH), pageCount: true, view: (a) => entityView(a, o) });
}

function get(ctx: RouteContext) {
  const a = mustGet(ctx.env.state, C, ctx.params[0]!);
  return entityResponse(ctx.req, 200, "deviceAppManagement/mobileApps/$entity", entityView(a, viewOptions(ctx)));
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (odataKind(type) === "win32LobApp") checkDeclaredProperties(body, "win32LobApp");
  if (typeof body.displayName !== "string" || body.displayName === "") throw intuneBadRequest("Property 'displayName' is required.");
  const id = newId();
  const now = graphTimestamp();
  const stored = win32AppShape({ "@odata.type": type, id, displayName: body.displayName, createdDateTime: now, lastModifiedDateTime: now, ...scalars(body) });
  stored.committedContentVersion = null;
  stored.assignments = [];
  if (odataKind(type) === "win32LobApp") deriveWin32ServerFields(stored);
  ctx.env.state.put(C, stored);
  return { ...entityResponse(ctx.req, 201, "deviceAppManagement/mobileApps/$entity", entityView(stored, { navigation: NAV, keepType: true })), created: { collection: C, id } };
}

function versions(ctx: RouteContext, appId: string): ContentVersion[] {
  return (ctx.env.state.internal.contentVersions[appId] ??= []);
}

function patch(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (type !== app["@odata.type"]) throw intuneBadRequest(`The app is a ${String(app["@odata.type"])}; its type cannot be changed.`);
  rejectNavigationInPatch(body, NAV, "microsoft.management.services.api.mobileApp");
  if (odataKind(type) === "win32LobApp") checkDeclaredProperties(body, "win32LobApp");
  const { committedContentVersion, ...rest } = scalars(body);
  if (committedContentVersion !== undefined && committedContentVersion !== null) {
    const v = versions(ctx, String(app.id)).find((x) => x.id === String(committedContentVersion));
    if (!v) throw intuneBadRequest(`Content version '${String(committedContentVersion)}' does not exist.`);
    if (v.files.length === 0 || v.files.some((f) => f.uploadState !== "commitFileSuccess")) {
      throw intuneBadRequest(`Content version '${v.id}' has files that are not committed.`);
    }
    app.committedContentVersion = v.id;
    app.publishingState = "published";
    app.size = v.files.reduce((n, f) => n + f.size, 0);
  }
  Object.assign(app, rest, { lastModifiedDateTime: graphTimestamp() });
  if (odataKind(type) === "win32LobApp") deriveWin32ServerFields(app);
  ctx.env.state.put(C, app);
  return patchResponse(ctx, "deviceAppManagement/mobileApps/$entity", () => entityView(app, { navigation: NAV, keepType: true }));
}

function assign(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const list = checkAssignments(body.mobileAppAssignments, "mobileAppAssignments");
  if (app.publishingState !== "published") throw intuneBadRequest("The app cannot be assigned before its content is committed and published.");
  const appId = String(app.id);
  app.assignments = list.map((a) => {
    const intent = String(a.intent ?? "");
    if (!INTENTS.includes(intent)) throw new GraphHttpError(400, "BadRequest", `The value '${intent}' is not valid for intent.`);
    const target = a.target as Json;
    return {
      "@odata.type": ODATA.mobileAppAssignment,
      id: `${targetKey(target)}_${INTENTS.indexOf(intent)}_0`,
      intent,
      target: readTarget(target),
      settings: isRecord(a.settings) ? clone(a.settings) : null,
      source: "direct",
      sourceId: appId,
    };
  });
  app.isAssigned = (app.assignments as Json[]).length > 0;
  ctx.env.state.put(C, app);
  return noContent();
}

// ---- content versions and files -----------------------------------------------------------------

function version(ctx: RouteContext): { app: Json; v: ContentVersion } {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const v = versions(ctx, String(app.id)).find((x) => x.id === ctx.params[1]);
  if (!v) throw intuneNotFound();
  return { app, v };
}

function file(ctx: RouteContext): { app: Json; v: ContentVersion; f: ContentFile } {
  const { app, v } = version(ctx);
  const f = v.files.find((x) => x.id === ctx.params[2]);
  if (!f) throw intuneNotFound();
  return { app, v, f };
}

function fileView(f: ContentFile): Json {
  const { blocks: _b, blobSize: _s, ...rest } = f;
  return { "@odata.type": "#microsoft.graph.mobileAppContentFile", ...rest };
}

function createVersion(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const list = versions(ctx, String(app.id));
  const v: ContentVersion = { id: String(list.length + 1), files: [] };
  list.push(v);
  return json(201, { "@odata.context": contextUrl(ctx.req, `deviceAppManagement/mobileApps('${String(app.id)}')/microsoft.graph.win32LobApp/contentVersions/$entity`), "@odata.type": "#microsoft.graph.mobileAppContent", id: v.id });
}

function listVersions(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  return json(200, { "@odata.context": contextUrl(ctx.req, `deviceAppManagement/mobileApps('${String(app.id)}')/microsoft.graph.win32LobApp/contentVersions`), value: versions(ctx, String(app.id)).map((v) => ({ id: v.id })) });
}

function getVersion(ctx: RouteContext) {
  const { v } = version(ctx);
  return json(200, { "@odata.context": contextUrl(ctx.req, "mobileAppContent/$entity"), "@odata.type": "#microsoft.graph.mobileAppContent", id: v.id });
}

function createFile(ctx: RouteContext) {
  const { v } = version(ctx);
  const body = bodyObject(ctx.req);
  if (typeof body.name !== "string" || body.name === "") throw intuneBadRequest("Property 'name' is required.");
  if (typeof body.size !== "number" || typeof body.sizeEncrypted !== "number") throw intuneBadRequest("Properties 'size' and 'sizeEncrypted' are required.");
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
  };
  v.files.push(f);
  return json(201, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFile/$entity"), ...fileView(f) });
}

/** The state machine advances when the client polls. */
function advance(ctx: RouteContext, f: ContentFile): boolean {
  switch (f.uploadState) {
    case "azureStorageUriRequestPending":
    case "azureStorageUriRenewalPending":
      f.uploadState = f.uploadState === "azureStorageUriRequestPending" ? "azureStorageUriRequestSuccess" : "azureStorageUriRenewalSuccess";
      f.azureStorageUri = `${ctx.req.baseUrl}blob/intune-content/${f.id}.intunewin.bin?sv=2020-04-08&se=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}&sr=b&sp=rcw&sig=emulator`;
      f.azureStorageUriExpirationDateTime = new Date(Date.now() + 3600_000).toISOString();
      return true;
    case "commitFilePending":
      if (f.blobSize !== null && f.blobSize === f.sizeEncrypted) {
        f.uploadState = "commitFileSuccess";
        f.isCommitted = true;
      } else f.uploadState = "commitFileFailed";
      return true;
  }
  return false;
}

function getFile(ctx: RouteContext) {
  const { f } = file(ctx);
  if (advance(ctx, f)) ctx.env.state.persist();
  return json(200, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFile/$entity"), ...fileView(f) });
}

function listFiles(ctx: RouteContext) {
  const { v } = version(ctx);
  return json(200, { "@odata.context": contextUrl(ctx.req, "mobileAppContentFiles"), value: v.files.map(fileView) });
}

const ENCRYPTION_FIELDS = ["encryptionKey", "initializationVector", "mac", "macKey", "profileIdentifier", "fileDigest", "fileDigestAlgorithm"];

function commit(ctx: RouteContext) {
  const { f } = file(ctx);
  const info = bodyObject(ctx.req).fileEncryptionInfo;
  if (!isRecord(info)) throw intuneBadRequest("fileEncryptionInfo is required.");
  const missing = ENCRYPTION_FIELDS.filter((k) => typeof info[k] !== "string" || info[k] === "");
  if (missing.length > 0) throw intuneBadRequest(`fileEncryptionInfo is missing ${missing.join(", ")}.`);
  if (f.uploadState !== "azureStorageUriRequestSuccess" && f.uploadState !== "azureStorageUriRenewalSuccess" && f.uploadState !== "commitFileFailed") {
    throw intuneBadRequest(`The file cannot be committed in state '${f.uploadState}'.`);
  }
  f.uploadState = "commitFilePending";
  return noContent();
}

function renewUpload(ctx: RouteContext) {
  const { f } = file(ctx);
  f.uploadState = "azureStorageUriRenewalPending";
  return noContent();
}

const { pattern: app, common } = kindRoutes(SPEC);
const cv = [...app, ":id", "microsoft.graph.win32LobApp", "contentVersions"];
export const mobileAppRoutes: Route[] = [
  { ...common, method: "GET", pattern: app, pageSize: 25, handler: list },
  { ...common, method: "POST", pattern: app, handler: create },
  { ...common, method: "GET", pattern: [...app, ":id"], entityCollection: C, handler: get },
  { ...common, method: "PATCH", pattern: [...app, ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: [...app, ":id"], handler: deleteHandler(C) },
  { ...common, method: "GET", pattern: [...app, ":id", "assignments"], entityCollection: C, handler: navigationListHandler(C, PATH, "assignments") },
  { ...common, method: "POST", pattern: [...app, ":id", "assign"], handler: assign },
  { ...common, method: "POST", pattern: cv, handler: createVersion },
  { ...common, method: "GET", pattern: cv, handler: listVersions },
  { ...common, method: "GET", pattern: [...cv, ":v"], handler: getVersion },
  { ...common, method: "POST", pattern: [...cv, ":v", "files"], handler: createFile },
  { ...common, method: "GET", pattern: [...cv, ":v", "files"], handler: listFiles },
  { ...common, method: "GET", pattern: [...cv, ":v", "files", ":f"], handler: getFile },
  { ...common, method: "POST", pattern: [...cv, ":v", "files", ":f", "commit"], handler: commit },
  { ...common, method: "POST", pattern: [...cv, ":v", "files", ":f", "renewUpload"], handler: renewUpload },
];
