// One request through the emulator, the same for top-level and inner `$batch` requests (concepts/json-batching.md:
// each inner request is routed and throttled on its own): route → permission → faults → throttling →
// handler → eventual consistency / 504-after-commit, then Graph's error envelope for failures.
import { authorize } from "./auth";
import { errorBody, GraphHttpError, IntuneError, intuneMessage, intuneNotFound } from "./errors";
import type { FaultRule } from "./faults";
import { json, WRITE_METHODS, type EmulatorRequest, type EmulatorResponse } from "./http-types";
import { pageWindow } from "./odata-query";
import type { EmulatorEnv, HandlerResult, Router } from "./router";

// Unref'd: an injected latency must not keep a process alive after its emulator was stopped.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export function errorResponse(req: Pick<EmulatorRequest, "requestId" | "clientRequestId" | "path">, err: GraphHttpError, extraInner: Record<string, unknown> = {}): EmulatorResponse {
  const message = err instanceof IntuneError ? intuneMessage(err.message, req.requestId, `https://fef.emulator.manage.microsoft.com/StatelessDeviceConfigurationFEService/${req.path}`) : err.message;
  return json(err.status, errorBody(err.code, message, { requestId: req.requestId, clientRequestId: req.clientRequestId, date: new Date() }, extraInner), err.headers);
}

function retryAfterHeader(value: FaultRule["retryAfter"], defaultSeconds: number): Record<string, string> {
  if (value === "absent") return {};
  if (value === "http-date") return { "Retry-After": new Date(Date.now() + 1000).toUTCString() };
  return { "Retry-After": String(value ?? defaultSeconds) };
}

/** Graph's documented 429 (https://learn.microsoft.com/graph/throttling). */
function tooManyRequests(req: EmulatorRequest, headers: Record<string, string>): EmulatorResponse {
  return errorResponse(req, new GraphHttpError(429, "TooManyRequests", "Please retry again later.", headers), { code: "429", message: "Please retry after", status: "429" });
}

function faultResponse(req: EmulatorRequest, rule: FaultRule, env: EmulatorEnv): EmulatorResponse | undefined {
  const windowSeconds = Number(((20 * env.timeScale)).toFixed(3));
  switch (rule.kind) {
    case "429":
      return tooManyRequests(req, retryAfterHeader(rule.retryAfter, windowSeconds));
    case "503":
      return errorResponse(req, new GraphHttpError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", rule.retryAfter === undefined ? {} : retryAfterHeader(rule.retryAfter, windowSeconds)));
    case "504":
      return errorResponse(req, new GraphHttpError(504, "GatewayTimeout", "The gateway did not receive a response in time.", rule.retryAfter === undefined ? {} : retryAfterHeader(rule.retryAfter, windowSeconds)));
    case "500":
    case "500-on-page":
      return errorResponse(req, new GraphHttpError(500, "InternalServerError", "An internal server error occurred."));
    case "reset":
      return { status: 0, headers: {}, reset: true };
    case "404":
      return errorResponse(req, intuneNotFound());
    case "redirect":
      return { status: 302, headers: { Location: rule.location ?? `https://redirected.invalid/beta/${req.path}` }, json: { value: [] } };
    default:
      return undefined;
  }
}

export async function dispatch(env: EmulatorEnv, router: Router, req: EmulatorRequest): Promise<EmulatorResponse> {
  const res = await run(env, router, req);
  env.log.record({ method: req.method, path: req.path, query: req.rawQuery, status: res.status, inBatch: req.inBatch, timestamp: Date.now() });
  return res;
}

async function run(env: EmulatorEnv, router: Router, req: EmulatorRequest): Promise<EmulatorResponse> {
  try {
    const { route, params } = router.match(req);
    const write = route.write ?? req.method !== "GET";
    authorize(req.identity, route.area, write);

    let page: number | undefined;
    if (route.pageSize !== undefined && req.method === "GET") {
      try {
        page = pageWindow(req.query, route.pageSize).page;
      } catch {
        page = undefined;
      }
    }
    const fired = env.faults.take({ method: req.method, path: req.path, page });
    for (const rule of fired) {
      if (rule.kind === "latency") await sleep(rule.latencyMs ?? 1000);
    }
    for (const rule of fired) {
      const r = faultResponse(req, rule, env);
      if (r) return r;
    }

    const identity = route.area === "groups";
    const decision = (identity ? env.identityThrottler : env.throttler).admit(req.identity.appId, WRITE_METHODS.has(req.method));
    if (!decision.allowed) {
      const seconds = (decision.retryAfterMs / 1000).toFixed(3).replace(/\.?0+$/, "");
      const headers: Record<string, string> = env.retryAfterMode === "absent" ? {} : { "Retry-After": seconds === "0" ? "0.001" : seconds };
      // throttled identity responses name the scope that ran out (https://learn.microsoft.com/graph/throttling-limits, identity and access service limits)
      if (identity) Object.assign(headers, { "x-ms-throttle-scope": `Tenant_Application/ReadWrite/${env.tenantId}/${req.identity.appId}`, "x-ms-throttle-information": "ResourceUnitLimitExceeded" });
      return tooManyRequests(req, headers);
    }

    if (req.method === "GET" && route.entityCollection && params[0] !== undefined && env.state.consumeInvisibleRead(params[0])) {
      throw intuneNotFound();
    }

    const result: HandlerResult = await route.handler({ req, params, env });
    if (result.created) {
      const eventual = fired.find((r) => r.kind === "eventual-404");
      const reads = eventual ? eventual.reads ?? 1 : env.eventualConsistencyReads;
      env.state.hideFromReads(result.created.id, reads);
    }
    if (WRITE_METHODS.has(req.method)) env.state.persist();
    if (fired.some((r) => r.kind === "504-after-commit")) {
      // the write above is committed; the caller only learns that the gateway timed out (https://learn.microsoft.com/graph/throttling)
      return errorResponse(req, new GraphHttpError(504, "GatewayTimeout", "The gateway did not receive a response in time."));
    }
    const { created: _created, ...response } = result;
    return response;
  } catch (err) {
    if (err instanceof GraphHttpError) return errorResponse(req, err);
    const message = err instanceof Error ? err.message : String(err);
    return errorResponse(req, new GraphHttpError(500, "InternalServerError", `Emulator error: ${message}`));
  }
}
