// Device compliance policies (v1.0 and beta; `wslDistributions` is beta-only): POST needs `@odata.type`
// (abstract base type) and exactly one `block` scheduled action, updates are PATCH (204 as observed, or 200 +
// entity as the docs show: EmulatorOptions.patchAnswer), scheduled actions change only through
// `scheduleActionsForRules`, `assign` answers 200 with the new list and replaces it. Scheduled actions read back as
// Graph returns them (see `scheduledActions`).
// https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta
import { KINDS } from "../../kinds";
import { isRecord, odataKind, ZERO_GUID } from "../../model";
import { checkDeclaredProperties } from "../declared-properties";
import { abstractClass, GraphHttpError, intuneBadRequest, unresolvedType } from "../errors";
import { applyFilter, contextUrl, expandedOptions, nestedExpand, rejectCount } from "../odata-query";
import { noODataRoute, type Route, type RouteContext } from "../router";
import { noContent } from "../http-types";
import { graphTimestamp, newId, type Json } from "../shapes";
import {
  bodyObject,
  clientFields,
  deleteHandler,
  entityResponse,
  entityView,
  listResponse,
  mustGet,
  navigationListHandler,
  policyAssignHandler,
  polymorphicViewOptions,
  kindRoutes,
  patchResponse,
  rejectNavigationInPatch,
  type ViewOptions,
} from "./common";

const SPEC = KINDS.compliancePolicy;
const C = SPEC.collection;
const NAV = ["assignments", "scheduledActionsForRule"] as const;
const SERVER_FIELDS = ["id", "createdDateTime", "lastModifiedDateTime", "version"];
const KNOWN_TYPES = new Set([
  "windows10CompliancePolicy",
  "windows10MobileCompliancePolicy",
  "androidCompliancePolicy",
  "iosCompliancePolicy",
  "macOSCompliancePolicy",
  "aospDeviceOwnerCompliancePolicy",
  "androidWorkProfileCompliancePolicy",
  "androidDeviceOwnerCompliancePolicy",
]);

const PATH = SPEC.collection;

function viewOptions(ctx: RouteContext): ViewOptions {
  return polymorphicViewOptions(ctx, PATH, NAV, SPEC.entityType);
}

/** v1.0 has no `wslDistributions` (a beta-only property of windows10CompliancePolicy). */
function versioned(ctx: RouteContext, view: Json): Json {
  if (ctx.req.version === "v1.0") delete view.wslDistributions;
  return withScheduledActions(ctx, view);
}

function checkType(body: Json): string {
  const type = body["@odata.type"];
  if (typeof type !== "string") throw abstractClass();
  if (!KNOWN_TYPES.has(odataKind(type) ?? "")) throw unresolvedType(type);
  return type.startsWith("#") ? type : `#${type}`;
}

function checkVersionedProps(ctx: RouteContext, body: Json): void {
  if (ctx.req.version === "v1.0" && "wslDistributions" in body) {
    throw new GraphHttpError(
      400,
      "BadRequest",
      "The property 'wslDistributions' does not exist on type 'microsoft.graph.windows10CompliancePolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
  }
}

function wslDistributions(v: unknown): Json[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v))
    throw new GraphHttpError(
      400,
      "BadRequest",
      "Invalid value for property 'wslDistributions': a collection was expected.",
    );
  return v.map((d, i) => {
    if (!isRecord(d) || typeof d.distribution !== "string" || d.distribution === "")
      throw intuneBadRequest(`wslDistributions[${i}].distribution is required.`);
    for (const k of ["minimumOSVersion", "maximumOSVersion"]) {
      if (d[k] !== undefined && d[k] !== null && typeof d[k] !== "string")
        throw new GraphHttpError(400, "BadRequest", `Invalid value for property '${k}'.`);
    }
    return {
      distribution: d.distribution,
      minimumOSVersion: d.minimumOSVersion ?? null,
      maximumOSVersion: d.maximumOSVersion ?? null,
    };
  });
}

