// Intune throttling as documented (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits):
// per Intune service, per app per tenant 100 writes and 1,000 requests per 20 s window, tenant-wide
// 200 / 2,000; throttled requests keep counting (https://learn.microsoft.com/graph/throttling: "Microsoft
// Graph continues to log resource usage while a client is being throttled"); 429 with Retry-After, or
// without it as Intune sometimes answers (almenscorner/IntuneCD#217); identity 429s name their scope in
// `x-ms-throttle-scope`. Identity (groups) as documented
// (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits): per app per
// tenant 3,500 resource units per 10 s and 3,000 writes per 2 min 30 s, per tenant 18,000 writes per 5 min.
// Windows are checked with an injected clock, not real time, or with a scaled emulator.
import { afterEach, describe, expect, it } from "vitest";
import { IDENTITY_LIMITS, LIMITS } from "../../src/emulator";
import { Throttler } from "../../src/emulator/throttling";
import { policyBody, POLICIES, start, type TestEmulator } from "./helpers";

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function writeUntilThrottled(e: TestEmulator, limit: number) {
  for (let i = 0; i < limit; i++) {
    const res = await e.call("POST", POLICIES, policyBody(`w${i}`));
    expect(res.status).toBe(201);
  }
  return e.call("POST", POLICIES, policyBody("one too many"));
}

