// The real Graph client (SDK 3.0.7 + own retries, budget and $batch) against the local emulator over
// HTTPS: every page read, batches split at 20 and correlated by id, throttling storms survived with and
// without Retry-After, every fault kind, 403s naming the permission, and no token in any error or log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GraphError, createGraphClient, staticTokenCredential, type RetryInfo } from "../../src/graph";
import { COLLECTIONS } from "../../src/model";
import { policyId, seedTenant, startHarness, type Harness } from "./fixtures";

const POLICIES = COLLECTIONS.configurationPolicies;
let h: Harness;

beforeAll(async () => {
  h = await startHarness(seedTenant({ policies: 60, settings: 30 }));
});
afterAll(async () => h.stop());
afterEach(() => {
  h.emulator.faults.clear();
  h.emulator.log.reset();
});

describe("reading", () => {
  it("follows @odata.nextLink until every page is read (60 policies at 25 per page)", async () => {
    const graph = h.client();
    const items = await graph.list<{ id: string }>(POLICIES);
    expect(items.map((p) => p.id)).toEqual(Array.from({ length: 60 }, (_, i) => policyId(i)));
    expect(graph.requestCount).toBe(3);
  });

  it("reads all 30 settings of a policy, across pages", async () => {
    const settings = await h.graph.list<{ id: string }>(`${POLICIES}/${policyId(7)}/settings`);
    expect(settings).toHaveLength(30);
    expect(new Set(settings.map((s) => s.id)).size).toBe(30);
  });

  it("reads v1.0 collections when asked", async () => {
    const groups = await h.graph.list<{ displayName: string }>("groups?$select=id,displayName", { version: "v1.0" });
    expect(groups.map((g) => g.displayName)).toEqual(["Ring 0", "Ring 1", "Ring 2"]);
  });

  it("refuses a non-https endpoint: the SDK would send no token and break nextLinks", () => {
    expect(() =>
      createGraphClient({ endpoint: "http://localhost:1/", credential: { getToken: async () => null } }),
    ).toThrow(/https/);
  });
});

describe("$batch", () => {
  const gets = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `p${i}`, method: "GET", url: `/beta/${POLICIES}/${policyId(i)}` }));

  it("sends 20 requests as one batch and matches every answer to its request", async () => {
    const graph = h.client();
    const res = await graph.batch(gets(20));
    expect(res.map((r) => r.id)).toEqual(gets(20).map((g) => g.id));
    expect(res.map((r) => (r.body as { id: string }).id)).toEqual(Array.from({ length: 20 }, (_, i) => policyId(i)));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(graph.requestCount).toBe(1);
    expect(h.emulator.log.count({ path: "$batch" })).toBe(1);
  });

  it("splits 21 requests into two batches", async () => {
    const graph = h.client();
    const res = await graph.batch(gets(21));
    expect(res).toHaveLength(21);
    expect((res[20]!.body as { id: string }).id).toBe(policyId(20));
    expect(graph.requestCount).toBe(2);
    expect(graph.stats.innerRequests).toBe(21);
    expect(h.emulator.log.count({ path: "$batch" })).toBe(2);
  });

  it("sends writes with Content-Type and returns per-item failures without throwing", async () => {
    const res = await h.graph.batch([
      { method: "PATCH", url: `${POLICIES}/${policyId(1)}`, body: { name: "Renamed in batch" } },
      { method: "GET", url: `${POLICIES}/does-not-exist` },
    ]);
    expect(res[0]!.status).toBe(204);
    expect(res[1]!.status).toBe(404);
    expect((await h.graph.get<{ name: string }>(`${POLICIES}/${policyId(1)}`)).name).toBe("Renamed in batch");
  });

  it("retries inner requests that were throttled, honouring their Retry-After", async () => {
    h.emulator.faults.add({
      method: "GET",
      path: new RegExp(`^${POLICIES}/${policyId(3)}$`),
      kind: "429",
      retryAfter: 0.05,
      times: 2,
    });
    const retries: RetryInfo[] = [];
    const graph = h.client({ onRetry: (r) => retries.push(r) });
    const res = await graph.batch(gets(5));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(graph.stats.throttled).toBe(2);
    expect(retries.map((r) => [r.reason, r.retryAfter, r.delayMs])).toEqual([
      ["throttled", true, 50],
      ["throttled", true, 50],
    ]);
  });
});

