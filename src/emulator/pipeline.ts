// One request through the emulator, the same for top-level and inner `$batch` requests (concepts/json-batching.md:
// each inner request is routed and throttled on its own): route → permission → faults → throttling →
// handler → eventual consistency / 504-after-commit, then Graph's error envelope for failures.
import { authorize } from "./auth";
import { errorBody, GraphHttpError, IntuneError, intuneMessage, intuneNotFound } from "./errors";
import type { FaultRule } from "./faults";
import { json, WRITE_METHODS, type EmulatorRequest, type EmulatorResponse } from "./http-types";
import { pageWindow } from "./odata-query";
import type { EmulatorEnv, HandlerResult, Router } from "./router";
import type { ThrottleDecision } from "./throttling";
import { intuneServiceOf } from "../model";

// Unref'd: an injected latency must not keep a process alive after its emulator was stopped.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export function errorResponse(
  req: Pick<EmulatorRequest, "requestId" | "clientRequestId" | "path">,
  err: GraphHttpError,
  extraInner: Record<string, unknown> = {},
): EmulatorResponse {
  const message =
    err instanceof IntuneError
      ? intuneMessage(
          err.message,
          req.requestId,
          `https://fef.emulator.manage.microsoft.com/StatelessDeviceConfigurationFEService/${req.path}`,
        )
      : err.message;
  return json(
    err.status,
    errorBody(
      err.code,
      message,
      { requestId: req.requestId, clientRequestId: req.clientRequestId, date: new Date() },
      extraInner,
    ),
    err.headers,
  );
}

function retryAfterHeader(value: FaultRule["retryAfter"], defaultSeconds: number): Record<string, string> {
  if (value === "absent") return {};
  if (value === "http-date") return { "Retry-After": new Date(Date.now() + 1000).toUTCString() };
  return { "Retry-After": String(value ?? defaultSeconds) };
}

/** Graph's documented 429 (https://learn.microsoft.com/graph/throttling). */
function tooManyRequests(req: EmulatorRequest, headers: Record<string, string>): EmulatorResponse {
  return errorResponse(req, new GraphHttpError(429, "TooManyRequests", "Please retry again later.", headers), {
    code: "429",
    message: "Please retry after",
    status: "429",
  });
}

function faultResponse(req: EmulatorRequest, rule: FaultRule, env: EmulatorEnv): EmulatorResponse | undefined {
  const windowSeconds = Number((20 * env.timeScale).toFixed(3));
  switch (rule.kind) {
    case "429":
      return tooManyRequests(req, retryAfterHeader(rule.retryAfter, windowSeconds));
    case "503":
      return errorResponse(
        req,
        new GraphHttpError(
          503,
          "ServiceUnavailable",
          "The service is temporarily unavailable. Please retry later.",
          rule.retryAfter === undefined ? {} : retryAfterHeader(rule.retryAfter, windowSeconds),
        ),
      );
    case "504":
      return errorResponse(
        req,
        new GraphHttpError(
          504,
          "GatewayTimeout",
          "The gateway did not receive a response in time.",
          rule.retryAfter === undefined ? {} : retryAfterHeader(rule.retryAfter, windowSeconds),
        ),
      );
    case "500":
    case "500-on-page":
      return errorResponse(req, new GraphHttpError(500, "InternalServerError", "An internal server error occurred."));
    case "reset":
      return { status: 0, headers: {}, reset: true };
    case "404":
      return errorResponse(req, intuneNotFound());
    case "redirect":
      return {
        status: 302,
        headers: { Location: rule.location ?? `https://redirected.invalid/beta/${req.path}` },
        json: { value: [] },
      };
    default:
      return undefined;
  }
}

/**
 * Where the latency faults of the items of one `$batch` are gathered instead of slept one after the other:
 * Graph runs the items of a batch without `dependsOn` in any order, in parallel
 * (https://learn.microsoft.com/graph/json-batching), so the batch answers after its slowest item, once.
 */
export interface LatencySink {
  ms: number;
}

/** Every how many Intune 429s one comes without Retry-After in the mode "sometimes". */
export const RETRY_AFTER_MISSING_EVERY = 3;

