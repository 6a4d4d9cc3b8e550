// wslpolicy's own JSON `$batch` builder (https://learn.microsoft.com/graph/json-batching). The SDK's BatchRequestContent keeps the
// version segment in inner URLs (`/beta/x`), which Graph rejects with 400 "Resource not found for the
// segment 'beta'" (msgraph-sdk-javascript #1178), so the `{requests:[...]}` body is built here: at most 20
// items, inner URLs relative to the version, `Content-Type` on items with a body, responses correlated by
// id (they come back in any order). Inner 429s are never retried by the SDK (the outer request was a 200:
// https://learn.microsoft.com/graph/json-batching); here throttled items go again in a later batch after the largest Retry-After they carried.
import { toGraphError, type GraphError } from "./errors";
import type { GraphResponse, GraphStats } from "./client";
import {
  MAX_SERVER_ERROR_RETRIES,
  parseRetryAfter,
  retryReason,
  retryWait,
  type Clock,
  type RetryInfo,
  type RetryPolicy,
} from "./retry";

export const MAX_BATCH_SIZE = 20;

export interface BatchRequest {
  /** Unique within one `batch` call; assigned ("1", "2", …) when missing. */
  id?: string;
  method: string;
  /** Relative to the version (`/deviceManagement/...`); a version prefix or absolute URL is stripped. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchResponse {
  id: string;
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: unknown;
}

interface WireRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** `https://host/beta/deviceManagement/x?y` or `/beta/deviceManagement/x` → `/deviceManagement/x?y`. */
export function innerUrl(url: string): string {
  let u = url.replace(/^https?:\/\/[^/]+/i, "");
  u = u.replace(/^\/+/, "");
  u = u.replace(/^(beta|v1\.0)(\/|$)/i, "");
  return `/${u}`;
}

/** The wire form of one batch (≤ 20 items). Throws on bad input rather than letting Graph answer 400. */
export function buildBatchBody(requests: (BatchRequest & { id: string })[]): { requests: WireRequest[] } {
  if (requests.length > MAX_BATCH_SIZE)
    throw new Error(`a $batch holds at most ${MAX_BATCH_SIZE} requests, got ${requests.length}`);
  const ids = new Set<string>();
  return {
    requests: requests.map((r) => {
      const key = r.id.toLowerCase();
      if (ids.has(key)) throw new Error(`duplicate $batch request id '${r.id}' (ids are case-insensitive)`);
      ids.add(key);
      const wire: WireRequest = { id: r.id, method: r.method.toUpperCase(), url: innerUrl(r.url) };
      const headers: Record<string, string> = { ...r.headers };
      if (r.body !== undefined) {
        // Graph requires Content-Type on every item with a body.
        if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
          headers["Content-Type"] = "application/json";
        wire.body = r.body;
      }
      if (Object.keys(headers).length > 0) wire.headers = headers;
      return wire;
    }),
  };
}

export function chunk<T>(items: T[], size = MAX_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BatchContext {
  endpoint: string;
  clock: Clock;
  policy: RetryPolicy;
  stats: GraphStats;
  onRetry?: (info: RetryInfo) => void;
  /**
   * Sends one `$batch` POST; `idempotent` says whether a transport failure may be retried. The client
   * charges every inner request to its budget at the moment the batch is actually sent.
   */
  post: (body: { requests: WireRequest[] }, idempotent: boolean) => Promise<GraphResponse<unknown>>;
  /** Holds the client's budget of these URLs' services for `ms` real milliseconds: items were throttled. */
  hold?: (urls: string[], ms: number) => void;
}

/**
 * Runs `requests` as batches of 20 (in parallel, bounded by the client's concurrency), retrying inner
 * items that were throttled (any method) or failed with 503/504 (idempotent methods only). Responses are
 * returned in the order of `requests`.
 */
export async function executeBatch(requests: BatchRequest[], ctx: BatchContext): Promise<BatchResponse[]> {
  const withIds = requests.map((r, i) => ({ ...r, id: r.id ?? String(i + 1) }));
  const seen = new Set<string>();
  for (const r of withIds) {
    const key = r.id.toLowerCase();
    if (seen.has(key)) throw new Error(`duplicate $batch request id '${r.id}'`);
    seen.add(key);
  }
  const results = new Map<string, BatchResponse>();
  await Promise.all(chunk(withIds).map((group) => runGroup(group, ctx, results)));
  return withIds.map((r) => results.get(r.id)!);
}

async function runGroup(
  group: (BatchRequest & { id: string })[],
  ctx: BatchContext,
  results: Map<string, BatchResponse>,
): Promise<void> {
  let pending = group;
  const serverErrors = new Map<string, number>();
  for (let attempt = 1; pending.length > 0; attempt++) {
    ctx.stats.innerRequests += pending.length;
    const allIdempotent = pending.every((r) => retryReason(r.method, 503, false) !== undefined);
    const outer = await ctx.post(buildBatchBody(pending), allIdempotent);
    if (outer.status < 200 || outer.status >= 300) throw outerError(outer);
    const responses = readResponses(outer.body);
    const retry: (BatchRequest & { id: string })[] = [];
    let waitMs = 0;
    let waitReason: RetryInfo["reason"] = "throttled";
    let fromHeader = false;
    for (const r of pending) {
      const res = responses.get(r.id.toLowerCase());
      if (!res) throw new Error(`$batch response has no answer for request id '${r.id}'`);
      const reason = retryReason(r.method, res.status, false);
      const count = reason === "server-error" ? (serverErrors.get(r.id) ?? 0) + 1 : 0;
      if (reason === "server-error") serverErrors.set(r.id, count);
      if (res.status === 429) ctx.stats.throttled++;
      if (reason && attempt <= ctx.policy.maxRetries && count <= MAX_SERVER_ERROR_RETRIES) {
        const after = parseRetryAfter(res.headers["retry-after"], ctx.clock.now());
        const delay = retryWait(ctx.policy, reason, attempt, after, ctx.clock.scale);
        if (delay >= waitMs) {
          waitMs = delay;
          waitReason = reason;
          fromHeader = after !== undefined;
        }
        retry.push(r);
      } else {
        results.set(r.id, { ...res, id: r.id });
      }
    }
    if (retry.length === 0) return;
    if (waitReason === "throttled")
      ctx.hold?.(
        retry.map((r) => r.url),
        waitMs,
      );
    ctx.stats.retries += retry.length;
    ctx.onRetry?.({
      method: "POST",
      path: "$batch",
      attempt,
      reason: waitReason,
      status: waitReason === "throttled" ? 429 : 503,
      delayMs: waitMs,
      retryAfter: fromHeader,
    });
    await ctx.clock.sleepReal(waitMs);
    pending = retry;
  }
}

function readResponses(body: unknown): Map<string, BatchResponse> {
  const out = new Map<string, BatchResponse>();
  const list = (body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(list)) throw new Error("$batch answer has no 'responses' array");
  for (const item of list as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const r = item as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown };
    if (typeof r.id !== "string" || typeof r.status !== "number") continue;
    const headers: Record<string, string> = {};
    if (typeof r.headers === "object" && r.headers !== null) {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    out.set(r.id.toLowerCase(), { id: r.id, status: r.status, headers, body: r.body });
  }
  return out;
}

function outerError(res: GraphResponse<unknown>): GraphError {
  return toGraphError("POST", "$batch", res, Date.now());
}
