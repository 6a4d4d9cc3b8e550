// Intune's script objects, beta only: platform scripts (`deviceManagementScripts`) and Remediations
// (`deviceHealthScripts`). What the Graph docs and the peers that use them document:
//   - create 201 with the object; update is PATCH (200 with the object); delete 204;
//     https://learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-create?view=graph-rest-beta
//     https://learn.microsoft.com/graph/api/intune-devices-devicehealthscript-create?view=graph-rest-beta
//   - script content is Edm.Binary (base64 in JSON); a list returns it null, a read by id returns it
//     (Micke-K/IntuneManagement#100, jseerden/IntuneBackupAndRestore#43);
//   - `POST …/{id}/assign` replaces the whole set and answers 204; for Remediations it is the only way:
//     `POST …/{id}/assignments` has no route (deploymenttheory/terraform-provider-microsoft365#504, and the
//     router's "No OData route exists" for a verb a known path has no route for);
//     https://learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-assign?view=graph-rest-beta
//     https://learn.microsoft.com/graph/api/intune-devices-devicehealthscript-assign?view=graph-rest-beta
//   - a Remediation assignment reads `runRemediationScript` back as false whatever was sent (the
//     Terraform provider's schema comment; Microsoft365DSC#6697's log); `runSchedule` is one of the daily,
//     hourly (interval under 24) or run-once schedule types;
//     https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscripthourlyschedule?view=graph-rest-beta
//   - `version` is the service's ("Version can't be edited", learn.microsoft.com/mem/intune/fundamentals/remediations);
//     Microsoft's global scripts are read-only.
import { KINDS, type KindSpec } from "../../kinds";
import { isRecord, odataKind } from "../../model";
import { GraphHttpError, intuneBadRequest } from "../errors";
import { noContent } from "../http-types";
import { applyFilter, contextUrl, rejectCount } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { graphTimestamp, newId, readTarget, targetKey, type Json } from "../shapes";
import { checkAssignments } from "./assignment-targets";
import {
  bodyObject,
  clientFields,
  deleteHandler,
  entityResponse,
  entityView,
  kindRoutes,
  listResponse,
  mustGet,
  navigationListHandler,
  polymorphicViewOptions,
  rejectNavigationInPatch,
} from "./common";

const NAV = ["assignments", "runSummary", "deviceRunStates", "userRunStates", "groupAssignments"] as const;
const SCHEDULE_TYPES = new Set([
  "deviceHealthScriptDailySchedule",
  "deviceHealthScriptHourlySchedule",
  "deviceHealthScriptRunOnceSchedule",
]);
const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,7})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface ScriptKind {
  spec: KindSpec;
  serverFields: readonly string[];
  /** Defaults the service fills on create. */
  defaults: () => Json;
  assignmentType: string;
  /** Validates one assignment beyond its target, and returns what is stored besides the target. */
  assignmentFields: (a: Json, i: number) => Json;
}

function checkContent(body: Json, fields: readonly string[], required: boolean): void {
  for (const f of fields) {
    const v = body[f];
    if (v === undefined && !required) continue;
    if (typeof v !== "string" || v === "" || !BASE64.test(v)) {
      throw new GraphHttpError(
        400,
        "BadRequest",
        `Invalid value for property '${f}': a base64-encoded binary value is required.`,
      );
    }
  }
}

function checkCommon(body: Json): void {
  if ("runAsAccount" in body && body.runAsAccount !== "system" && body.runAsAccount !== "user") {
    throw new GraphHttpError(
      400,
      "BadRequest",
      `The value '${String(body.runAsAccount)}' is not valid for runAsAccount.`,
    );
  }
}

/** A `runSchedule` as the hourly/daily/once schedule types of the Graph docs allow it. */
function checkSchedule(schedule: unknown, i: number): Json | null {
  if (schedule === undefined || schedule === null) return null;
  if (!isRecord(schedule) || typeof schedule["@odata.type"] !== "string")
    throw new GraphHttpError(400, "ModelValidationFailure", "Cannot create an abstract class.");
  const type = odataKind(schedule["@odata.type"]) ?? "";
  if (!SCHEDULE_TYPES.has(type))
    throw intuneBadRequest(
      `deviceHealthScriptAssignments[${i}].runSchedule: unsupported schedule type '${String(schedule["@odata.type"])}'.`,
    );
  const interval = schedule.interval;
  if (typeof interval !== "number" || !Number.isInteger(interval) || interval < 1)
    throw intuneBadRequest(`deviceHealthScriptAssignments[${i}].runSchedule.interval must be a positive integer.`);
  // "The value for the hourly interval must be less than 24 hours"
  // (learn.microsoft.com/mem/intune/fundamentals/remediations).
  if (type === "deviceHealthScriptHourlySchedule" && interval > 23)
    throw intuneBadRequest(`deviceHealthScriptAssignments[${i}].runSchedule.interval must be less than 24 hours.`);
  if (type !== "deviceHealthScriptHourlySchedule") {
    if (typeof schedule.time !== "string" || !TIME.test(schedule.time))
      throw intuneBadRequest(`deviceHealthScriptAssignments[${i}].runSchedule.time must be a time of day (HH:MM:SS).`);
    if (
      type === "deviceHealthScriptRunOnceSchedule" &&
      (typeof schedule.date !== "string" || !DATE.test(schedule.date))
    )
      throw intuneBadRequest(`deviceHealthScriptAssignments[${i}].runSchedule.date must be a date (YYYY-MM-DD).`);
  }
  const out: Json = { "@odata.type": `#microsoft.graph.${type}`, interval };
  if (type !== "deviceHealthScriptHourlySchedule") {
    out.useUtc = schedule.useUtc === true;
    out.time = schedule.time;
  }
  if (type === "deviceHealthScriptRunOnceSchedule") out.date = schedule.date;
  return out;
}

