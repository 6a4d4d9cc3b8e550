// Device compliance policies (v1.0 and beta; `wslDistributions` is beta-only, research/intune-wsl-settings.md
// §5.1): POST needs `@odata.type` (abstract base type) and `scheduledActionsForRule`, updates are PATCH
// (200 + entity per the Graph docs), `assign` answers 200 with the new list and replaces it.
import { KINDS } from "../../kinds";
import { isRecord, odataKind } from "../../model";
import { abstractClass, GraphHttpError, intuneBadRequest, unresolvedType } from "../errors";
import { applyFilter, contextUrl, rejectCount } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { graphTimestamp, newId, type Json } from "../shapes";
import { bodyObject, clientFields, deleteHandler, entityResponse, entityView, listResponse, mustGet, navigationListHandler, policyAssignHandler, polymorphicViewOptions, kindRoutes, rejectNavigationInPatch, type ViewOptions } from "./common";

const SPEC = KINDS.compliancePolicy;
const C = SPEC.collection;
const NAV = ["assignments", "scheduledActionsForRule"] as const;
const SERVER_FIELDS = ["id", "createdDateTime", "lastModifiedDateTime", "version"];
const KNOWN_TYPES = new Set(["windows10CompliancePolicy", "windows10MobileCompliancePolicy", "androidCompliancePolicy", "iosCompliancePolicy", "macOSCompliancePolicy", "aospDeviceOwnerCompliancePolicy", "androidWorkProfileCompliancePolicy", "androidDeviceOwnerCompliancePolicy"]);

const PATH = SPEC.collection;

function viewOptions(ctx: RouteContext): ViewOptions {
  return polymorphicViewOptions(ctx, PATH, NAV, SPEC.entityType);
}

/** v1.0 has no `wslDistributions` (beta SDK only, research/intune-wsl-settings.md §5.1). */
function versioned(ctx: RouteContext, view: Json): Json {
  if (ctx.req.version === "v1.0") delete view.wslDistributions;
  return view;
}

function checkType(body: Json): string {
  const type = body["@odata.type"];
  if (typeof type !== "string") throw abstractClass();
  if (!KNOWN_TYPES.has(odataKind(type) ?? "")) throw unresolvedType(type);
  return type.startsWith("#") ? type : `#${type}`;
}

function checkVersionedProps(ctx: RouteContext, body: Json): void {
  if (ctx.req.version === "v1.0" && "wslDistributions" in body) {
    throw new GraphHttpError(400, "BadRequest", "The property 'wslDistributions' does not exist on type 'microsoft.graph.windows10CompliancePolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.");
  }
}

function wslDistributions(v: unknown): Json[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v)) throw new GraphHttpError(400, "BadRequest", "Invalid value for property 'wslDistributions': a collection was expected.");
  return v.map((d, i) => {
    if (!isRecord(d) || typeof d.distribution !== "string" || d.distribution === "") throw intuneBadRequest(`wslDistributions[${i}].distribution is required.`);
    for (const k of ["minimumOSVersion", "maximumOSVersion"]) {
      if (d[k] !== undefined && d[k] !== null && typeof d[k] !== "string") throw new GraphHttpError(400, "BadRequest", `Invalid value for property '${k}'.`);
    }
    return { distribution: d.distribution, minimumOSVersion: d.minimumOSVersion ?? null, maximumOSVersion: d.maximumOSVersion ?? null };
  });
}

function scheduledActions(v: unknown): Json[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw intuneBadRequest("ScheduledActionsForRule is required for a compliance policy: at least one rule with a 'block' action.");
  }
  return v.map((rule) => {
    if (!isRecord(rule)) throw intuneBadRequest("Invalid scheduledActionsForRule entry.");
    const configs = Array.isArray(rule.scheduledActionConfigurations) ? rule.scheduledActionConfigurations : [];
    return {
      id: newId(),
      ruleName: rule.ruleName ?? null,
      scheduledActionConfigurations: configs.filter(isRecord).map((c) => ({
        id: newId(),
        gracePeriodHours: c.gracePeriodHours ?? 0,
        actionType: c.actionType ?? "block",
        notificationTemplateId: c.notificationTemplateId ?? "",
        notificationMessageCCList: c.notificationMessageCCList ?? [],
      })),
    };
  });
}