describe("throttling", () => {
  // A 2 s window (time scale 0.1): long enough that 250 writes from one client outrun 100 per window even
  // on a loaded CI machine, short enough to keep the storms to a few seconds.
  const STORM_SCALE = 0.1;
  const writes = (n: number) => Array.from({ length: n }, (_, i) => `${POLICIES}/${policyId(i % 60)}`);
  let storm: Harness;
  beforeAll(async () => {
    storm = await startHarness(seedTenant({ policies: 60, settings: 1 }), { timeScale: STORM_SCALE });
  });
  afterAll(async () => storm.stop());

  it("survives a storm of 250 writes with no client budget: 429s are met, honoured and retried", async () => {
    const retries: RetryInfo[] = [];
    const graph = storm.client({
      timeScale: STORM_SCALE,
      budget: { requests: 1e9, writes: 1e9 },
      concurrency: 8,
      onRetry: (r) => retries.push(r),
    });
    await Promise.all(writes(250).map((path, i) => graph.patch(path, { description: `storm ${i}` })));
    expect(storm.emulator.log.count({ method: "PATCH", status: 204 })).toBe(250);
    expect(storm.emulator.log.count({ status: 429 })).toBeGreaterThan(0);
    expect(graph.stats.throttled).toBe(storm.emulator.log.count({ status: 429 }));
    expect(retries.length).toBe(graph.stats.throttled);
    expect(retries.every((r) => r.reason === "throttled" && r.retryAfter)).toBe(true);
  });

  it("completes its writes through 429s when other apps of the tenant have spent most of the tenant's budget", async () => {
    // Intune's tenant-wide 200 writes per 20 s are shared by every app (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits):
    // the client cannot see the other apps' writes, only the 429; it then holds its writes to the service
    // for the Retry-After and resumes one at a time (budget.test.ts), honouring every Retry-After.
    const scale = 0.5;
    const shared = await startHarness(seedTenant({ policies: 60, settings: 1 }), { timeScale: scale });
    try {
      // two other apps, 75 writes each (each within its own 100)
      const others = ["5e1d7c3a-0b2f-4c6d-9e8a-7f6b5c4d3e2a", "6f2e8d4b-1c3a-4d7e-8f9b-0a1b2c3d4e5f"].map((appId) =>
        shared.client({
          timeScale: scale,
          credential: staticTokenCredential(shared.emulator.issueToken(undefined, { appId })),
        }),
      );
      await Promise.all(
        others.flatMap((other) => writes(75).map((path) => other.patch(path, { description: "another app" }))),
      );
      const retries: RetryInfo[] = [];
      const graph = shared.client({ timeScale: scale, onRetry: (r) => retries.push(r) });
      await Promise.all(writes(100).map((path, i) => graph.patch(path, { description: `ours ${i}` })));
      expect(shared.emulator.log.count({ method: "PATCH", status: 204 })).toBe(250);
      expect(graph.stats.throttled).toBeGreaterThan(0);
      expect(retries.every((r) => r.reason === "throttled" && r.retryAfter)).toBe(true);
    } finally {
      await shared.stop();
    }
  });

  it("survives the same storm when 429s carry no Retry-After, backing off a full window", async () => {
    const quiet = await startHarness(seedTenant({ policies: 60, settings: 1 }), {
      timeScale: STORM_SCALE,
      throttling: { enabled: true, retryAfter: "absent" },
    });
    try {
      const retries: RetryInfo[] = [];
      const graph = quiet.client({
        timeScale: STORM_SCALE,
        budget: { requests: 1e9, writes: 1e9 },
        concurrency: 8,
        onRetry: (r) => retries.push(r),
      });
      await Promise.all(writes(250).map((path, i) => graph.patch(path, { description: `storm ${i}` })));
      expect(quiet.emulator.log.count({ method: "PATCH", status: 204 })).toBe(250);
      expect(retries.length).toBeGreaterThan(0);
      // 20 s of model time × the time scale: at least one whole window.
      expect(retries.every((r) => !r.retryAfter && r.delayMs >= 20_000 * STORM_SCALE)).toBe(true);
    } finally {
      await quiet.stop();
    }
  });

  it("keeps a normal run under the limits with its own budget: 250 writes, no 429", async () => {
    storm.emulator.log.reset();
    await storm.graph.wait(20_000); // a fresh window after the storms
    const graph = storm.client({ timeScale: STORM_SCALE, concurrency: 8 });
    await Promise.all(writes(250).map((path, i) => graph.patch(path, { description: `budgeted ${i}` })));
    expect(storm.emulator.log.count({ method: "PATCH", status: 204 })).toBe(250);
    expect(storm.emulator.log.count({ status: 429 })).toBe(0);
    expect(graph.stats.budgetWaitMs).toBeGreaterThan(0);
  });

  it("charges each item of a $batch to the budget when the batch is sent: 250 batched writes, no 429", async () => {
    storm.emulator.log.reset();
    await storm.graph.wait(20_000);
    const graph = storm.client({ timeScale: STORM_SCALE, concurrency: 2 });
    const res = await graph.batch(
      writes(250).map((url, i) => ({ method: "PATCH", url, body: { description: `batched ${i}` } })),
    );
    expect(res.every((r) => r.status === 204)).toBe(true);
    expect(graph.requestCount).toBe(13);
    expect(storm.emulator.log.count({ status: 429 })).toBe(0);
  });
});

