// Scripted faults (https://learn.microsoft.com/graph/errors): what each kind does on the wire, and that the
// dangerous ones behave as in Graph — a 504 after a committed write, new objects that 404 for a while.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { policyBody, POLICIES, start, type TestEmulator } from "./helpers";

const PATH = "deviceManagement/configurationPolicies";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());
beforeEach(() => emu.faults.clear());

const count = async (name: string) =>
  (await emu.call("GET", `${POLICIES}?$filter=${encodeURIComponent(`name eq '${name}'`)}`)).body.value.length as number;

describe("faults", () => {
  it("504-after-commit applies the write and still answers 504: a blind retry would duplicate", async () => {
    emu.faults.add({ method: "POST", path: PATH, kind: "504-after-commit" });
    const res = await emu.call("POST", POLICIES, policyBody("committed anyway"));
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe("GatewayTimeout");
    expect(await count("committed anyway")).toBe(1);
  });

  it("eventual-404 hides a new object from its next K reads by id", async () => {
    emu.faults.add({ method: "POST", path: PATH, kind: "eventual-404", reads: 2 });
    const created = await emu.call("POST", POLICIES, policyBody("eventually visible"));
    expect(created.status).toBe(201);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await emu.call("GET", `${POLICIES}/${created.body.id}`)).status);
    expect(statuses).toEqual([404, 404, 200]);
  });

  it("429 faults carry Retry-After as seconds, as an HTTP date, or not at all", async () => {
    emu.faults.add({ path: PATH, kind: "429", retryAfter: 0.5 });
    expect((await emu.call("GET", POLICIES)).headers.get("retry-after")).toBe("0.5");
    emu.faults.add({ path: PATH, kind: "429", retryAfter: "http-date" });
    const dated = await emu.call("GET", POLICIES);
    expect(Number.isNaN(Date.parse(dated.headers.get("retry-after") ?? ""))).toBe(false);
    emu.faults.add({ path: PATH, kind: "429", retryAfter: "absent" });
    const bare = await emu.call("GET", POLICIES);
    expect(bare.status).toBe(429);
    expect(bare.headers.get("retry-after")).toBeNull();
    expect((await emu.call("GET", POLICIES)).status).toBe(200);
  });

  it("starts at the n-th matching call and fires `times` times, by method and path", async () => {
    emu.faults.add({ method: "GET", path: PATH, nth: 2, times: 2, kind: "503" });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await emu.call("GET", POLICIES)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    expect((await emu.call("POST", POLICIES, policyBody("other method"))).status).toBe(201);
  });

  it("matches paths by regular expression", async () => {
    emu.faults.add({ path: /^deviceManagement\/configurationPolicies\/[^/]+$/, kind: "500" });
    const created = await emu.call("POST", POLICIES, policyBody("regex target"));
    expect((await emu.call("GET", `${POLICIES}/${created.body.id}`)).status).toBe(500);
    expect((await emu.call("GET", `${POLICIES}/${created.body.id}`)).status).toBe(200);
  });

  it("500-on-page fails one page of a list (Obs S36)", async () => {
    for (let i = 0; i < 30; i++) emu.state.addConfigurationPolicy(policyBody(`page filler ${i}`));
    emu.faults.add({ method: "GET", path: PATH, kind: "500-on-page", page: 2 });
    const first = await emu.call("GET", POLICIES);
    expect(first.status).toBe(200);
    expect((await emu.call("GET", first.body["@odata.nextLink"])).status).toBe(500);
    expect((await emu.call("GET", first.body["@odata.nextLink"])).status).toBe(200);
  });

  it("reset destroys the connection without an answer", async () => {
    emu.faults.add({ path: PATH, kind: "reset" });
    await expect(emu.call("GET", POLICIES)).rejects.toThrow();
    expect((await emu.call("GET", POLICIES)).status).toBe(200);
  });

  it("latency delays the answer and then serves it", async () => {
    emu.faults.add({ path: PATH, kind: "latency", latencyMs: 50 });
    expect((await emu.call("GET", POLICIES)).status).toBe(200);
  });

  it("applies to inner batch requests on their own", async () => {
    emu.faults.add({ method: "GET", path: "groups", kind: "503" });
    const res = await emu.call("POST", "beta/$batch", {
      requests: [
        { id: "1", method: "GET", url: "/groups" },
        { id: "2", method: "GET", url: "/deviceManagement/configurationPolicies" },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
    expect(byId).toEqual({ "1": 503, "2": 200 });
  });
});

describe("eventual consistency option", () => {
  it("makes every new object 404 on its next K reads by id", async () => {
    const e = await start({ eventualConsistencyReads: 1, throttling: { enabled: false } });
    try {
      const group = await e.call("POST", "v1.0/groups", {
        displayName: "New ring",
        mailEnabled: false,
        mailNickname: "newring",
        securityEnabled: true,
      });
      expect(group.status).toBe(201);
      expect((await e.call("GET", `v1.0/groups/${group.body.id}`)).status).toBe(404);
      expect((await e.call("GET", `v1.0/groups/${group.body.id}`)).status).toBe(200);
    } finally {
      await e.stop();
    }
  });
});

describe("request log", () => {
  it("records method, path, status and whether a request was inside a batch; writes() counts Graph writes", async () => {
    emu.log.reset();
    await emu.call("POST", POLICIES, policyBody("logged"));
    await emu.call("POST", "beta/$batch", { requests: [{ id: "1", method: "GET", url: "/groups?$top=1" }] });
    expect(emu.log.entries.map((e) => [e.method, e.path, e.status, e.inBatch])).toEqual([
      ["POST", PATH, 201, false],
      ["GET", "groups", 200, true],
      ["POST", "$batch", 200, false],
    ]);
    expect(emu.log.writes()).toHaveLength(1);
    expect(emu.log.count({ path: /^groups/ })).toBe(1);
    expect(emu.log.entries[1]!.query).toBe("$top=1");
  });
});
