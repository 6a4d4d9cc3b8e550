// Read-only Intune reference data: assignment filters (seeded) and the settings catalog definitions
// (`configurationSettings`, served from the pinned catalog, research §3.1).
import { pinnedCatalog } from "../../catalog";
import { COLLECTIONS } from "../../model";
import { intuneNotFound } from "../errors";
import { applyFilter, contextUrl, project, rejectCount, selectedProperties } from "../odata-query";
import { BETA, type Route, type RouteContext } from "../router";
import type { Json } from "../shapes";
import { entityResponse, entityView, listResponse, mustGet } from "./common";

const F = COLLECTIONS.assignmentFilters;

function listFilters(ctx: RouteContext) {
  rejectCount(ctx.req);
  const items = applyFilter(ctx.req, ctx.env.state.list(F)).map((f) => entityView(f, { navigation: [], keepType: true, select: selectedProperties(ctx.req) }));
  return listResponse(ctx.req, items, { context: contextUrl(ctx.req, "deviceManagement/assignmentFilters"), pageCount: true });
}

function getFilter(ctx: RouteContext) {
  const f = mustGet(ctx.env.state, F, ctx.params[0]!);
  return entityResponse(ctx.req, 200, "deviceManagement/assignmentFilters/$entity", entityView(f, { navigation: [], keepType: true, select: selectedProperties(ctx.req) }));
}

function definitions(): Json[] {
  return pinnedCatalog.all() as unknown as Json[];
}

function listSettings(ctx: RouteContext) {
  rejectCount(ctx.req);
  const select = selectedProperties(ctx.req);
  const items = applyFilter(ctx.req, definitions()).map((d) => project(d, select));
  return listResponse(ctx.req, items, { context: contextUrl(ctx.req, "deviceManagement/configurationSettings"), pageCount: true });
}

function getSetting(ctx: RouteContext) {
  const d = pinnedCatalog.get(ctx.params[0]!);
  if (!d) throw intuneNotFound();
  return entityResponse(ctx.req, 200, "deviceManagement/configurationSettings/$entity", project(d as unknown as Json, selectedProperties(ctx.req)));
}

const common = { versions: BETA, area: "configuration", intune: true } as const;
export const catalogRoutes: Route[] = [
  { ...common, method: "GET", pattern: ["deviceManagement", "assignmentFilters"], pageSize: 25, handler: listFilters },
  { ...common, method: "GET", pattern: ["deviceManagement", "assignmentFilters", ":id"], handler: getFilter },
  { ...common, method: "GET", pattern: ["deviceManagement", "configurationSettings"], pageSize: 25, handler: listSettings },
  { ...common, method: "GET", pattern: ["deviceManagement", "configurationSettings", ":id"], handler: getSetting },
];
