// The HTTPS transport: reads a request, authenticates it, hands it to the pipeline (or the `$batch`
// runner, or the fake blob storage) and writes Graph's headers (`request-id`, echoed `client-request-id`).
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "./auth";
import { runBatch } from "./batch";
import { GraphHttpError } from "./errors";
import { parseFaultRules } from "./fault-file";
import type { ApiVersion, EmulatorRequest, EmulatorResponse } from "./http-types";
import { parseQuery } from "./odata-query";
import { dispatch, errorResponse } from "./pipeline";
import type { EmulatorEnv, Router } from "./router";
import { splitPath } from "./url";

export type BlobHandler = (
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>,
  body: Buffer,
) => Promise<EmulatorResponse>;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function send(res: ServerResponse, r: EmulatorResponse, ids: { requestId: string; clientRequestId?: string }): void {
  if (r.reset) {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = {
    "request-id": ids.requestId,
    "client-request-id": ids.clientRequestId ?? ids.requestId,
    "x-ms-ags-diagnostic": JSON.stringify({
      ServerInfo: { DataCenter: "Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "localhost" },
    }),
    "Strict-Transport-Security": "max-age=31536000",
    "Cache-Control": "no-cache",
    ...r.headers,
  };
  let payload: Buffer | undefined;
  if (r.raw !== undefined) payload = r.raw;
  else if (r.json !== undefined) payload = Buffer.from(JSON.stringify(r.json));
  if (payload) headers["Content-Length"] = String(payload.length);
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** The admin route: faults injected into a running emulator (`wslpolicy emulator` prints its token). */
export const ADMIN_FAULTS_PATH = "/_wslpolicy/faults";

function adminResponse(
  env: EmulatorEnv,
  method: string,
  authorization: string | undefined,
  body: Buffer,
): EmulatorResponse {
  const expected = Buffer.from(`Bearer ${env.adminToken}`);
  const given = Buffer.from(authorization ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      status: 401,
      headers: { "Content-Type": "application/json" },
      json: {
        error: {
          code: "Unauthorized",
          message: "the admin route needs the emulator's admin token (WSLPOLICY_EMULATOR_ADMIN_TOKEN)",
        },
      },
    };
  }
  const ok = () => ({
    status: 200,
    headers: { "Content-Type": "application/json" },
    json: { faults: env.faults.size },
  });
  if (method === "GET") return ok();
  if (method === "DELETE") {
    env.faults.clear();
    return ok();
  }
  if (method !== "POST")
    return { status: 405, headers: {}, json: { error: { code: "MethodNotAllowed", message: "GET, POST or DELETE" } } };
  try {
    for (const rule of parseFaultRules(JSON.parse(body.toString("utf8")) as unknown, "request body"))
      env.faults.add(rule);
  } catch (err) {
    return {
      status: 400,
      headers: { "Content-Type": "application/json" },
      json: { error: { code: "BadRequest", message: err instanceof Error ? err.message : String(err) } },
    };
  }
  return ok();
}

/**
 * The listener, with the network's round trip: every HTTP request (a `$batch` is one, however many items it
 * carries) is answered `env.roundTripMs` after it arrived, as if client and Graph were that far apart.
 */
export function createRequestListener(env: EmulatorEnv, router: Router, blob: BlobHandler, baseUrl: () => string) {
  const handle = createHandler(env, router, blob, baseUrl);
  if (env.roundTripMs <= 0) return handle;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The whole round trip before the work: a request is counted and answered one round trip after it left.
    await new Promise<void>((r) => setTimeout(r, env.roundTripMs).unref());
    await handle(req, res);
  };
}

function createHandler(env: EmulatorEnv, router: Router, blob: BlobHandler, baseUrl: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = flatHeaders(req);
    const requestId = randomUUID();
    const clientRequestId = headers["client-request-id"];
    const ids = { requestId, clientRequestId };
    const url = new URL(req.url ?? "/", "https://localhost");
    const method = (req.method ?? "GET").toUpperCase();
    try {
      const rawBody = await readBody(req);
      if (url.pathname === ADMIN_FAULTS_PATH) {
        send(res, adminResponse(env, method, headers.authorization, rawBody), ids);
        return;
      }
      if (url.pathname.startsWith("/blob/")) {
        const r = await blob(method, url.pathname.slice(1), url.searchParams, headers, rawBody);
        if (!r.reset)
          env.log.record({
            method,
            path: decodeURIComponent(url.pathname.slice(1)),
            query: url.search.slice(1),
            status: r.status,
            inBatch: false,
            timestamp: Date.now(),
          });
        send(res, r, ids);
        return;
      }
      const allSegments = splitPath(url.pathname);
      const version = allSegments[0];
      const rawQuery = url.search.slice(1);
      const stub = { requestId, clientRequestId, path: allSegments.slice(1).join("/") };
      if (version !== "beta" && version !== "v1.0") {
        send(res, errorResponse(stub, new GraphHttpError(400, "BadRequest", `Invalid version: ${version ?? ""}`)), ids);
        return;
      }
      let identity;
      try {
        identity = authenticate(headers.authorization);
      } catch (e) {
        const r = errorResponse(stub, e as GraphHttpError);
        env.log.record({
          method,
          path: stub.path,
          query: rawQuery,
          status: r.status,
          inBatch: false,
          timestamp: Date.now(),
        });
        send(res, r, ids);
        return;
      }
      let body: unknown = undefined;
      if (rawBody.length > 0 && /json/i.test(headers["content-type"] ?? "application/json")) {
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          send(
            res,
            errorResponse(
              stub,
              new GraphHttpError(
                400,
                "BadRequest",
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
              ),
            ),
            ids,
          );
          return;
        }
      }
      const segments = allSegments.slice(1);
      const request: EmulatorRequest = {
        method,
        version: version as ApiVersion,
        segments,
        path: segments.join("/"),
        query: parseQuery(rawQuery, version as ApiVersion),
        rawQuery,
        headers,
        body,
        rawBody,
        inBatch: false,
        baseUrl: baseUrl(),
        identity,
        requestId,
        clientRequestId,
      };
      if (request.path === "$batch" && method === "POST") {
        let r: EmulatorResponse;
        try {
          r = (await runBatch(env, router, request)).response;
        } catch (e) {
          r = errorResponse(
            request,
            e instanceof GraphHttpError ? e : new GraphHttpError(500, "InternalServerError", String(e)),
          );
        }
        if (!r.reset)
          env.log.record({
            method,
            path: "$batch",
            query: rawQuery,
            status: r.status,
            inBatch: false,
            timestamp: Date.now(),
          });
        send(res, r, ids);
        return;
      }
      send(res, await dispatch(env, router, request), ids);
    } catch (e) {
      const err =
        e instanceof GraphHttpError
          ? e
          : new GraphHttpError(
              500,
              "InternalServerError",
              `Emulator error: ${e instanceof Error ? e.message : String(e)}`,
            );
      send(res, errorResponse({ requestId, clientRequestId, path: url.pathname }, err), ids);
    }
  };
}
