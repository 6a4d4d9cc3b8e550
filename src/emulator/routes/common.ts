// Helpers shared by the route files: reading a JSON body, entity views (annotations, non-default and
// navigation properties), collection responses with Graph's paging annotations, and the handlers the
// Intune collections (configuration and compliance policies, apps) have in common.
import { badRequest, intuneNotFound, GraphHttpError } from "../errors";
import { json, noContent, type EmulatorRequest, type EmulatorResponse } from "../http-types";
import {
  contextUrl,
  expandedProperties,
  paginate,
  project,
  selectedProperties,
  DEFAULT_PAGE_SIZE,
} from "../odata-query";
import type { RouteContext } from "../router";
import { readPolicyAssignments, type Json } from "../shapes";
import type { EmulatorState } from "../state";
import { checkAssignments } from "./assignment-targets";
import type { KindSpec } from "../../kinds";
import { isRecord } from "../../model";

export function bodyObject(req: EmulatorRequest): Json {
  if (!isRecord(req.body))
    throw badRequest(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  return req.body;
}

export function mustGet(
  state: EmulatorState,
  collection: string,
  id: string,
  notFound: () => GraphHttpError = () => intuneNotFound(),
): Json {
  const obj = state.get(collection, id);
  if (!obj) throw notFound();
  return obj;
}

export interface ViewOptions {
  /** navigation properties (stored expanded) that only appear when `$expand`ed */
  navigation: readonly string[];
  expand?: ReadonlySet<string>;
  /** properties returned only when `$select`ed (isAssigned) */
  nonDefault?: readonly string[];
  /** keep `@odata.type` (polymorphic collections) */
  keepType?: boolean;
  select?: string[];
  computed?: Record<string, (obj: Json) => unknown>;
  /** builds `<nav>@odata.context` for expanded navigation properties of `obj` */
  navContext?: (nav: string, obj: Json) => string;
}

/** How an entity reads: stored annotations and navigation dropped unless expanded, `$select` applied. */
export function entityView(obj: Json, o: ViewOptions): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k.includes("@odata.") || k.includes("@microsoft.graph.")) {
      if (k === "@odata.type" && o.keepType) out[k] = v;
      continue;
    }
    if (o.navigation.includes(k)) continue;
    if (!o.select && o.nonDefault?.includes(k)) continue;
    out[k] = v;
  }
  for (const [k, f] of Object.entries(o.computed ?? {})) {
    if (o.select?.includes(k)) out[k] = f(obj);
  }
  const projected = project(out, o.select);
  for (const nav of o.navigation) {
    if (!o.expand?.has(nav)) continue;
    if (o.navContext) projected[`${nav}@odata.context`] = o.navContext(nav, obj);
    projected[nav] = Array.isArray(obj[nav]) ? obj[nav] : [];
  }
  return projected;
}

export interface ListOptions {
  context: string;
  pageSize?: number;
  /** `@odata.count` on every page, equal to the page length (Intune only) */
  pageCount?: boolean;
  tips?: string;
  /** how an item reads; applied to the served page only, so paging a large collection stays linear */
  view?: (item: Json) => Json;
}

export function listResponse(req: EmulatorRequest, items: Json[], o: ListOptions): EmulatorResponse {
  const page = paginate(req, items, o.pageSize ?? DEFAULT_PAGE_SIZE);
  const body: Json = { "@odata.context": o.context };
  if (o.tips && !selectedProperties(req)) body["@microsoft.graph.tips"] = o.tips;
  if (o.pageCount) body["@odata.count"] = page.items.length;
  if (page.nextLink) body["@odata.nextLink"] = page.nextLink;
  body.value = o.view ? page.items.map(o.view) : page.items;
  return json(200, body);
}

export function entityResponse(req: EmulatorRequest, status: number, fragment: string, view: Json): EmulatorResponse {
  return json(status, { "@odata.context": contextUrl(req, fragment), ...view });
}

/** An Intune PATCH's answer: 204, or 200 with the entity when the emulator is told to answer as the docs show. */
export function patchResponse(ctx: RouteContext, fragment: string, view: () => Json): EmulatorResponse {
  return ctx.env.patchAnswer === "entity" ? entityResponse(ctx.req, 200, fragment, view()) : noContent();
}

/** `PATCH` may not carry navigation properties. */
export function rejectNavigationInPatch(body: Json, navigation: readonly string[], entityType: string): void {
  for (const nav of navigation) {
    if (nav in body) {
      throw badRequest(`Cannot apply PATCH to navigation property '${nav}' on entity type '${entityType}'.`);
    }
  }
}

/** The fields of a request body the service stores as sent: no annotations, navigation or server-owned fields. */
export function clientFields(body: Json, navigation: readonly string[], serverFields: readonly string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.includes("@odata.") || navigation.includes(k) || serverFields.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** `<nav>@odata.context` of an entity read at `<path>('<id>')`. */
export const navContextAt =
  (req: EmulatorRequest, path: string) =>
  (nav: string, obj: Json): string =>
    contextUrl(req, `${path}('${String(obj.id)}')/${nav}`);

/**
 * View options of a polymorphic Intune entity (`@odata.type` kept) read under `<path>`; one set serves a whole list.
 */
export function polymorphicViewOptions(
  ctx: RouteContext,
  path: string,
  navigation: readonly string[],
  typeName: string,
): ViewOptions {
  return {
    navigation,
    keepType: true,
    expand: expandedProperties(ctx.req, navigation, typeName),
    select: selectedProperties(ctx.req),
    navContext: navContextAt(ctx.req, path),
  };
}

/** `DELETE <path>/:id`: 204, or Intune's 404 for an unknown id. */
export function deleteHandler(collection: string) {
  return (ctx: RouteContext): EmulatorResponse => {
    mustGet(ctx.env.state, collection, ctx.params[0]!);
    ctx.env.state.remove(collection, ctx.params[0]!);
    return noContent();
  };
}

/** `GET <path>/:id/<nav>`: a navigation collection stored expanded on the entity (assignments, scheduled actions). */
export function navigationListHandler(collection: string, path: string, nav: string) {
  return (ctx: RouteContext): EmulatorResponse => {
    const obj = mustGet(ctx.env.state, collection, ctx.params[0]!);
    return json(200, {
      "@odata.context": contextUrl(ctx.req, `${path}('${String(obj.id)}')/${nav}`),
      value: obj[nav] ?? [],
    });
  };
}

/**
 * A policy's `POST …/assign`: 200 with the new list, which replaces the old one
 * (api-reference/beta/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-assign.md).
 */
export function policyAssignHandler(collection: string, assignmentType: string) {
  return (ctx: RouteContext): EmulatorResponse => {
    const p = mustGet(ctx.env.state, collection, ctx.params[0]!);
    const body = bodyObject(ctx.req);
    const assignments = readPolicyAssignments(String(p.id), checkAssignments(body.assignments, "assignments"));
    p.assignments = assignments;
    ctx.env.state.put(collection, p);
    return json(200, { "@odata.context": contextUrl(ctx.req, `Collection(${assignmentType})`), value: assignments });
  };
}

/** Where a managed kind's routes live and who may call them, from its descriptor (src/kinds/). */
export function kindRoutes(spec: KindSpec): {
  pattern: string[];
  common: { versions: KindSpec["servedOn"]; area: KindSpec["permissionArea"]; intune: true };
} {
  return {
    pattern: spec.collection.split("/"),
    common: { versions: spec.servedOn, area: spec.permissionArea, intune: true },
  };
}