describe("faults", () => {
  const one = `${POLICIES}/${policyId(0)}`;

  it.each([
    ["429 with Retry-After seconds", { kind: "429" as const, retryAfter: 0.01 }],
    ["429 with an HTTP-date", { kind: "429" as const, retryAfter: "http-date" as const }],
    ["429 without Retry-After", { kind: "429" as const, retryAfter: "absent" as const }],
    ["503", { kind: "503" as const }],
    ["504", { kind: "504" as const }],
    ["500 once", { kind: "500" as const }],
    ["connection reset", { kind: "reset" as const }],
  ])("retries a GET through %s", async (_name, fault) => {
    h.emulator.faults.add({ method: "GET", path: one, ...fault });
    const retries: RetryInfo[] = [];
    const graph = h.client({ onRetry: (r) => retries.push(r) });
    expect((await graph.get<{ id: string }>(one)).id).toBe(policyId(0));
    expect(retries).toHaveLength(1);
    expect(graph.requestCount).toBe(2);
  });

  it("abandons a request that hangs (latency) and retries it", async () => {
    // The timeout is generous for a healthy request on a loaded CI machine (a fresh TLS connection
    // included), and the hang far longer than the timeout, so only the hung attempt is abandoned.
    h.emulator.faults.add({ method: "GET", path: one, kind: "latency", latencyMs: 8_000 });
    const retries: RetryInfo[] = [];
    const graph = h.client({ requestTimeoutMs: 2_000, onRetry: (r) => retries.push(r) });
    expect((await graph.get<{ id: string }>(one)).id).toBe(policyId(0));
    expect(retries.map((r) => r.reason)).toEqual(["network"]);
  });

  it("gives up on a 500 that persists, with Graph's error", async () => {
    h.emulator.faults.add({ method: "GET", path: one, kind: "500", times: 10 });
    const err = await h
      .client()
      .get(one)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).status).toBe(500);
    expect((err as GraphError).requestId).toMatch(/[0-9a-f-]{36}/);
    expect(h.emulator.log.count({ method: "GET", path: one })).toBe(3);
  });

  it("never retries a POST after a 504 or a reset (the create may have happened)", async () => {
    for (const kind of ["504", "reset"] as const) {
      h.emulator.log.reset();
      h.emulator.faults.add({ method: "POST", path: "groups", kind });
      const graph = h.client();
      const err = (await graph
        .post(
          "groups",
          { displayName: "x", mailEnabled: false, mailNickname: "x", securityEnabled: true },
          { version: "v1.0" },
        )
        .catch((e: unknown) => e)) as GraphError;
      expect(err.ambiguous).toBe(true);
      expect(graph.requestCount).toBe(1);
      // Also no retry underneath: the SDK's RetryHandler (which retries POSTs on 504) is not in the chain.
      expect(h.emulator.log.count({ method: "POST", path: "groups" })).toBe(1);
    }
  });

  it("retries a POST that was throttled: a 429 means it was not carried out", async () => {
    h.emulator.faults.add({ method: "POST", path: "groups", kind: "429", retryAfter: 0.01 });
    const graph = h.client();
    const created = await graph.post<{ id: string }>(
      "groups",
      { displayName: "After 429", mailEnabled: false, mailNickname: "after429", securityEnabled: true },
      { version: "v1.0" },
    );
    expect(created.id).toBeTruthy();
    expect(h.emulator.log.count({ method: "POST", path: "groups", status: 201 })).toBe(1);
  });
});

