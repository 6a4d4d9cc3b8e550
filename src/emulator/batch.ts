// JSON batching (concepts/json-batching.md): at most 20 requests; inner URLs relative to the
// outer version and without a version segment (else 400 "Resource not found for the segment 'beta'");
// `Content-Type` required with a body; every inner request goes through the same pipeline (routing,
// permissions, faults, throttling); `dependsOn` failures give 424; responses come back in another order
// (reversed, deterministically) and carry `Content-Type` with that exact casing.
import { badRequest, GraphHttpError } from "./errors";
import type { EmulatorRequest, EmulatorResponse } from "./http-types";
import { json } from "./http-types";
import { parseQuery } from "./odata-query";
import { dispatch, errorResponse, type LatencySink } from "./pipeline";
import type { EmulatorEnv, Router } from "./router";
import { type Json } from "./shapes";
import { splitPath } from "./url";
import { isRecord } from "../model";

export const MAX_BATCH_REQUESTS = 20;

interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchOutcome {
  response: EmulatorResponse;
  /** an inner request asked for a connection reset */
  reset: boolean;
}

function headersOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) out[k.toLowerCase()] = String(val);
  return out;
}

export async function runBatch(env: EmulatorEnv, router: Router, outer: EmulatorRequest): Promise<BatchOutcome> {
  const body = outer.body;
  if (!isRecord(body) || !Array.isArray(body.requests)) throw badRequest("Invalid batch payload format.");
  const requests = body.requests as unknown[];
  if (requests.length > MAX_BATCH_REQUESTS)
    throw badRequest(`The number of requests in a batch cannot exceed ${MAX_BATCH_REQUESTS}.`);
  const ids = new Set<string>();
  for (const r of requests) {
    if (
      !isRecord(r) ||
      typeof r.id !== "string" ||
      r.id === "" ||
      typeof r.method !== "string" ||
      typeof r.url !== "string"
    ) {
      throw badRequest("Invalid batch payload format: every request needs id, method and url.");
    }
    const key = r.id.toLowerCase();
    if (ids.has(key)) throw badRequest(`Batch request contains duplicate id '${r.id}'.`);
    ids.add(key);
    if (r.body !== undefined && headersOf(r.headers)["content-type"] === undefined) {
      throw badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
    if (r.dependsOn !== undefined) {
      if (
        !Array.isArray(r.dependsOn) ||
        r.dependsOn.some((d) => typeof d !== "string" || !ids.has(d.toLowerCase()) || d.toLowerCase() === key)
      ) {
        throw badRequest(`Request id ${r.id}: dependsOn must name requests that come before it in the batch.`);
      }
    }
  }

  const statusById = new Map<string, number>();
  const out: InnerResponse[] = [];
  // Latency faults of the items: the batch answers after the slowest, once (pipeline.ts, LatencySink).
  const latency: LatencySink = { ms: 0 };
  for (const raw of requests as Json[]) {
    const id = String(raw.id);
    const method = String(raw.method).toUpperCase();
    const headers = headersOf(raw.headers);
    const deps = Array.isArray(raw.dependsOn) ? (raw.dependsOn as string[]) : [];
    const failedDep = deps.find((d) => (statusById.get(d.toLowerCase()) ?? 424) >= 400);
    const requestId = crypto.randomUUID();
    let res: EmulatorResponse;
    if (failedDep !== undefined) {
      res = errorResponse(
        { requestId, path: "$batch" },
        new GraphHttpError(
          424,
          "FailedDependency",
          `The request failed because it depended on request '${failedDep}', which failed.`,
        ),
      );
    } else {
      const url = String(raw.url);
      const [pathPart = "", queryPart = ""] = url.split(/\?(.*)/s, 2);
      let segments: string[] = [];
      let badPath: GraphHttpError | undefined;
      try {
        segments = splitPath(pathPart);
      } catch (e) {
        badPath = e instanceof GraphHttpError ? e : badRequest(String(e));
      }
      const first = segments[0]?.toLowerCase();
      if (badPath) {
        // A URL that cannot be decoded is answered as such, not routed on with no segments.
        res = errorResponse({ requestId, path: pathPart }, badPath);
      } else if (/^https?:/i.test(url) || first === "beta" || first === "v1.0") {
        // inner URLs must not carry a version segment (microsoftgraph/msgraph-sdk-javascript#1178)
        const seg = /^https?:/i.test(url) ? url.split("/")[0]! : segments[0]!;
        res = errorResponse(
          { requestId, path: pathPart },
          new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${seg}'.`),
        );
      } else if (segments[0] === "$batch") {
        res = errorResponse(
          { requestId, path: pathPart },
          badRequest("A batch request cannot contain another batch request."),
        );
      } else {
        const inner: EmulatorRequest = {
          method,
          version: outer.version,
          segments,
          path: segments.join("/"),
          query: new Map(),
          rawQuery: queryPart,
          headers,
          body: raw.body,
          rawBody: Buffer.from(raw.body === undefined ? "" : JSON.stringify(raw.body)),
          inBatch: true,
          baseUrl: outer.baseUrl,
          identity: outer.identity,
          requestId,
          clientRequestId: headers["client-request-id"],
        };
        try {
          inner.query = parseQuery(queryPart, outer.version);
          res = await dispatch(env, router, inner, latency);
        } catch (e) {
          res = errorResponse(inner, e instanceof GraphHttpError ? e : badRequest(String(e)));
        }
      }
    }
    if (res!.reset) return { response: res!, reset: true };
    statusById.set(id.toLowerCase(), res!.status);
    out.push(toInner(id, res!));
  }
  out.reverse();
  if (latency.ms > 0) await new Promise((r) => setTimeout(r, latency.ms).unref());
  return { response: json(200, { responses: out }), reset: false };
}

function toInner(id: string, res: EmulatorResponse): InnerResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
    headers[k.toLowerCase() === "content-type" ? "Content-Type" : k] = v;
  if (res.raw !== undefined) {
    // binary inner bodies travel base64-encoded (Doc S50)
    headers["Content-Type"] ??= "application/octet-stream";
    return { id, status: res.status, headers, body: res.raw.toString("base64") };
  }
  headers["Content-Type"] ??= "application/json";
  const inner: InnerResponse = { id, status: res.status, headers };
  if (res.json !== undefined) inner.body = res.json;
  return inner;
}