describe("throttling over HTTP", () => {
  it("answers the 101st write in a window with 429 TooManyRequests and a Retry-After in seconds", async () => {
    emu = await start();
    const res = await writeUntilThrottled(emu, LIMITS.appWrites);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("TooManyRequests");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(20);
    // reads still have budget; the throttled write created nothing
    const list = await emu.call("GET", `${POLICIES}?$filter=${encodeURIComponent("name eq 'one too many'")}`);
    expect(list.status).toBe(200);
    expect(list.body.value).toEqual([]);
  });

  it("can leave Retry-After out, as Intune sometimes does (Obs S30)", async () => {
    emu = await start({ throttling: { retryAfter: "absent" } });
    const res = await writeUntilThrottled(emu, LIMITS.appWrites);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("throttles inner batch requests one by one while the batch itself answers 200", async () => {
    emu = await start();
    for (let i = 0; i < LIMITS.appWrites - 2; i++)
      expect((await emu.call("POST", POLICIES, policyBody(`b${i}`))).status).toBe(201);
    const requests = Array.from({ length: 4 }, (_, i) => ({
      id: String(i + 1),
      method: "POST",
      url: "/deviceManagement/configurationPolicies",
      headers: { "Content-Type": "application/json" },
      body: policyBody(`inner${i}`),
    }));
    const res = await emu.call("POST", "beta/$batch", { requests });
    expect(res.status).toBe(200);
    const statuses = Object.fromEntries(
      res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    expect(statuses).toEqual({ "1": 201, "2": 201, "3": 429, "4": 429 });
    const throttled = res.body.responses.find((r: { id: string }) => r.id === "3");
    expect(throttled.headers["Retry-After"]).toBeDefined();
  });

  it("gives configuration policies, compliance policies and apps a budget each, as the docs list the services", async () => {
    emu = await start();
    expect((await writeUntilThrottled(emu, LIMITS.appWrites)).status).toBe(429);
    // includes/throttling-intune-device-configuration.md (compliance) and -applications.md (mobile apps)
    expect(
      (
        await emu.call("POST", "beta/deviceManagement/deviceCompliancePolicies", {
          "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        })
      ).status,
    ).not.toBe(429);
    expect((await emu.call("GET", "beta/deviceAppManagement/mobileApps")).status).toBe(200);
  });

  it("leaves Retry-After out of every third Intune 429 in the mode 'sometimes'", async () => {
    emu = await start({ throttling: { retryAfter: "sometimes" } });
    await writeUntilThrottled(emu, LIMITS.appWrites);
    const more = [await emu.call("POST", POLICIES, policyBody("x")), await emu.call("POST", POLICIES, policyBody("y"))];
    expect(more.map((r) => r.status)).toEqual([429, 429]);
    expect(more.map((r) => r.headers.get("retry-after") !== null)).toEqual([true, false]);
  });

  it("names the scope of an identity 429 as <Scope>/<Limit>/<ApplicationId>/<TenantId>", async () => {
    emu = await start();
    const appId = "0785ef7c-2d7a-4542-b048-95bcab406e0b";
    const token = emu.issueToken(undefined, { appId });
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: String(i + 1),
      method: "GET",
      url: "/groups?$top=1",
    }));
    let throttled: { status: number; headers: Record<string, string> } | undefined;
    for (let sent = 0; !throttled && sent <= IDENTITY_LIMITS.appRequests; sent += 20) {
      const res = await emu.call("POST", "v1.0/$batch", { requests }, { token });
      throttled = (res.body.responses as { status: number; headers: Record<string, string> }[]).find(
        (r) => r.status === 429,
      );
    }
    expect(throttled?.headers["x-ms-throttle-scope"]).toBe(`Tenant_Application/ReadWrite/${appId}/${emu.tenantId}`);
    expect(throttled?.headers["x-ms-throttle-information"]).toBe("ResourceUnitLimitExceeded");
  });

  it("refuses a group write while 3,000 sit in the 2 min 30 s write window, though the 10 s window has passed", async () => {
    // https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits: per
    // application+tenant pair 3,500 resource units per 10 s but only 3,000 writes per 2 minutes and 30 seconds.
    // At timeScale 0.2 the 10 s window lasts 2 s and the write window 30 s.
    const timeScale = 0.2;
    emu = await start({ timeScale });
    const e = emu;
    const appId = "9a3d526c-b3c1-4479-ba74-197b5c5751ae";
    const token = e.issueToken(undefined, { appId });
    const group = (name: string) => ({
      displayName: name,
      mailEnabled: false,
      mailNickname: name,
      securityEnabled: true,
    });
    for (let sent = 0; sent < IDENTITY_LIMITS.appWrites; sent += 20) {
      const requests = Array.from({ length: 20 }, (_, i) => ({
        id: String(i + 1),
        method: "POST",
        url: "/groups",
        headers: { "Content-Type": "application/json" },
        body: group(`w${sent + i}`),
      }));
      const res = await e.call("POST", "v1.0/$batch", { requests }, { token });
      expect((res.body.responses as { status: number }[]).map((r) => r.status)).toEqual(Array(20).fill(201));
    }
    // let more than the 10 s resource-unit window go by
    await new Promise((resolve) => setTimeout(resolve, 10_000 * timeScale + 100));
    const refused = await e.call("POST", "v1.0/groups", group("extra"), { token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ms-throttle-scope")).toBe(`Tenant_Application/Write/${appId}/${e.tenantId}`);
    expect(refused.headers.get("x-ms-throttle-information")).toBe("WriteLimitExceeded");
    // Retry-After waits for the write window (150 s, scaled), not the 10 s one
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(10 * timeScale);
    expect(retryAfter).toBeLessThanOrEqual(150 * timeScale);
    // reads are within the resource-unit quota again
    expect((await e.call("GET", "v1.0/groups?$top=1", undefined, { token })).status).toBe(200);
  });

  it("keeps directory (groups) calls out of Intune's budget", async () => {
    emu = await start();
    for (let i = 0; i < LIMITS.appWrites; i++) {
      const res = await emu.call("POST", "v1.0/groups", {
        displayName: `g${i}`,
        mailEnabled: false,
        mailNickname: `g${i}`,
        securityEnabled: true,
      });
      expect(res.status).toBe(201);
    }
    expect((await emu.call("POST", POLICIES, policyBody("still within Intune's budget"))).status).toBe(201);
  });

  it("does nothing when throttling is disabled", async () => {
    emu = await start({ throttling: { enabled: false } });
    const res = await writeUntilThrottled(emu, LIMITS.appWrites);
    expect(res.status).toBe(201);
  });
});

describe("throttling windows", () => {
  it("limits each app to 100 writes and 1,000 requests per 20 s window, counting the throttled ones too", () => {
    let now = 1_000_000;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) expect(t.admit("app", true).allowed).toBe(true);
    expect(t.admit("app", true)).toEqual({
      allowed: false,
      retryAfterMs: 20_000,
      exceeded: { scope: "Tenant_Application", limit: "Write" },
    });
    // the refused write was counted: 101 requests so far, so 899 reads fill the 1,000
    for (let i = 0; i < 899; i++) expect(t.admit("app", false).allowed).toBe(true);
    expect(t.admit("app", false)).toMatchObject({
      allowed: false,
      exceeded: { scope: "Tenant_Application", limit: "ReadWrite" },
    });
    now += 20_000;
    expect(t.admit("app", true).allowed).toBe(true);
  });

  it("keeps a client that retries before Retry-After throttled for longer (the retries count)", () => {
    let now = 0;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) t.admit("app", true);
    expect(t.admit("app", true).retryAfterMs).toBe(20_000);
    // 10 s later it retries 100 times instead of waiting: each is refused and counted
    now = 10_000;
    for (let i = 0; i < 100; i++) expect(t.admit("app", true).allowed).toBe(false);
    // when the first 100 leave the window, the 101 counted since still fill it
    now = 20_000;
    const refused = t.admit("app", true);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(10_000);
    now = 30_000;
    expect(t.admit("app", true).allowed).toBe(true);
  });

  it("gives every Intune service its own budget", () => {
    const now = 0;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) expect(t.admit("app", true, "deviceConfigV2").allowed).toBe(true);
    expect(t.admit("app", true, "deviceConfigV2").allowed).toBe(false);
    expect(t.admit("app", true, "deviceConfiguration").allowed).toBe(true);
    expect(t.admit("app", true, "applications").allowed).toBe(true);
  });

  it("limits the tenant to 200 writes across apps", () => {
    const now = 5;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) expect(t.admit("a", true).allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect(t.admit("b", true).allowed).toBe(true);
    expect(t.admit("c", true)).toMatchObject({ allowed: false, exceeded: { scope: "Tenant", limit: "Write" } });
    expect(t.admit("c", false).allowed).toBe(true);
  });

  it("gives identity writes their own 2 min 30 s window per app and a 5 min one per tenant", () => {
    // https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits
    let now = 0;
    const t = new Throttler(1, true, () => now, IDENTITY_LIMITS);
    for (let i = 0; i < 3000; i++) expect(t.admit("a", true).allowed).toBe(true);
    now = 10_000;
    expect(t.admit("a", true)).toEqual({
      allowed: false,
      retryAfterMs: 140_000,
      exceeded: { scope: "Tenant_Application", limit: "Write" },
    });
    expect(t.admit("a", false).allowed).toBe(true);
    // five more apps bring the tenant to 18,000 writes; a seventh app is refused for the tenant's 5 min
    for (const app of ["b", "c", "d", "e", "f"]) for (let i = 0; i < 3000; i++) t.admit(app, true);
    expect(t.admit("g", true)).toEqual({
      allowed: false,
      retryAfterMs: 290_000,
      exceeded: { scope: "Tenant", limit: "Write" },
    });
    expect(t.admit("g", false).allowed).toBe(true);
    now = 150_000;
    expect(t.admit("a", true)).toMatchObject({ allowed: false, exceeded: { scope: "Tenant", limit: "Write" } });
  });

  it("scales the window with timeScale", () => {
    let now = 0;
    const t = new Throttler(0.01, true, () => now);
    for (let i = 0; i < 100; i++) t.admit("app", true);
    expect(t.admit("app", true)).toMatchObject({ allowed: false, retryAfterMs: 200 });
    now = 200;
    expect(t.admit("app", true).allowed).toBe(true);
  });
});
