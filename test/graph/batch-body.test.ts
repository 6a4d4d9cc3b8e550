// The $batch wire format wslpolicy builds itself (https://learn.microsoft.com/graph/json-batching): inner URLs without the
// version segment, Content-Type on items with a body, at most 20 items, unique ids; and which requests
// Intune's budget applies to.
import { describe, expect, it } from "vitest";
import { MAX_BATCH_SIZE, buildBatchBody, chunk, innerUrl } from "../../src/graph/batch";
import { isIntuneRoute } from "../../src/graph/client";

describe("innerUrl", () => {
  it.each([
    [
      "https://graph.microsoft.com/beta/deviceManagement/configurationPolicies?$top=5",
      "/deviceManagement/configurationPolicies?$top=5",
    ],
    ["https://localhost:8443/v1.0/groups", "/groups"],
    ["/beta/deviceManagement/x", "/deviceManagement/x"],
    ["deviceManagement/x", "/deviceManagement/x"],
    ["/betamax/x", "/betamax/x"],
  ])("%s → %s", (input, expected) => {
    expect(innerUrl(input)).toBe(expected);
  });
});

describe("buildBatchBody", () => {
  it("adds Content-Type to items with a body and leaves GETs bare", () => {
    const body = buildBatchBody([
      { id: "1", method: "get", url: "/beta/groups" },
      { id: "2", method: "PUT", url: "deviceManagement/configurationPolicies/x", body: { name: "n" } },
    ]);
    expect(body.requests).toEqual([
      { id: "1", method: "GET", url: "/groups" },
      {
        id: "2",
        method: "PUT",
        url: "/deviceManagement/configurationPolicies/x",
        headers: { "Content-Type": "application/json" },
        body: { name: "n" },
      },
    ]);
  });

  it("refuses more than 20 items and duplicate ids (ids are case-insensitive)", () => {
    const many = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({
      id: String(i),
      method: "GET",
      url: "/groups",
    }));
    expect(() => buildBatchBody(many)).toThrow(/at most 20/);
    expect(() =>
      buildBatchBody([
        { id: "a", method: "GET", url: "/x" },
        { id: "A", method: "GET", url: "/y" },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe("chunk", () => {
  it("splits 41 requests into 20 + 20 + 1", () => {
    expect(chunk(Array.from({ length: 41 }, (_, i) => i)).map((c) => c.length)).toEqual([20, 20, 1]);
  });
});

describe("isIntuneRoute", () => {
  it("charges Intune routes to Intune's budget and leaves directory calls to Entra's", () => {
    expect(isIntuneRoute("/beta/deviceManagement/configurationPolicies")).toBe(true);
    expect(isIntuneRoute("https://localhost:1/beta/deviceAppManagement/mobileApps/x/assign")).toBe(true);
    expect(isIntuneRoute("/v1.0/groups?$filter=displayName eq 'x'")).toBe(false);
    expect(isIntuneRoute("$batch")).toBe(false);
  });
});