function scalars(body: Json): Json {
  return clientFields(body, NAV, SERVER_FIELDS);
}

function list(ctx: RouteContext) {
  rejectCount(ctx.req);
  const o = viewOptions(ctx);
  return listResponse(ctx.req, applyFilter(ctx.req, ctx.env.state.list(C)), { context: contextUrl(ctx.req, PATH), pageCount: true, view: (p) => versioned(ctx, entityView(p, o)) });
}

function get(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  return entityResponse(ctx.req, 200, "deviceManagement/deviceCompliancePolicies/$entity", versioned(ctx, entityView(p, viewOptions(ctx))));
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  checkVersionedProps(ctx, body);
  if (typeof body.displayName !== "string" || body.displayName === "") throw intuneBadRequest("Property 'displayName' is required.");
  const actions = scheduledActions(body.scheduledActionsForRule);
  const id = newId();
  const now = graphTimestamp();
  const stored: Json = {
    "@odata.type": type,
    id,
    createdDateTime: now,
    description: "",
    lastModifiedDateTime: now,
    roleScopeTagIds: ["0"],
    version: 1,
    ...scalars(body),
  };
  if (!Array.isArray(stored.roleScopeTagIds) || stored.roleScopeTagIds.length === 0) stored.roleScopeTagIds = ["0"];
  const distros = wslDistributions(body.wslDistributions);
  if (type === "#microsoft.graph.windows10CompliancePolicy") stored.wslDistributions = distros ?? [];
  stored.scheduledActionsForRule = actions;
  stored.assignments = [];
  ctx.env.state.put(C, stored);
  return { ...entityResponse(ctx.req, 201, "deviceManagement/deviceCompliancePolicies/$entity", versioned(ctx, entityView(stored, { navigation: NAV, keepType: true }))), created: { collection: C, id } };
}

function patch(ctx: RouteContext) {
  const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (type !== stored["@odata.type"]) throw intuneBadRequest(`The policy is a ${String(stored["@odata.type"])}; its type cannot be changed to ${type}.`);
  checkVersionedProps(ctx, body);
  rejectNavigationInPatch(body, NAV, "microsoft.management.services.api.deviceCompliancePolicy");
  const distros = wslDistributions(body.wslDistributions);
  Object.assign(stored, scalars(body), { lastModifiedDateTime: graphTimestamp(), version: Number(stored.version ?? 1) + 1 });
  if (distros !== undefined) stored.wslDistributions = distros;
  ctx.env.state.put(C, stored);
  return entityResponse(ctx.req, 200, "deviceManagement/deviceCompliancePolicies/$entity", versioned(ctx, entityView(stored, { navigation: NAV, keepType: true })));
}

const { pattern: base, common } = kindRoutes(SPEC);
export const compliancePolicyRoutes: Route[] = [
  { ...common, method: "GET", pattern: base, pageSize: 25, handler: list },
  { ...common, method: "POST", pattern: base, handler: create },
  { ...common, method: "GET", pattern: [...base, ":id"], entityCollection: C, handler: get },
  { ...common, method: "PATCH", pattern: [...base, ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: [...base, ":id"], handler: deleteHandler(C) },
  { ...common, method: "GET", pattern: [...base, ":id", "assignments"], entityCollection: C, handler: navigationListHandler(C, PATH, "assignments") },
  { ...common, method: "GET", pattern: [...base, ":id", "scheduledActionsForRule"], entityCollection: C, handler: navigationListHandler(C, PATH, "scheduledActionsForRule") },
  { ...common, method: "POST", pattern: [...base, ":id", "assign"], handler: policyAssignHandler(C, "microsoft.graph.deviceCompliancePolicyAssignment") },
];
