// Clear errors, bounded work (issue 12): a read that would never end, a redirect, a deadline, a 403 on
// several collections, a settings read that 404s right after an apply, and data nested without end —
// each is an error that says what happened and what to change, never a hang and never a result.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GraphError, MissingPermissionsError, READ_LIMITS, type BatchRequest, type GraphClient } from "../../src/graph";
import { COLLECTIONS } from "../../src/model";
import { readAllPages, readSnapshotFile, readTenant } from "../../src/tenant";
import { clientBounds } from "../../src/tenant/connect";
import { fullTenant } from "../tenant/tenant-fixtures";
import { policyId, startHarness, type Harness } from "./fixtures";

const POLICIES = COLLECTIONS.configurationPolicies;
let h: Harness;
beforeAll(async () => {
  h = await startHarness(fullTenant(60, 3));
});
afterAll(async () => h.stop());
afterEach(() => h.emulator.faults.clear());

describe("bounded reads", () => {
  it("a collection with more pages than the limit is an error naming the limit's setting", async () => {
    const graph = h.client({
      limits: { maxPages: 2, settings: { maxPages: "WSLPOLICY_MAX_PAGES=<pages>", maxItems: "" } },
    });
    await expect(graph.list(POLICIES)).rejects.toThrow(
      "GET deviceManagement/configurationPolicies: the service returned more than 2 pages; stopped reading (a service handing out new nextLinks forever?). WSLPOLICY_MAX_PAGES=<pages> raises the limit",
    );
    expect(graph.requestCount).toBe(2);
  });

  it("a collection with more items than the limit is an error", async () => {
    const graph = h.client({
      limits: { maxItems: 30, settings: { maxPages: "", maxItems: "WSLPOLICY_MAX_ITEMS=<items>" } },
    });
    await expect(graph.list(POLICIES)).rejects.toThrow(
      /more than 30 items; .*WSLPOLICY_MAX_ITEMS=<items> raises the limit/,
    );
  });

  it("batched page reads are bounded too: a server handing out new nextLinks stops at the limit", async () => {
    let batches = 0;
    const endless = {
      limits: { ...READ_LIMITS, maxPages: 50 },
      batch: async (requests: BatchRequest[]) => {
        batches++;
        return requests.map((r) => ({
          id: r.id!,
          status: 200,
          headers: {},
          body: {
            value: [{ id: `i${batches}` }],
            "@odata.nextLink": `https://localhost:1/beta/x/settings?$skiptoken=${batches}`,
          },
        }));
      },
      wait: async () => undefined,
    } as unknown as GraphClient;
    await expect(readAllPages(endless, [{ key: "x", url: "/x/settings" }])).rejects.toThrow(
      /more than 50 pages; stopped reading/,
    );
    expect(batches).toBe(51);
  });

  it("the bounds and the deadline come from the environment, and a bad value names its variable", () => {
    const bounds = clientBounds({ WSLPOLICY_MAX_PAGES: "7", WSLPOLICY_MAX_ITEMS: "9", WSLPOLICY_DEADLINE: "30" }, true);
    expect(bounds.limits).toMatchObject({ maxPages: 7, maxItems: 9 });
    expect(bounds.deadline).toMatchObject({ seconds: 30, setting: "WSLPOLICY_DEADLINE" });
    expect(clientBounds({}, true).deadline?.seconds).toBe(600);
    expect(clientBounds({}, false).deadline).toBeUndefined();
    expect(() => clientBounds({ WSLPOLICY_DEADLINE: "soon" }, true)).toThrow(
      "WSLPOLICY_DEADLINE='soon' must be a number above 0",
    );
  });
});