describe("permissions and secrets", () => {
  it("fails at once, naming the credential's reason, when no access token can be had (no retries, nothing sent)", async () => {
    const unavailable = Object.assign(
      new Error("EnvironmentCredential is unavailable. No underlying credential could be used."),
      { name: "CredentialUnavailableError" },
    );
    const retries: RetryInfo[] = [];
    const graph = h.client({
      credential: { getToken: async () => Promise.reject(unavailable) },
      onRetry: (r) => retries.push(r),
    });
    const err = (await graph.list(POLICIES).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.auth).toBe(true);
    expect(err.message).toMatch(
      /was not sent: no access token could be obtained \(.*EnvironmentCredential is unavailable/,
    );
    expect(retries).toEqual([]);
    expect(h.emulator.log.count()).toBe(0);
  });

  it("turns a 403 into an error naming the permission to grant", async () => {
    const reader = h.client({ roles: ["DeviceManagementConfiguration.Read.All"] });
    const err = (await reader.put(`${POLICIES}/${policyId(0)}`, { name: "x" }).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.status).toBe(403);
    expect(err.permission).toBe("DeviceManagementConfiguration.ReadWrite.All");
    expect(err.message).toMatch(
      /needs the Microsoft Graph application permission DeviceManagementConfiguration\.ReadWrite\.All/,
    );

    const noGroups = h.client({ roles: ["DeviceManagementConfiguration.Read.All"] });
    const groupErr = (await noGroups.list("groups", { version: "v1.0" }).catch((e: unknown) => e)) as GraphError;
    expect(groupErr.permission).toBe("Group.Read.All");
  });

  it("keeps the bearer token out of errors, retry notices and everything it reports", async () => {
    const token = h.emulator.issueToken(["DeviceManagementConfiguration.Read.All"]);
    const seen: string[] = [];
    const graph = h.client({
      credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      onRetry: (r) => seen.push(JSON.stringify(r)),
    });
    h.emulator.faults.add({ method: "GET", path: POLICIES, kind: "429", retryAfter: 0.01 });
    await graph.list(POLICIES);
    const errors = await Promise.all([
      graph.put(`${POLICIES}/${policyId(0)}`, { name: "x" }).catch((e: unknown) => e),
      graph.get(`${POLICIES}/missing`).catch((e: unknown) => e),
      graph.get(`${POLICIES}/${token}`).catch((e: unknown) => e),
    ]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(GraphError);
      seen.push((e as Error).message, JSON.stringify(e), String((e as Error).stack));
    }
    seen.push(JSON.stringify(graph.stats));
    expect(seen.length).toBeGreaterThan(5);
    for (const text of seen) expect(text).not.toContain(token);
  });
});