/**
 * A throttled request's 429. Intune's sometimes carry no Retry-After (almenscorner/IntuneCD#217); in the
 * mode "sometimes" every third one lacks it. Identity 429s name what ran out in `x-ms-throttle-scope`,
 * `<Scope>/<Limit>/<ApplicationId>/<TenantId>` (https://learn.microsoft.com/graph/throttling-limits,
 * identity and access service limits, "Throttled responses requests"); the Intune sections document no such header.
 */
function throttled(
  env: EmulatorEnv,
  req: EmulatorRequest,
  decision: ThrottleDecision,
  identity: boolean,
): EmulatorResponse {
  const seconds = (decision.retryAfterMs / 1000).toFixed(3).replace(/\.?0+$/, "");
  const retryAfter = { "Retry-After": seconds === "0" ? "0.001" : seconds };
  let headers: Record<string, string> = retryAfter;
  if (identity) {
    const { scope, limit } = decision.exceeded ?? { scope: "Tenant_Application", limit: "ReadWrite" };
    const information = limit === "Write" ? "WriteLimitExceeded" : "ResourceUnitLimitExceeded";
    headers = {
      ...retryAfter,
      "x-ms-throttle-scope": `${scope}/${limit}/${req.identity.appId}/${env.tenantId}`,
      "x-ms-throttle-information": information,
    };
  } else if (
    env.retryAfterMode === "absent" ||
    (env.retryAfterMode === "sometimes" && ++env.intuneThrottled % RETRY_AFTER_MISSING_EVERY === 0)
  ) {
    headers = {};
  }
  return tooManyRequests(req, headers);
}

export async function dispatch(
  env: EmulatorEnv,
  router: Router,
  req: EmulatorRequest,
  latency?: LatencySink,
): Promise<EmulatorResponse> {
  const res = await run(env, router, req, latency);
  env.log.record({
    method: req.method,
    path: req.path,
    query: req.rawQuery,
    status: res.status,
    inBatch: req.inBatch,
    timestamp: Date.now(),
  });
  return res;
}

async function run(
  env: EmulatorEnv,
  router: Router,
  req: EmulatorRequest,
  latency: LatencySink | undefined,
): Promise<EmulatorResponse> {
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
      if (rule.kind !== "latency") continue;
      if (latency) latency.ms = Math.max(latency.ms, rule.latencyMs ?? 1000);
      else await sleep(rule.latencyMs ?? 1000);
    }
    for (const rule of fired) {
      const r = faultResponse(req, rule, env);
      if (r) return r;
    }

    const identity = route.area === "groups";
    const decision = identity
      ? env.identityThrottler.admit(req.identity.appId, WRITE_METHODS.has(req.method))
      : env.throttler.admit(req.identity.appId, WRITE_METHODS.has(req.method), intuneServiceOf(req.path) ?? "other");
    if (!decision.allowed) return throttled(env, req, decision, identity);

    if (
      req.method === "GET" &&
      route.entityCollection &&
      params[0] !== undefined &&
      env.state.consumeInvisibleRead(params[0])
    ) {
      throw intuneNotFound();
    }

    const result: HandlerResult = await route.handler({ req, params, env });
    if (result.created) {
      const eventual = fired.find((r) => r.kind === "eventual-404");
      const reads = eventual ? (eventual.reads ?? 1) : env.eventualConsistencyReads;
      env.state.hideFromReads(result.created.id, reads);
    }
    if (WRITE_METHODS.has(req.method)) env.state.persist();
    if (fired.some((r) => r.kind === "504-after-commit")) {
      // the write above is committed; the caller only learns that the gateway timed out (https://learn.microsoft.com/graph/throttling)
      return errorResponse(
        req,
        new GraphHttpError(504, "GatewayTimeout", "The gateway did not receive a response in time."),
      );
    }
    const { created: _created, ...response } = result;
    return response;
  } catch (err) {
    if (err instanceof GraphHttpError) return errorResponse(req, err);
    const message = err instanceof Error ? err.message : String(err);
    return errorResponse(req, new GraphHttpError(500, "InternalServerError", `Emulator error: ${message}`));
  }
}
