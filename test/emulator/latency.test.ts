// The emulator's latency model: one round trip per HTTP request, and a `$batch` is one HTTP request whose
// items Graph runs in any order, in parallel unless `dependsOn` chains them
// (https://learn.microsoft.com/graph/json-batching), so a batch answers after its slowest item, not after
// the sum of its items. Logical time (fake timers), no wall-clock checks.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runBatch } from "../../src/emulator/batch";
import { FaultInjector } from "../../src/emulator/faults";
import type { EmulatorRequest } from "../../src/emulator/http-types";
import { RequestLog } from "../../src/emulator/request-log";
import { Router, type EmulatorEnv } from "../../src/emulator/router";
import { allRoutes } from "../../src/emulator/routes";
import { createRequestListener } from "../../src/emulator/server";
import { EmulatorState } from "../../src/emulator/state";
import { syntheticTenant } from "../../src/emulator/synthetic-tenant";
import { IDENTITY_LIMITS, Throttler } from "../../src/emulator/throttling";
import { ALL_ROLES, issueToken } from "../../src/emulator/auth";
import type { IncomingMessage, ServerResponse } from "node:http";

function env(roundTripMs = 0): EmulatorEnv {
  return {
    state: new EmulatorState(syntheticTenant({ policies: 3, settings: 2 })),
    faults: new FaultInjector(),
    log: new RequestLog(),
    throttler: new Throttler(1, false),
    identityThrottler: new Throttler(1, false, Date.now, IDENTITY_LIMITS),
    tenantId: "t",
    timeScale: 1,
    retryAfterMode: "seconds",
    intuneThrottled: 0,
    roundTripMs,
    eventualConsistencyReads: 0,
    patchAnswer: "noContent",
    adminToken: "admin",
    content: { sasLifetimeMs: 60_000, pendingPolls: 0, publishingPolls: 0 },
  };
}

const identity = { appId: "app", roles: new Set<string>(ALL_ROLES) };

function batchOf(n: number): EmulatorRequest {
  const requests = Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    method: "GET",
    url: "/deviceManagement/configurationPolicies",
  }));
  return {
    method: "POST",
    version: "beta",
    segments: ["$batch"],
    path: "$batch",
    query: new Map(),
    rawQuery: "",
    headers: {},
    body: { requests },
    rawBody: Buffer.from(JSON.stringify({ requests })),
    inBatch: false,
    baseUrl: "https://localhost:1/",
    identity,
    requestId: "r",
  };
}

/** Whether `promise` has settled after `ms` of logical time. */
async function settledAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(ms);
  return done;
}

describe("latency", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("answers a batch after its slowest item, not after the sum of its items' latencies", async () => {
    const e = env();
    e.faults.add({ path: "deviceManagement/configurationPolicies", kind: "latency", latencyMs: 1_000, times: 3 });
    const batch = runBatch(e, new Router(allRoutes), batchOf(3));
    expect(await settledAfter(batch, 999)).toBe(false);
    expect(await settledAfter(batch, 2)).toBe(true);
    const { response } = await batch;
    const { responses } = response.json as { responses: { status: number }[] };
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("charges one round trip per HTTP request, a $batch of 20 included", async () => {
    const e = env(30);
    const listener = createRequestListener(
      e,
      new Router(allRoutes),
      () => Promise.resolve({ status: 404, headers: {} }),
      () => "https://localhost:1/",
    );
    const body = Buffer.from(JSON.stringify(batchOf(20).body));
    const req = Object.assign(
      (async function* () {
        yield body;
      })(),
      {
        method: "POST",
        url: "/beta/$batch",
        headers: { authorization: `Bearer ${issueToken("t")}`, "content-type": "application/json" },
      },
    ) as unknown as IncomingMessage;
    let status = 0;
    const res = { writeHead: (s: number) => (status = s), end: () => undefined, socket: null };
    const answered = listener(req, res as unknown as ServerResponse);
    expect(await settledAfter(answered, 29)).toBe(false);
    expect(await settledAfter(answered, 2)).toBe(true);
    expect(status).toBe(200);
    expect(e.log.count({ inBatch: true })).toBe(20);
  });
});
