// OData system query options as the Intune and directory services apply them: `$select`, `$expand`,
// `$filter`, `$top`, `$skiptoken` paging with absolute nextLinks, and the `$count` rejection
// (https://learn.microsoft.com/graph/query-parameters). Beta accepts options with or without `$`.
import { badRequest } from "./errors";
import type { ApiVersion, EmulatorRequest } from "./http-types";
import { norm, parseFilter, resolve, type FilterType } from "./odata-filter";

export const DEFAULT_PAGE_SIZE = 25;

const SYSTEM_OPTIONS = new Set([
  "select",
  "expand",
  "filter",
  "top",
  "skip",
  "skiptoken",
  "count",
  "orderby",
  "search",
  "format",
]);

/** Splits a raw query string into options; `+` decodes to a space as on Graph (https://learn.microsoft.com/graph/query-parameters#encoding-query-parameters). */
export function parseQuery(raw: string, version: ApiVersion): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, " ")).trim();
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      throw badRequest(`Invalid query string '${raw}'.`);
    }
    if (key.startsWith("$")) {
      key = key.slice(1).toLowerCase();
      if (!SYSTEM_OPTIONS.has(key)) throw badRequest(`The query parameter '$${key}' is not supported.`);
    } else if (version === "beta" && SYSTEM_OPTIONS.has(key.toLowerCase())) {
      // beta accepts system query options without `$` (IntuneCD, github.com/almenscorner/IntuneCD, sends
      // `settings?&top=1000`)
      key = key.toLowerCase();
    } else {
      key = `custom:${key}`;
    }
    out.set(key, value);
  }
  return out;
}

/** Intune (ASP.NET OData) refuses `$count` on these collections. */
export function rejectCount(req: EmulatorRequest): void {
  if (req.query.has("count")) {
    throw badRequest(
      "Query option 'Count' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.",
    );
  }
}

export function selectedProperties(req: EmulatorRequest): string[] | undefined {
  const s = req.query.get("select");
  if (s === undefined || s.trim() === "") return undefined;
  return s
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The navigation properties named in `$expand`, each with its nested options (`a($expand=b)` → a: "$expand=b"). */
export function expandedOptions(
  req: EmulatorRequest,
  allowed: readonly string[],
  typeName: string,
): Map<string, string> {
  return parseExpand(req.query.get("expand"), allowed, typeName);
}

/** The navigation properties named in `$expand` (nested options: see `expandedOptions`, `nestedExpand`). */
export function expandedProperties(req: EmulatorRequest, allowed: readonly string[], typeName: string): Set<string> {
  return new Set(expandedOptions(req, allowed, typeName).keys());
}

/** The navigation properties a nested `$expand` inside `options` (one entry of `expandedOptions`) names. */
export function nestedExpand(options: string | undefined, allowed: readonly string[], typeName: string): Set<string> {
  const expand = splitTopLevel(options ?? "", ";").find((o) => /^\$expand=/i.test(o.trim()));
  return new Set(parseExpand(expand?.trim().replace(/^\$expand=/i, ""), allowed, typeName).keys());
}

function parseExpand(e: string | undefined, allowed: readonly string[], typeName: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!e) return out;
  for (const part of splitTopLevel(e, ",")) {
    const m = /^([^(]*)(?:\((.*)\))?$/s.exec(part.trim());
    const name = (m?.[1] ?? "").trim();
    if (!name) continue;
    if (name === "*") {
      allowed.forEach((a) => out.set(a, ""));
      continue;
    }
    if (!allowed.includes(name)) {
      throw badRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
    out.set(name, m?.[2] ?? "");
  }
  return out;
}

/** `text` split at `sep` outside parentheses. */
function splitTopLevel(text: string, sep: string): string[] {
  let depth = 0;
  let cur = "";
  const parts: string[] = [];
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === sep && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** `$filter`, then `$orderby` (`prop[/sub] [asc|desc], …`; a stable sort, strings case-insensitive). */
export function applyFilter<T extends Record<string, unknown>>(
  req: EmulatorRequest,
  items: T[],
  type?: FilterType,
): T[] {
  const f = req.query.get("filter");
  const filtered = f === undefined || f.trim() === "" ? items : items.filter(parseFilter(f, type));
  return applyOrder(req, filtered);
}

function applyOrder<T extends Record<string, unknown>>(req: EmulatorRequest, items: T[]): T[] {
  const o = req.query.get("orderby");
  if (o === undefined || o.trim() === "") return items;
  const keys = o.split(",").map((part) => {
    const [prop = "", dir = "asc"] = part.trim().split(/\s+/);
    if (!/^(asc|desc)$/i.test(dir)) throw badRequest(`Invalid $orderby expression '${part.trim()}'.`);
    return { path: prop.split("/"), sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const x = norm(resolve(a, k.path));
      const y = norm(resolve(b, k.path));
      if (x === y) continue;
      if (x === undefined || x === null) return -k.sign;
      if (y === undefined || y === null) return k.sign;
      return (x < y ? -1 : 1) * k.sign;
    }
    return 0;
  });
}

/** Projects an object on `$select`; `@odata.type` stays so polymorphic collections remain readable. */
export function project(obj: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  if (obj["@odata.type"] !== undefined) out["@odata.type"] = obj["@odata.type"];
  for (const key of select) if (key in obj) out[key] = obj[key];
  return out;
}

const TOKEN_PREFIX = "emu1-";

function decodeSkipToken(token: string): number {
  if (!token.startsWith(TOKEN_PREFIX)) throw badRequest(`The skip token '${token}' is invalid.`);
  const offset = Number(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(`The skip token '${token}' is invalid.`);
  return offset;
}

export interface PageWindow {
  offset: number;
  size: number;
  /** 1-based page number (page 1 has no skiptoken) */
  page: number;
}

export function pageWindow(query: Map<string, string>, defaultSize = DEFAULT_PAGE_SIZE, maxSize = 1000): PageWindow {
  const token = query.get("skiptoken");
  // A skip token holds the absolute offset (the `$skip` of the first request included).
  const offset = token === undefined ? (nonNegative(query, "skip") ?? 0) : decodeSkipToken(token);
  const top = nonNegative(query, "top");
  // `$top=0` asks for an empty page (OData), not for one item.
  const size = top === undefined ? defaultSize : Math.min(top, maxSize);
  return { offset, size, page: size === 0 ? 1 : Math.floor(offset / size) + 1 };
}

function nonNegative(query: Map<string, string>, option: "top" | "skip"): number | undefined {
  const raw = query.get(option);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${raw}' for $${option} query option found.`);
  return n;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/** One page of `items` and the absolute nextLink to the next one, built from the request's own URL. */
export function paginate<T>(
  req: EmulatorRequest,
  items: T[],
  defaultSize = DEFAULT_PAGE_SIZE,
  maxSize = 1000,
): Page<T> {
  const w = pageWindow(req.query, defaultSize, maxSize);
  const slice = items.slice(w.offset, w.offset + w.size);
  if (w.size === 0 || w.offset + w.size >= items.length) return { items: slice };
  const kept = req.rawQuery.split("&").filter((p) => p && !/^\$?skip(token)?=/i.test(p));
  kept.push(`$skiptoken=${TOKEN_PREFIX}${Buffer.from(String(w.offset + w.size)).toString("base64url")}`);
  const nextLink = `${req.baseUrl}${req.version}/${req.path}?${kept.join("&")}`;
  return { items: slice, nextLink };
}

export function contextUrl(req: EmulatorRequest, fragment: string): string {
  return `${req.baseUrl}${req.version}/$metadata#${fragment}`;
}
