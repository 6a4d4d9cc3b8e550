// Read-only Intune reference data: assignment filters (seeded), the settings catalog definitions
// (`configurationSettings`, served from the pinned catalog) and the few policy templates
// wslpolicy knows (`configurationPolicyTemplates`).
import { pinnedCatalog } from "../../catalog";
import { COLLECTIONS } from "../../model";
import { intuneNotFound } from "../errors";
import { applyFilter, contextUrl, project, rejectCount, selectedProperties } from "../odata-query";
import { BETA, type Route, type RouteContext } from "../router";
import { KNOWN_TEMPLATES, type Json } from "../shapes";
import { entityResponse, entityView, listResponse, mustGet } from "./common";

const F = COLLECTIONS.assignmentFilters;

function listFilters(ctx: RouteContext) {
  rejectCount(ctx.req);
  const o = { navigation: [], keepType: true, select: selectedProperties(ctx.req) };
  return listResponse(ctx.req, applyFilter(ctx.req, ctx.env.state.list(F)), {
    context: contextUrl(ctx.req, "deviceManagement/assignmentFilters"),
    pageCount: true,
    view: (f) => entityView(f, o),
  });
}

function getFilter(ctx: RouteContext) {
  const f = mustGet(ctx.env.state, F, ctx.params[0]!);
  return entityResponse(
    ctx.req,
    200,
    "deviceManagement/assignmentFilters/$entity",
    entityView(f, { navigation: [], keepType: true, select: selectedProperties(ctx.req) }),
  );
}

function definitions(): Json[] {
  return pinnedCatalog.all() as unknown as Json[];
}

function listSettings(ctx: RouteContext) {
  rejectCount(ctx.req);
  const select = selectedProperties(ctx.req);
  return listResponse(ctx.req, applyFilter(ctx.req, definitions()), {
    context: contextUrl(ctx.req, "deviceManagement/configurationSettings"),
    pageCount: true,
    view: (d) => project(d, select),
  });
}

function getSetting(ctx: RouteContext) {
  const d = pinnedCatalog.get(ctx.params[0]!);
  if (!d) throw intuneNotFound();
  return entityResponse(
    ctx.req,
    200,
    "deviceManagement/configurationSettings/$entity",
    project(d as unknown as Json, selectedProperties(ctx.req)),
  );
}

/** Derived once from KNOWN_TEMPLATES; handlers only read these objects. */
const TEMPLATES: Json[] = Object.entries(KNOWN_TEMPLATES).map(([id, t]) => {
  const [baseId = id, version = "1"] = id.split("_");
  return {
    id,
    baseId,
    version: Number(version),
    displayName: t.templateDisplayName,
    description: "",
    displayVersion: t.templateDisplayVersion,
    lifecycleState: "active",
    platforms: "windows10",
    technologies: t.technologies,
    templateFamily: t.templateFamily,
    allowUnmanagedSettings: false,
    settingTemplateCount: 0,
  };
});

function listTemplates(ctx: RouteContext) {
  rejectCount(ctx.req);
  const select = selectedProperties(ctx.req);
  return listResponse(ctx.req, applyFilter(ctx.req, TEMPLATES), {
    context: contextUrl(ctx.req, "deviceManagement/configurationPolicyTemplates"),
    pageCount: true,
    view: (t) => project(t, select),
  });
}

function getTemplate(ctx: RouteContext) {
  const t = TEMPLATES.find((x) => x.id === ctx.params[0]);
  if (!t) throw intuneNotFound();
  return entityResponse(
    ctx.req,
    200,
    "deviceManagement/configurationPolicyTemplates/$entity",
    project(t, selectedProperties(ctx.req)),
  );
}

const common = { versions: BETA, area: "configuration", intune: true } as const;
export const catalogRoutes: Route[] = [
  { ...common, method: "GET", pattern: ["deviceManagement", "assignmentFilters"], pageSize: 25, handler: listFilters },
  { ...common, method: "GET", pattern: ["deviceManagement", "assignmentFilters", ":id"], handler: getFilter },
  {
    ...common,
    method: "GET",
    pattern: ["deviceManagement", "configurationSettings"],
    pageSize: 25,
    handler: listSettings,
  },
  { ...common, method: "GET", pattern: ["deviceManagement", "configurationSettings", ":id"], handler: getSetting },
  {
    ...common,
    method: "GET",
    pattern: ["deviceManagement", "configurationPolicyTemplates"],
    pageSize: 25,
    handler: listTemplates,
  },
  {
    ...common,
    method: "GET",
    pattern: ["deviceManagement", "configurationPolicyTemplates", ":id"],
    handler: getTemplate,
  },
];
