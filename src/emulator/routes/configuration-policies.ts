// Settings-catalog policies, beta only: list/get with the OData options real
// clients use, POST 201 with server fields, PUT 204 full replace, PATCH metadata only, DELETE 204, the
// paged `/settings` sub-collection, `/assignments` and `/assign` replacing the whole list.
import { pinnedCatalog } from "../../catalog";
import { KINDS } from "../../kinds";
import { isRecord, ODATA } from "../../model";
import { intuneBadRequest, intuneNotFound, unresolvedType } from "../errors";
import { noContent } from "../http-types";
import { applyFilter, contextUrl, expandedProperties, rejectCount, selectedProperties } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { checkDeclaredProperties, filterType } from "../declared-properties";
import { validateSettings, validateTemplateReferences } from "../setting-validation";
import { graphTimestamp, newId, readSettings, storedConfigurationPolicy, type Json } from "../shapes";
import {
  bodyObject,
  clientFields,
  deleteHandler,
  entityResponse,
  entityView,
  listResponse,
  mustGet,
  navContextAt,
  navigationListHandler,
  policyAssignHandler,
  kindRoutes,
  patchResponse,
  rejectNavigationInPatch,
  type ViewOptions,
} from "./common";

const SPEC = KINDS.configurationPolicy;
const C = SPEC.collection;
const PATH = SPEC.collection;
const ENTITY_TYPE = "microsoft.management.services.api.deviceManagementConfigurationPolicy";
const NAV = ["settings", "assignments"] as const;
const TIPS =
  "This request only returns a subset of the resource's properties. Your app will need to use $select to return non-default properties. To find out what other properties are available for this resource see https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta";
/** Read-only or server-owned fields a client may echo back; the service ignores them. */
const SERVER_FIELDS = [
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "settingCount",
  "isAssigned",
  "priorityMetaData",
];
const IMMUTABLE_MESSAGE = "Platform, PolicyType, and CreationSource cannot be changed once created.";
/** With `$expand=settings` the list shrinks to a couple of policies per page (one public observation). */
const EXPANDED_SETTINGS_PAGE = 2;

/** Returned only when `$select`ed. */
const NON_DEFAULT = ["isAssigned", "disableEntraGroupPolicyAssignment"];

function viewOptions(ctx: RouteContext): ViewOptions {
  return {
    navigation: NAV,
    expand: expandedProperties(ctx.req, NAV, SPEC.entityType),
    nonDefault: NON_DEFAULT,
    select: selectedProperties(ctx.req),
    computed: { isAssigned: (p) => Array.isArray(p.assignments) && p.assignments.length > 0 },
    navContext: navContextAt(ctx.req, PATH),
  };
}

function checkCreateBody(body: Json, templateReference: unknown = body.templateReference, policyId = ""): void {
  if ("@odata.type" in body) {
    // a top-level @odata.type is rejected by the model (reported in SkipToTheEndpoint/OpenIntuneBaseline#207)
    throw unresolvedType(ODATA.configurationPolicy);
  }
  for (const field of ["name", "platforms", "technologies"]) {
    if (typeof body[field] !== "string" || body[field] === "")
      throw intuneBadRequest(`Property '${field}' is required.`);
  }
  validateSettings(body.settings, String(body.platforms));
  validateTemplateReferences(body.settings, templateReference, policyId);
}

function checkImmutable(stored: Json, body: Json): void {
  const changed =
    (body.platforms !== undefined && body.platforms !== stored.platforms) ||
    (body.technologies !== undefined && body.technologies !== stored.technologies) ||
    (body.creationSource !== undefined && (body.creationSource ?? null) !== (stored.creationSource ?? null)) ||
    (isRecord(body.templateReference) &&
      body.templateReference.templateId !== undefined &&
      (body.templateReference.templateId ?? "") !==
        ((isRecord(stored.templateReference) ? stored.templateReference.templateId : "") ?? ""));
  if (changed) throw intuneBadRequest(IMMUTABLE_MESSAGE);
}

function scalars(body: Json): Json {
  // templateReference is the service's to fill in (shapes.ts templateReference), never stored as sent.
  return clientFields(body, NAV, [...SERVER_FIELDS, "templateReference"]);
}

function roleScopeTags(v: unknown): string[] {
  return Array.isArray(v) && v.length > 0 ? v.map(String) : ["0"];
}

function list(ctx: RouteContext) {
  rejectCount(ctx.req);
  const o = viewOptions(ctx);
  return listResponse(
    ctx.req,
    applyFilter(ctx.req, ctx.env.state.list(C), filterType("deviceManagementConfigurationPolicy")),
    {
      context: contextUrl(ctx.req, PATH),
      pageCount: true,
      tips: TIPS,
      pageSize: o.expand?.has("settings") ? EXPANDED_SETTINGS_PAGE : undefined,
      view: (p) => entityView(p, o),
    },
  );
}