const ACTION_TYPES = new Set([
  "block",
  "noAction",
  "notification",
  "pushNotification",
  "remoteLock",
  "removeResourceAccessProfiles",
  "retire",
  "wipe",
]);

/**
 * Scheduled actions as Graph stores them. Graph refuses a policy without exactly one `block` action
 * (microsoftgraph/microsoft-graph-docs#7746, microsoftgraph/microsoft-graph-docs-contrib#5561), keeps one rule
 * per policy ("scheduled actions are created per policy instead of per rule",
 * api-reference/v1.0/resources/intune-deviceconfig-devicecompliancescheduledactionforrule.md), and reads it back
 * with the policy's id, `ruleName: null` and an empty `notificationTemplateId` as the zero GUID, whatever the
 * create sent (the real exports in SkipToTheEndpoint/OpenIntuneBaseline, WINDOWS/IntuneManagement/CompliancePolicies/).
 */
function scheduledActions(v: unknown, policyId: string): Json[] {
  const blockRule = () => intuneBadRequest("Compliance policy must have one and only one block scheduled action");
  if (!Array.isArray(v) || v.length === 0) throw blockRule();
  const configurations = v.flatMap((rule) => {
    if (!isRecord(rule)) throw intuneBadRequest("Invalid scheduledActionsForRule entry.");
    checkDeclaredProperties(rule, "deviceComplianceScheduledActionForRule");
    const configs = rule.scheduledActionConfigurations ?? [];
    if (!Array.isArray(configs))
      throw new GraphHttpError(
        400,
        "BadRequest",
        "Invalid value for property 'scheduledActionConfigurations': a collection was expected.",
      );
    return configs.map((c) => {
      if (!isRecord(c)) throw intuneBadRequest("Invalid scheduledActionConfigurations entry.");
      checkDeclaredProperties(c, "deviceComplianceActionItem");
      const actionType = c.actionType ?? "noAction";
      if (typeof actionType !== "string" || !ACTION_TYPES.has(actionType))
        throw new GraphHttpError(
          400,
          "BadRequest",
          `The value '${String(actionType)}' is not valid for property 'actionType'.`,
        );
      const grace = c.gracePeriodHours ?? 0;
      if (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0)
        throw new GraphHttpError(400, "BadRequest", "Invalid value for property 'gracePeriodHours'.");
      const template =
        typeof c.notificationTemplateId === "string" && c.notificationTemplateId !== ""
          ? c.notificationTemplateId
          : ZERO_GUID;
      return {
        id: newId(),
        gracePeriodHours: grace,
        actionType,
        notificationTemplateId: template,
        notificationMessageCCList: Array.isArray(c.notificationMessageCCList) ? c.notificationMessageCCList : [],
      };
    });
  });
  if (configurations.filter((c) => c.actionType === "block").length !== 1) throw blockRule();
  return [{ id: policyId, ruleName: null, scheduledActionConfigurations: configurations }];
}

/**
 * `scheduledActionConfigurations` is a relationship of the rule: returned only through a nested
 * `$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`
 * (api-reference/v1.0/resources/intune-deviceconfig-devicecompliancescheduledactionforrule.md).
 */
function withScheduledActions(ctx: RouteContext, view: Json): Json {
  if (!Array.isArray(view.scheduledActionsForRule)) return view;
  const nested = nestedExpand(
    expandedOptions(ctx.req, NAV, SPEC.entityType).get("scheduledActionsForRule"),
    ["scheduledActionConfigurations"],
    "microsoft.graph.deviceComplianceScheduledActionForRule",
  );
  if (nested.has("scheduledActionConfigurations")) return view;
  return {
    ...view,
    scheduledActionsForRule: view.scheduledActionsForRule.map((rule) =>
      isRecord(rule)
        ? Object.fromEntries(Object.entries(rule).filter(([k]) => k !== "scheduledActionConfigurations"))
        : rule,
    ),
  };
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
    view: (p) => versioned(ctx, entityView(p, o)),
  });
}

