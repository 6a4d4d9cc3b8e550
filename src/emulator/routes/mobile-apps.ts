// Win32 line-of-business apps (Graph beta api-reference/beta/resources/intune-apps-win32lobapp.md): POST needs
// `@odata.type` (mobileApp is abstract), PATCH `committedContentVersion` to publish a committed content version
// (app-content.ts; publishing settles after a few reads), `assign` (204, full replace, only once published). The
// retired `deviceStatuses` / `userStatuses` / `installSummary` have no route, so they answer 400 "Resource not found
// for the segment …" as Graph does today.
import { checkDeclaredProperties } from "../declared-properties";
import { KINDS } from "../../kinds";
import { isRecord, ODATA, odataKind } from "../../model";
import { abstractClass, GraphHttpError, intuneBadRequest, unresolvedType } from "../errors";
import { noContent } from "../http-types";
import { applyFilter, contextUrl, rejectCount } from "../odata-query";
import type { Route, RouteContext } from "../router";
import {
  clone,
  deriveWin32ServerFields,
  graphTimestamp,
  newId,
  readTarget,
  targetKey,
  win32AppShape,
  type Json,
} from "../shapes";
import { contentVersions } from "./app-content";
import { checkAssignments } from "./assignment-targets";
import {
  bodyObject,
  clientFields,
  deleteHandler,
  entityResponse,
  entityView,
  listResponse,
  mustGet,
  navigationListHandler,
  polymorphicViewOptions,
  kindRoutes,
  patchResponse,
  rejectNavigationInPatch,
  type ViewOptions,
} from "./common";

const SPEC = KINDS.mobileApp;
const C = SPEC.collection;
const NAV = ["assignments", "categories", "relationships"] as const;
const SERVER_FIELDS = [
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "uploadState",
  "publishingState",
  "isAssigned",
  "dependentAppCount",
  "supersedingAppCount",
  "supersededAppCount",
  "size",
];
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
  return listResponse(ctx.req, applyFilter(ctx.req, ctx.env.state.list(C)), {
    context: contextUrl(ctx.req, PATH),
    pageCount: true,
    view: (a) => entityView(a, o),
  });
}

/** A publishing app becomes `published` after `content.publishingPolls` reads of it. */
function tickPublishing(ctx: RouteContext, app: Json): void {
  const pending = ctx.env.state.internal.publishing;
  const id = String(app.id);
  if (!pending || pending[id] === undefined) return;
  pending[id] -= 1;
  if (pending[id]! <= 0) {
    delete pending[id];
    app.publishingState = "published";
    ctx.env.state.put(C, app);
  }
}

function get(ctx: RouteContext) {
  const a = mustGet(ctx.env.state, C, ctx.params[0]!);
  tickPublishing(ctx, a);
  return entityResponse(ctx.req, 200, "deviceAppManagement/mobileApps/$entity", entityView(a, viewOptions(ctx)));
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (odataKind(type) === "win32LobApp") checkDeclaredProperties(body, "win32LobApp");
  if (typeof body.displayName !== "string" || body.displayName === "")
    throw intuneBadRequest("Property 'displayName' is required.");
  const id = newId();
  const now = graphTimestamp();
  const stored = win32AppShape({
    "@odata.type": type,
    id,
    displayName: body.displayName,
    createdDateTime: now,
    lastModifiedDateTime: now,
    ...scalars(body),
  });
  stored.committedContentVersion = null;
  stored.assignments = [];
  if (odataKind(type) === "win32LobApp") deriveWin32ServerFields(stored);
  ctx.env.state.put(C, stored);
  return {
    ...entityResponse(
      ctx.req,
      201,
      "deviceAppManagement/mobileApps/$entity",
      entityView(stored, { navigation: NAV, keepType: true }),
    ),
    created: { collection: C, id },
  };
}

function patch(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (type !== app["@odata.type"])
    throw intuneBadRequest(`The app is a ${String(app["@odata.type"])}; its type cannot be changed.`);
  rejectNavigationInPatch(body, NAV, "microsoft.management.services.api.mobileApp");
  if (odataKind(type) === "win32LobApp") checkDeclaredProperties(body, "win32LobApp");
  const { committedContentVersion, ...rest } = scalars(body);
  if (committedContentVersion !== undefined && committedContentVersion !== null) {
    const v = contentVersions(ctx, String(app.id)).find((x) => x.id === String(committedContentVersion));
    if (!v) throw intuneBadRequest(`Content version '${String(committedContentVersion)}' does not exist.`);
    if (v.files.length === 0 || v.files.some((f) => f.uploadState !== "commitFileSuccess")) {
      throw intuneBadRequest(`Content version '${v.id}' has files that are not committed.`);
    }
    app.committedContentVersion = v.id;
    // Publishing takes a while after the commit (Microsoft's sample waits 30 s before assigning).
    const polls = ctx.env.content.publishingPolls;
    app.publishingState = polls > 0 ? "processing" : "published";
    if (polls > 0) (ctx.env.state.internal.publishing ??= {})[String(app.id)] = polls;
    app.size = v.files.reduce((n, f) => n + f.size, 0);
  }
  Object.assign(app, rest, { lastModifiedDateTime: graphTimestamp() });
  if (odataKind(type) === "win32LobApp") deriveWin32ServerFields(app);
  ctx.env.state.put(C, app);
  return patchResponse(ctx, "deviceAppManagement/mobileApps/$entity", () =>
    entityView(app, { navigation: NAV, keepType: true }),
  );
}

function assign(ctx: RouteContext) {
  const app = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const list = checkAssignments(body.mobileAppAssignments, "mobileAppAssignments");
  if (app.publishingState !== "published")
    throw intuneBadRequest("The app cannot be assigned before its content is committed and published.");
  const appId = String(app.id);
  app.assignments = list.map((a) => {
    const intent = String(a.intent ?? "");
    if (!INTENTS.includes(intent))
      throw new GraphHttpError(400, "BadRequest", `The value '${intent}' is not valid for intent.`);
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

const { pattern: app, common } = kindRoutes(SPEC);
export const mobileAppRoutes: Route[] = [
  { ...common, method: "GET", pattern: app, pageSize: 25, handler: list },
  { ...common, method: "POST", pattern: app, handler: create },
  { ...common, method: "GET", pattern: [...app, ":id"], entityCollection: C, handler: get },
  { ...common, method: "PATCH", pattern: [...app, ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: [...app, ":id"], handler: deleteHandler(C) },
  {
    ...common,
    method: "GET",
    pattern: [...app, ":id", "assignments"],
    entityCollection: C,
    handler: navigationListHandler(C, PATH, "assignments"),
  },
  { ...common, method: "POST", pattern: [...app, ":id", "assign"], handler: assign },
];