describe("a server that takes the request and never answers", () => {
  it("fails after the request timeout twice (one retry), with an error naming the setting", async () => {
    h.emulator.faults.add({ path: POLICIES, kind: "latency", latencyMs: 30_000, times: 5 });
    const graph = h.client({ requestTimeoutMs: 300, requestTimeoutSetting: "WSLPOLICY_REQUEST_TIMEOUT" });
    const err = (await graph.list(POLICIES).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toContain(
      "no answer within 0.3 s, 2 times (WSLPOLICY_REQUEST_TIMEOUT=<seconds> changes the wait)",
    );
    expect(graph.requestCount).toBe(2);
  });

  it("the request timeout comes from the environment", () => {
    expect(clientBounds({ WSLPOLICY_REQUEST_TIMEOUT: "20" }, false)).toMatchObject({ requestTimeoutMs: 20_000 });
    expect(clientBounds({}, false).requestTimeoutMs).toBeUndefined();
    expect(() => clientBounds({ WSLPOLICY_REQUEST_TIMEOUT: "0" }, false)).toThrow(
      "WSLPOLICY_REQUEST_TIMEOUT='0' must be a number above 0",
    );
  });
});

describe("the overall deadline", () => {
  it("ends a request the server never answers with an error naming the setting", async () => {
    h.emulator.faults.add({ path: POLICIES, kind: "latency", latencyMs: 10_000, times: 5 });
    const graph = h.client({ deadline: { at: Date.now() + 800, seconds: 0.8, setting: "WSLPOLICY_DEADLINE" } });
    const err = (await graph.list(POLICIES).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toBe(
      "GET deviceManagement/configurationPolicies: not sent: the command's deadline of 0.8 s has passed (WSLPOLICY_DEADLINE=<seconds> changes it)",
    );
  });
});

describe("redirects", () => {
  it("a redirect to another host is refused with an error naming the host, and its body is never read", async () => {
    h.emulator.faults.add({
      path: POLICIES,
      kind: "redirect",
      location: "https://attacker.invalid/beta/deviceManagement/configurationPolicies",
    });
    const graph = h.client();
    const err = (await graph.list(POLICIES).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toContain("answered with a redirect to another host, attacker.invalid; refused");
    expect(graph.requestCount).toBe(1); // not retried, not followed
  });

  it("a redirect to the same host is refused too", async () => {
    h.emulator.faults.add({ path: POLICIES, kind: "redirect", location: `${h.emulator.baseUrl}beta/${POLICIES}?x=1` });
    await expect(h.client().list(POLICIES)).rejects.toThrow(
      /answered with a redirect to .* \(this endpoint\); refused/,
    );
  });
});

describe("403 on several collections", () => {
  it("names every missing permission, not only the first refused read", async () => {
    const err = (await readTenant(h.client({ roles: [] })).catch((e: unknown) => e)) as MissingPermissionsError;
    expect(err).toBeInstanceOf(MissingPermissionsError);
    expect(err.permissions).toEqual([
      "DeviceManagementApps.Read.All",
      "DeviceManagementConfiguration.Read.All",
      "Group.Read.All",
    ]);
    expect(err.message).toMatch(
      /^Graph refused 7 reads \(403\): the application needs the Microsoft Graph application permissions DeviceManagementApps\.Read\.All, DeviceManagementConfiguration\.Read\.All, Group\.Read\.All \(admin consent required\)/,
    );
  });
});

describe("a policy's /settings that 404s right after an apply", () => {
  const settingsOf = (i: number) => `${POLICIES}/${policyId(i)}/settings`;

  it("is read again within the window: a short 404 still gives the full tenant", async () => {
    h.emulator.faults.add({ method: "GET", path: settingsOf(3), kind: "404", times: 2 });
    const snapshot = await readTenant(h.client());
    expect(snapshot[POLICIES].find((p) => p.id === policyId(3))?.settings).toHaveLength(3);
  });

  it("is an error, never a result, when it persists past the window", async () => {
    h.emulator.faults.add({ method: "GET", path: settingsOf(3), kind: "404", times: 50 });
    const err = (await readTenant(h.client()).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/still 404 after 5 reads over 15 s; the object was listed a moment ago .*run again/);
  });
});

describe("data nested without end", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-deep-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a snapshot file nested 10,000 levels deep is an error naming the file and the path, not a stack overflow", () => {
    // Written as text: JSON.stringify itself recurses.
    const open =
      '{"@odata.type":"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance","settingDefinitionId":"x","choiceSettingValue":{"value":"x_1","children":[';
    const leaf =
      '{"@odata.type":"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance","settingDefinitionId":"x"}';
    const instance = `${open.repeat(10_000)}${leaf}${"]}}".repeat(10_000)}`;
    const file = path.join(dir, "deep.json");
    writeFileSync(
      file,
      `{"${POLICIES}":[{"id":"p","name":"Deep","settings":[{"id":"0","settingInstance":${instance}}]}]}`,
    );
    expect(() => readSnapshotFile(file)).toThrow(
      `${file}: invalid tenant snapshot\n  ${POLICIES}[0].settings[0].settingInstance${".choiceSettingValue.children[0]".repeat(31)}.choiceSettingValue.children: nested deeper than 100 levels`,
    );
  });
});