function get(ctx: RouteContext) {
  const p = mustGet(ctx.env.state, C, ctx.params[0]!);
  return entityResponse(
    ctx.req,
    200,
    "deviceManagement/deviceCompliancePolicies/$entity",
    versioned(ctx, entityView(p, viewOptions(ctx))),
  );
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  checkVersionedProps(ctx, body);
  checkDeclaredProperties(body, odataKind(type)!);
  if (typeof body.displayName !== "string" || body.displayName === "")
    throw intuneBadRequest("Property 'displayName' is required.");
  const id = newId();
  const actions = scheduledActions(body.scheduledActionsForRule, id);
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
  return {
    ...entityResponse(
      ctx.req,
      201,
      "deviceManagement/deviceCompliancePolicies/$entity",
      versioned(ctx, entityView(stored, { navigation: NAV, keepType: true })),
    ),
    created: { collection: C, id },
  };
}

function patch(ctx: RouteContext) {
  const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  const type = checkType(body);
  if (type !== stored["@odata.type"])
    throw intuneBadRequest(`The policy is a ${String(stored["@odata.type"])}; its type cannot be changed to ${type}.`);
  checkVersionedProps(ctx, body);
  rejectNavigationInPatch(body, NAV, "microsoft.management.services.api.deviceCompliancePolicy");
  checkDeclaredProperties(body, odataKind(type)!);
  const distros = wslDistributions(body.wslDistributions);
  Object.assign(stored, scalars(body), {
    lastModifiedDateTime: graphTimestamp(),
    version: Number(stored.version ?? 1) + 1,
  });
  if (distros !== undefined) stored.wslDistributions = distros;
  ctx.env.state.put(C, stored);
  return patchResponse(ctx, "deviceManagement/deviceCompliancePolicies/$entity", () =>
    versioned(ctx, entityView(stored, { navigation: NAV, keepType: true })),
  );
}

/** `POST …/{id}/scheduleActionsForRules`: replaces the scheduled actions, 204
 * (api-reference/beta/api/intune-deviceconfig-devicecompliancepolicy-scheduleactionsforrules.md). */
function scheduleActionsForRules(ctx: RouteContext) {
  const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
  const body = bodyObject(ctx.req);
  stored.scheduledActionsForRule = scheduledActions(body.deviceComplianceScheduledActionForRules, String(stored.id));
  stored.lastModifiedDateTime = graphTimestamp();
  ctx.env.state.put(C, stored);
  return noContent();
}

const { pattern: base, common } = kindRoutes(SPEC);
export const compliancePolicyRoutes: Route[] = [
  { ...common, method: "GET", pattern: base, pageSize: 25, handler: list },
  { ...common, method: "POST", pattern: base, handler: create },
  { ...common, method: "GET", pattern: [...base, ":id"], entityCollection: C, handler: get },
  { ...common, method: "PATCH", pattern: [...base, ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: [...base, ":id"], handler: deleteHandler(C) },
  {
    ...common,
    method: "GET",
    pattern: [...base, ":id", "assignments"],
    entityCollection: C,
    handler: navigationListHandler(C, PATH, "assignments"),
  },
  // Graph has no GET route for the navigation itself (microsoftgraph/microsoft-graph-docs#4104, #16701): only
  // `$expand` reads it.
  {
    ...common,
    method: "GET",
    pattern: [...base, ":id", "scheduledActionsForRule"],
    handler: (ctx) => {
      throw noODataRoute(ctx.req, [...base, ":id", "scheduledActionsForRule"]);
    },
  },
  { ...common, method: "POST", pattern: [...base, ":id", "scheduleActionsForRules"], handler: scheduleActionsForRules },
  {
    ...common,
    method: "POST",
    pattern: [...base, ":id", "assign"],
    handler: policyAssignHandler(C, "microsoft.graph.deviceCompliancePolicyAssignment"),
  },
];
