// Entra groups (v1.0 and beta): lookup by `$filter=displayName eq '…'` (names are not unique:
// api-reference/v1.0/resources/group.md), get by id, create security and dynamic groups with Entra's mailNickname
// rules, PATCH, DELETE and the members reference collection a ring group needs.
import { checkDeclaredProperties, filterType } from "../declared-properties";
import { COLLECTIONS } from "../../model";
import { GraphHttpError } from "../errors";
import { json, noContent } from "../http-types";
import { applyFilter, contextUrl, project, selectedProperties } from "../odata-query";
import { BOTH, type Route, type RouteContext } from "../router";
import { groupShape, newId, type Json } from "../shapes";
import { bodyObject, entityResponse, listResponse, mustGet } from "./common";

const C = COLLECTIONS.groups;

const groupNotFound = (id: string) =>
  new GraphHttpError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const invalidProperty = (prop: string) =>
  new GraphHttpError(400, "Request_BadRequest", `Invalid value specified for property '${prop}' of resource 'Group'.`);

/**
 * Entra's mailNickname rule (api-reference/v1.0/resources/group.md, mailNickname): ≤ 64 ASCII characters, none of @
 * () \ [] " ; : . <> , or space.
 */
export function validMailNickname(v: unknown): boolean {
  return (
    typeof v === "string" &&
    v.length > 0 &&
    v.length <= 64 &&
    /^[\x21-\x7e]+$/.test(v) &&
    !/[@()\\[\]";:.<>,\s]/.test(v)
  );
}

function view(g: Json, select: string[] | undefined): Json {
  const { members: _members, ...rest } = g;
  return project(rest, select);
}

/**
 * The directory's query rules for groups (api-reference/v1.0/api/group-list.md, concepts/aad-advanced-queries.md):
 * `$skip` is not supported, `$top` is 1–999, and `$count`, `$search` and `endswith` are advanced queries that need
 * `ConsistencyLevel: eventual`.
 */
function checkDirectoryQuery(req: RouteContext["req"]): void {
  if (req.query.has("skip"))
    throw new GraphHttpError(400, "Request_BadRequest", "'$skip' is not supported by the service.");
  const top = req.query.get("top");
  if (top !== undefined && !(Number.isInteger(Number(top)) && Number(top) >= 1 && Number(top) <= 999)) {
    throw new GraphHttpError(
      400,
      "Request_BadRequest",
      `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    );
  }
  if (req.headers["consistencylevel"]?.toLowerCase() === "eventual") return;
  if (req.query.has("search"))
    throw new GraphHttpError(
      400,
      "Request_UnsupportedQuery",
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  if (req.query.get("count") === "true")
    throw new GraphHttpError(400, "Request_BadRequest", "$count is not currently supported.");
  if (/\bendswith\s*\(/i.test(req.query.get("filter") ?? ""))
    throw new GraphHttpError(400, "Request_UnsupportedQuery", "Unsupported Query.");
}

/** `$search="displayName:text"` (the directory's tokenised search, here a case-insensitive substring). */
function searched(req: RouteContext["req"], items: Json[]): Json[] {
  const raw = req.query.get("search");
  if (raw === undefined) return items;
  const m = /^"(\w+):(.*)"$/.exec(raw.trim());
  if (!m)
    throw new GraphHttpError(
      400,
      "Request_UnsupportedQuery",
      "Syntax error: character '\"' is not valid at position 0 in the search query.",
    );
  const [, property, text] = m;
  return items.filter((g) =>
    String(g[property!] ?? "")
      .toLowerCase()
      .includes(text!.toLowerCase()),
  );
}

function list(ctx: RouteContext) {
  checkDirectoryQuery(ctx.req);
  const items = searched(ctx.req, applyFilter(ctx.req, ctx.env.state.list(C), filterType("group")));
  const select = selectedProperties(ctx.req);
  const body = listResponse(ctx.req, items, {
    context: contextUrl(ctx.req, "groups"),
    pageSize: 100,
    view: (g) => view(g, select),
  });
  if (ctx.req.query.get("count") === "true" && body.json && typeof body.json === "object") {
    (body.json as Json)["@odata.count"] = items.length;
  }
  return body;
}

function get(ctx: RouteContext) {
  const g = mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  return entityResponse(ctx.req, 200, "groups/$entity", view(g, selectedProperties(ctx.req)));
}

function create(ctx: RouteContext) {
  const body = bodyObject(ctx.req);
  checkDeclaredProperties(body, "group");
  if (typeof body.displayName !== "string" || body.displayName.trim() === "") invalidPropertyThrow("displayName");
  if (typeof body.mailEnabled !== "boolean") invalidPropertyThrow("mailEnabled");
  if (typeof body.securityEnabled !== "boolean") invalidPropertyThrow("securityEnabled");
  if (!validMailNickname(body.mailNickname)) invalidPropertyThrow("mailNickname");
  const groupTypes = Array.isArray(body.groupTypes) ? body.groupTypes.map(String) : [];
  const dynamic = groupTypes.includes("DynamicMembership");
  if (dynamic && (typeof body.membershipRule !== "string" || body.membershipRule.trim() === ""))
    invalidPropertyThrow("membershipRule");
  if (!dynamic && body.membershipRule) invalidPropertyThrow("membershipRule");
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const id = newId();
  const group = groupShape({
    id,
    createdDateTime: now,
    description: body.description ?? null,
    displayName: body.displayName,
    groupTypes,
    isAssignableToRole: body.isAssignableToRole ?? null,
    mailEnabled: body.mailEnabled,
    mailNickname: body.mailNickname,
    membershipRule: dynamic ? body.membershipRule : null,
    membershipRuleProcessingState: dynamic ? (body.membershipRuleProcessingState ?? "On") : null,
    renewedDateTime: now,
    securityEnabled: body.securityEnabled,
    securityIdentifier: `S-1-12-1-${[0, 1, 2, 3].map(() => Math.floor(Math.random() * 4e9)).join("-")}`,
    visibility: body.visibility ?? null,
  });
  ctx.env.state.put(C, group);
  return { ...entityResponse(ctx.req, 201, "groups/$entity", group), created: { collection: C, id } };
}

function invalidPropertyThrow(prop: string): never {
  throw invalidProperty(prop);
}

function patch(ctx: RouteContext) {
  const g = mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  const body = bodyObject(ctx.req);
  checkDeclaredProperties(body, "group");
  if ("mailNickname" in body && !validMailNickname(body.mailNickname)) invalidPropertyThrow("mailNickname");
  for (const [k, v] of Object.entries(body)) if (k !== "id" && !k.includes("@")) g[k] = v;
  ctx.env.state.put(C, g);
  return noContent();
}

function remove(ctx: RouteContext) {
  mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  ctx.env.state.remove(C, ctx.params[0]!);
  return noContent();
}

function members(g: Json): string[] {
  return Array.isArray(g.members) ? g.members.map((m) => (typeof m === "string" ? m : String((m as Json).id))) : [];
}

function listMembers(ctx: RouteContext) {
  const g = mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  return json(200, {
    "@odata.context": contextUrl(ctx.req, "directoryObjects"),
    value: members(g).map((id) => ({ "@odata.type": "#microsoft.graph.device", id })),
  });
}

function addMember(ctx: RouteContext) {
  const g = mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  const ref = bodyObject(ctx.req)["@odata.id"];
  const id = typeof ref === "string" ? /([0-9a-fA-F-]{36})\/?$/.exec(ref)?.[1] : undefined;
  if (!id) throw new GraphHttpError(400, "Request_BadRequest", "Invalid URL format specified in @odata.id.");
  const current = members(g);
  if (current.includes(id))
    throw new GraphHttpError(
      400,
      "Request_BadRequest",
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  g.members = [...current, id];
  ctx.env.state.put(C, g);
  return noContent();
}

function removeMember(ctx: RouteContext) {
  const g = mustGet(ctx.env.state, C, ctx.params[0]!, () => groupNotFound(ctx.params[0]!));
  const current = members(g);
  if (!current.includes(ctx.params[1]!)) throw groupNotFound(ctx.params[1]!);
  g.members = current.filter((m) => m !== ctx.params[1]);
  ctx.env.state.put(C, g);
  return noContent();
}

const common = { versions: BOTH, area: "groups", intune: false } as const;
export const groupRoutes: Route[] = [
  { ...common, method: "GET", pattern: ["groups"], pageSize: 100, handler: list },
  { ...common, method: "POST", pattern: ["groups"], handler: create },
  { ...common, method: "GET", pattern: ["groups", ":id"], entityCollection: C, handler: get },
  { ...common, method: "PATCH", pattern: ["groups", ":id"], handler: patch },
  { ...common, method: "DELETE", pattern: ["groups", ":id"], handler: remove },
  { ...common, method: "GET", pattern: ["groups", ":id", "members"], entityCollection: C, handler: listMembers },
  { ...common, method: "POST", pattern: ["groups", ":id", "members", "$ref"], handler: addMember },
  { ...common, method: "DELETE", pattern: ["groups", ":id", "members", ":member", "$ref"], handler: removeMember },
];