function routesFor(k: ScriptKind): Route[] {
  const spec = k.spec;
  const C = spec.collection;
  const content = spec.scriptContent ?? [];
  const entity = `${C}/$entity`;
  const fields = (body: Json) => clientFields(body, NAV, k.serverFields);
  const view = (ctx: RouteContext, obj: Json) => entityView(obj, polymorphicViewOptions(ctx, C, NAV, spec.entityType));

  const list = (ctx: RouteContext) => {
    rejectCount(ctx.req);
    const o = polymorphicViewOptions(ctx, C, NAV, spec.entityType);
    // Content is a lazy property: only a read by id fills it.
    const lazy = (obj: Json) =>
      Object.assign(
        entityView(obj, o),
        Object.fromEntries(content.filter((f) => !o.select || o.select.includes(f)).map((f) => [f, null])),
      );
    return listResponse(ctx.req, applyFilter(ctx.req, ctx.env.state.list(C)), {
      context: contextUrl(ctx.req, C),
      pageCount: true,
      view: lazy,
    });
  };
  const get = (ctx: RouteContext) =>
    entityResponse(ctx.req, 200, entity, view(ctx, mustGet(ctx.env.state, C, ctx.params[0]!)));
  const create = (ctx: RouteContext) => {
    const body = bodyObject(ctx.req);
    if (typeof body.displayName !== "string" || body.displayName === "")
      throw intuneBadRequest("Property 'displayName' is required.");
    checkContent(body, content, true);
    checkCommon(body);
    const id = newId();
    const now = graphTimestamp();
    const stored: Json = {
      "@odata.type": `#microsoft.graph.${spec.odataType}`,
      id,
      description: "",
      runAsAccount: "system",
      enforceSignatureCheck: false,
      runAs32Bit: false,
      roleScopeTagIds: ["0"],
      ...k.defaults(),
      ...fields(body),
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    if (!Array.isArray(stored.roleScopeTagIds) || stored.roleScopeTagIds.length === 0) stored.roleScopeTagIds = ["0"];
    stored.assignments = [];
    ctx.env.state.put(C, stored);
    return {
      ...entityResponse(ctx.req, 201, entity, entityView(stored, { navigation: NAV, keepType: true })),
      created: { collection: C, id },
    };
  };
  const patch = (ctx: RouteContext) => {
    const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
    if (stored.isGlobalScript === true)
      throw intuneBadRequest("A global script published by Microsoft cannot be changed.");
    const body = bodyObject(ctx.req);
    rejectNavigationInPatch(body, NAV, `microsoft.management.services.api.${spec.odataType}`);
    checkContent(body, content, false);
    checkCommon(body);
    Object.assign(stored, fields(body), { lastModifiedDateTime: graphTimestamp() });
    ctx.env.state.put(C, stored);
    return entityResponse(ctx.req, 200, entity, entityView(stored, { navigation: NAV, keepType: true }));
  };
  const remove = (ctx: RouteContext) => {
    if (mustGet(ctx.env.state, C, ctx.params[0]!).isGlobalScript === true)
      throw intuneBadRequest("A global script published by Microsoft cannot be deleted.");
    return deleteHandler(C)(ctx);
  };
  const assign = (ctx: RouteContext) => {
    const stored = mustGet(ctx.env.state, C, ctx.params[0]!);
    const sent = checkAssignments(bodyObject(ctx.req)[spec.assignKey], spec.assignKey);
    const scriptId = String(stored.id);
    stored.assignments = sent.map((a, i) => ({
      "@odata.type": `#microsoft.graph.${k.assignmentType}`,
      id: `${scriptId}:${targetKey(a.target as Json)}`,
      target: readTarget(a.target as Json),
      ...k.assignmentFields(a, i),
    }));
    ctx.env.state.put(C, stored);
    return noContent();
  };

  const { pattern: base, common } = kindRoutes(spec);
  return [
    { ...common, method: "GET", pattern: base, pageSize: 25, handler: list },
    { ...common, method: "POST", pattern: base, handler: create },
    { ...common, method: "GET", pattern: [...base, ":id"], entityCollection: C, handler: get },
    { ...common, method: "PATCH", pattern: [...base, ":id"], handler: patch },
    { ...common, method: "DELETE", pattern: [...base, ":id"], handler: remove },
    {
      ...common,
      method: "GET",
      pattern: [...base, ":id", "assignments"],
      entityCollection: C,
      handler: navigationListHandler(C, C, "assignments"),
    },
    { ...common, method: "POST", pattern: [...base, ":id", "assign"], handler: assign },
  ];
}

export const deviceManagementScriptRoutes: Route[] = routesFor({
  spec: KINDS.deviceManagementScript,
  serverFields: ["id", "createdDateTime", "lastModifiedDateTime"],
  defaults: () => ({ fileName: null }),
  assignmentType: "deviceManagementScriptAssignment",
  assignmentFields: () => ({}),
});

export const deviceHealthScriptRoutes: Route[] = routesFor({
  spec: KINDS.deviceHealthScript,
  serverFields: [
    "id",
    "createdDateTime",
    "lastModifiedDateTime",
    "version",
    "isGlobalScript",
    "highestAvailableVersion",
  ],
  defaults: () => ({
    publisher: "",
    version: "1",
    isGlobalScript: false,
    highestAvailableVersion: null,
    deviceHealthScriptType: "deviceHealthScript",
    detectionScriptParameters: [],
    remediationScriptParameters: [],
  }),
  assignmentType: "deviceHealthScriptAssignment",
  assignmentFields: (a, i) => ({
    // Read back as false whatever was sent (see the header).
    runRemediationScript: false,
    runSchedule: checkSchedule(a.runSchedule, i),
  }),
});