function get(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  return entityResponse(
    ctx.req,
    200,
    "deviceManagement/configurationPolicies/$entity",
    entityView(p, viewOptions(ctx)),
  );
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  checkDeclaredProperties(body, "deviceManagementConfigurationPolicy");
  checkCreateBody(body);
  const id = newId();
  const stored = storedConfigurationPolicy(
    id,
    {
      ...scalars(body),
      name: body.name,
      platforms: body.platforms,
      priorityMetaData: null,
      roleScopeTagIds: roleScopeTags(body.roleScopeTagIds),
      technologies: body.technologies,
    },
    { settings: body.settings, templateReference: body.templateReference },
  );
  if (stored.description === null || stored.description === undefined) stored.description = "";
  ctx.env.state.put(C, stored);
  const view = entityView(stored, { navigation: NAV, nonDefault: NON_DEFAULT });
  return {
    ...entityResponse(ctx.req, 201, "deviceManagement/configurationPolicies/$entity", view),
    created: { collection: C, id },
  };
}

function replace(ctx: RouteContext) {
  const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  checkDeclaredProperties(body, "deviceManagementConfigurationPolicy");
  // A PUT keeps the template the policy was made from (checkImmutable refuses changing it).
  checkCreateBody(body, stored.templateReference, String(stored.id));
  checkImmutable(stored, body);
  const settings = readSettings(body.settings);
  const next: Json = {
    ...stored,
    ...scalars(body),
    description: typeof body.description === "string" ? body.description : "",
    roleScopeTagIds: roleScopeTags(body.roleScopeTagIds),
    settingCount: settings.length,
    lastModifiedDateTime: graphTimestamp(),
    settings,
  };
  ctx.env.state.put(C, next);
  return noContent();
}

function patch(ctx: RouteContext) {
  const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  rejectNavigationInPatch(body, NAV, ENTITY_TYPE);
  checkDeclaredProperties(body, "deviceManagementConfigurationPolicy");
  checkImmutable(stored, body);
  Object.assign(stored, scalars(body), { lastModifiedDateTime: graphTimestamp() });
  if ("roleScopeTagIds" in body) stored.roleScopeTagIds = roleScopeTags(body.roleScopeTagIds);
  ctx.env.state.put(C, stored);
  return patchResponse(ctx, "deviceManagement/configurationPolicies/$entity", () =>
    entityView(stored, { navigation: NAV, nonDefault: NON_DEFAULT }),
  );
}

function withDefinitions(setting: Json): Json {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) {
      if (typeof v.settingDefinitionId === "string") ids.add(v.settingDefinitionId);
      Object.values(v).forEach(walk);
    }
  };
  walk(setting.settingInstance);
  return { ...setting, settingDefinitions: [...ids].flatMap((id) => pinnedCatalog.get(id) ?? []) };
}

function listSettings(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  rejectCount(ctx.req);
  const expand = expandedProperties(
    ctx.req,
    ["settingDefinitions"],
    "microsoft.graph.deviceManagementConfigurationSetting",
  );
  const settings = Array.isArray(p.settings) ? (p.settings as Json[]) : [];
  const withDefs = expand.has("settingDefinitions");
  const suffix = withDefs ? "/settings(settingDefinitions())" : "/settings";
  return listResponse(ctx.req, settings, {
    context: contextUrl(ctx.req, `${PATH}('${String(p.id)}')${suffix}`),
    pageCount: true,
    view: withDefs ? withDefinitions : undefined,
  });
}

function getSetting(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  const s = (Array.isArray(p.settings) ? (p.settings as Json[]) : []).find((x) => x.id === ctx.params[1]);
  if (!s) throw intuneNotFound();
  const expand = expandedProperties(
    ctx.req,
    ["settingDefinitions"],
    "microsoft.graph.deviceManagementConfigurationSetting",
  );
  return entityResponse(
    ctx.req,
    200,
    `deviceManagement/configurationPolicies('${String(p.id)}')/settings/$entity`,
    expand.has("settingDefinitions") ? withDefinitions(s) : s,
  );
}

function getAssignment(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  const a = (Array.isArray(p.assignments) ? (p.assignments as Json[]) : []).find((x) => x.id === ctx.params[1]);
  if (!a) throw intuneNotFound();
  return entityResponse(
    ctx.req,
    200,
    `deviceManagement/configurationPolicies('${String(p.id)}')/assignments/$entity`,
    a,
  );
}

const { pattern: base, common } = kindRoutes(SPEC);

export const configurationPolicyRoutes: Route[] = [
  { ...common, method: "GET", pattern: base, pageSize: 25, handler: list },
  { ...common, method: "POST", pattern: base, handler: create },
  { ...common, method: "GET", pattern: [...base, ":id"], entityCollection: C, handler: get },
  { ...common, method: "PUT", pattern: [...base, ":id"], handler: replace },
  { ...common, method: "PATCH", pattern: [...base, ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: [...base, ":id"], handler: deleteHandler(C) },
  {
    ...common,
    method: "GET",
    pattern: [...base, ":id", "settings"],
    entityCollection: C,
    pageSize: 25,
    handler: listSettings,
  },
  { ...common, method: "GET", pattern: [...base, ":id", "settings", ":sid"], entityCollection: C, handler: getSetting },
  {
    ...common,
    method: "GET",
    pattern: [...base, ":id", "assignments"],
    entityCollection: C,
    handler: navigationListHandler(C, PATH, "assignments"),
  },
  {
    ...common,
    method: "GET",
    pattern: [...base, ":id", "assignments", ":aid"],
    entityCollection: C,
    handler: getAssignment,
  },
  {
    ...common,
    method: "POST",
    pattern: [...base, ":id", "assign"],
    handler: policyAssignHandler(C, "microsoft.graph.deviceManagementConfigurationPolicyAssignment"),
  },
];
