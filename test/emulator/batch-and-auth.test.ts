// JSON batching (https://learn.microsoft.com/graph/json-batching) and authentication/authorisation (https://learn.microsoft.com/graph/auth/auth-concepts): the limits and
// refusals a client must handle, pinned to what Graph does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intuneText, policyBody, POLICIES, start, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const get = (id: string, url: string) => ({ id, method: "GET", url });

describe("$batch", () => {
  it("runs up to 20 requests and answers each by id, in another order than sent", async () => {
    const requests = Array.from({ length: 20 }, (_, i) =>
      get(String(i + 1), i % 2 ? "/groups?$top=1" : "deviceManagement/configurationPolicies"),
    );
    const res = await emu.call("POST", "beta/$batch", { requests });
    expect(res.status).toBe(200);
    const ids = res.body.responses.map((r: { id: string }) => r.id);
    expect([...ids].sort()).toEqual(requests.map((r) => r.id).sort());
    expect(ids).not.toEqual(requests.map((r) => r.id));
    for (const r of res.body.responses) {
      expect(r.status).toBe(200);
      expect(r.headers["Content-Type"]).toMatch(/^application\/json/);
    }
  });

  it("rejects 21 requests with 400 (Doc S50)", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(String(i + 1), "/groups"));
    const res = await emu.call("POST", "beta/$batch", { requests });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BadRequest");
  });

  it("answers an inner URL with a version segment with 400 'Resource not found for the segment' (Obs S51)", async () => {
    const res = await emu.call("POST", "beta/$batch", {
      requests: [get("1", "/beta/deviceManagement/configurationPolicies"), get("2", "/v1.0/groups")],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId["1"].status).toBe(400);
    expect(byId["1"].body.error.message).toBe("Resource not found for the segment 'beta'.");
    expect(byId["2"].body.error.message).toBe("Resource not found for the segment 'v1.0'.");
  });

  it("answers an inner URL that cannot be percent-decoded with the invalid-segment 400, as a top-level request would", async () => {
    const res = await emu.call("POST", "beta/$batch", {
      requests: [get("1", "deviceManagement/configurationPolicies/%E0%A4%A")],
    });
    expect(res.status).toBe(200);
    expect(res.body.responses[0].status).toBe(400);
    expect(res.body.responses[0].body.error.message).toBe("Bad Request - Invalid URL segment '%E0%A4%A'.");
  });

  it("requires Content-Type on requests with a body", async () => {
    const res = await emu.call("POST", "beta/$batch", {
      requests: [
        {
          id: "1",
          method: "POST",
          url: "/deviceManagement/configurationPolicies",
          body: policyBody("no content type"),
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Write request id : 1 does not contain Content-Type header or body.");
  });

  it("executes inner writes through the same routes and answers 424 to requests whose dependency failed", async () => {
    const res = await emu.call("POST", "beta/$batch", {
      requests: [
        {
          id: "a",
          method: "POST",
          url: "/deviceManagement/configurationPolicies",
          headers: { "Content-Type": "application/json" },
          body: policyBody("batched create"),
        },
        {
          id: "b",
          method: "PATCH",
          url: "/deviceManagement/configurationPolicies/missing",
          headers: { "Content-Type": "application/json" },
          body: { name: "x" },
        },
        { id: "c", method: "GET", url: "/deviceManagement/configurationPolicies", dependsOn: ["b"] },
        {
          id: "d",
          method: "GET",
          url: "/deviceManagement/configurationPolicies?$filter=name eq 'batched create'",
          dependsOn: ["a"],
        },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId.a.status).toBe(201);
    expect(byId.b.status).toBe(404);
    expect(byId.c.status).toBe(424);
    expect(byId.d.status).toBe(200);
    expect(byId.d.body.value.map((p: { id: string }) => p.id)).toEqual([byId.a.body.id]);
    expect(
      emu.log.count({ inBatch: true, method: "POST", path: "deviceManagement/configurationPolicies" }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe("authentication", () => {
  it("answers 401 InvalidAuthenticationToken without a bearer token", async () => {
    const res = await emu.call("GET", POLICIES, undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("InvalidAuthenticationToken");
    expect(res.body.error.message).toBe("Access token is empty.");
  });

  it("answers 401 for a token that is not a JWT", async () => {
    const res = await emu.call("GET", POLICIES, undefined, { token: "not-a-jwt" });
    expect(res.status).toBe(401);
  });

  it("answers 403 naming the needed scopes when a role is missing (Obs S55)", async () => {
    const appsOnly = emu.issueToken(["DeviceManagementApps.ReadWrite.All"]);
    const res = await emu.call("GET", POLICIES, undefined, { token: appsOnly });
    expect(res.status).toBe(403);
    expect(intuneText(res.body)).toContain(
      "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All",
    );
  });

  it("lets a read-only token read but not write", async () => {
    const readOnly = emu.issueToken(["DeviceManagementConfiguration.Read.All"]);
    expect((await emu.call("GET", POLICIES, undefined, { token: readOnly })).status).toBe(200);
    const write = await emu.call("POST", POLICIES, policyBody("read-only"), { token: readOnly });
    expect(write.status).toBe(403);
    expect(intuneText(write.body)).toContain(
      "one of the following scopes: DeviceManagementConfiguration.ReadWrite.All",
    );
  });

  it("answers Entra's 403 for groups without a Group role", async () => {
    const res = await emu.call("GET", "v1.0/groups", undefined, {
      token: emu.issueToken(["DeviceManagementConfiguration.ReadWrite.All"]),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("Authorization_RequestDenied");
  });

  it("checks roles per inner batch request", async () => {
    const token = emu.issueToken(["Group.Read.All"]);
    const res = await emu.call(
      "POST",
      "beta/$batch",
      { requests: [get("1", "/groups"), get("2", "/deviceManagement/configurationPolicies")] },
      { token },
    );
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId["1"].status).toBe(200);
    expect(byId["2"].status).toBe(403);
  });
});
