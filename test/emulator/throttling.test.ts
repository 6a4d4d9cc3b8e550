// Intune throttling as documented (https://learn.microsoft.com/graph/throttling-limits, Intune service limits): per app per tenant 100 writes and
// 1,000 requests per 20 s window, tenant-wide 200 / 2,000; 429 with Retry-After, or without it in the
// mode Intune is seen to use sometimes. Windows are checked with an injected clock, not real time.
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/emulator";
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
    for (let i = 0; i < LIMITS.appWrites - 2; i++) expect((await emu.call("POST", POLICIES, policyBody(`b${i}`))).status).toBe(201);
    const requests = Array.from({ length: 4 }, (_, i) => ({ id: String(i + 1), method: "POST", url: "/deviceManagement/configurationPolicies", headers: { "Content-Type": "application/json" }, body: policyBody(`inner${i}`) }));
    const res = await emu.call("POST", "beta/$batch", { requests });
    expect(res.status).toBe(200);
    const statuses = Object.fromEntries(res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
    expect(statuses).toEqual({ "1": 201, "2": 201, "3": 429, "4": 429 });
    const throttled = res.body.responses.find((r: { id: string }) => r.id === "3");
    expect(throttled.headers["Retry-After"]).toBeDefined();
  });

  it("keeps directory (groups) calls out of Intune's budget", async () => {
    emu = await start();
    for (let i = 0; i < LIMITS.appWrites; i++) {
      const res = await emu.call("POST", "v1.0/groups", { displayName: `g${i}`, mailEnabled: false, mailNickname: `g${i}`, securityEnabled: true });
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
  it("limits each app to 100 writes and 1,000 requests per 20 s window and resets with the window", () => {
    let now = 1_000_000;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) expect(t.admit("app", true).allowed).toBe(true);
    const refused = t.admit("app", true);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 20_000 });
    for (let i = 0; i < 900; i++) expect(t.admit("app", false).allowed).toBe(true);
    expect(t.admit("app", false).allowed).toBe(false);
    now += 19_999;
    expect(t.admit("app", false)).toEqual({ allowed: false, retryAfterMs: 1 });
    now += 1;
    expect(t.admit("app", true).allowed).toBe(true);
  });

  it("limits the tenant to 200 writes across apps", () => {
    const now = 5;
    const t = new Throttler(1, true, () => now);
    for (let i = 0; i < 100; i++) expect(t.admit("a", true).allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect(t.admit("b", true).allowed).toBe(true);
    expect(t.admit("c", true).allowed).toBe(false);
    expect(t.admit("c", false).allowed).toBe(true);
  });

  it("scales the window with timeScale", () => {
    let now = 0;
    const t = new Throttler(0.01, true, () => now);
    for (let i = 0; i < 100; i++) t.admit("app", true);
    expect(t.admit("app", true)).toEqual({ allowed: false, retryAfterMs: 200 });
    now = 200;
    expect(t.admit("app", true).allowed).toBe(true);
  });
});
