// readTenant against the emulator: the whole tenant a plan needs (every page of every list, settings past
// 25, assignments), in a handful of requests, and never a partial snapshot when something fails.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GraphError, MissingPermissionsError, READ_LIMITS, type BatchRequest, type GraphClient } from "../../src/graph";
import { COLLECTIONS } from "../../src/model";
import { readAllPages, readTenant, withoutExpand, type ReadProgress } from "../../src/tenant";
import { policyId, startHarness, type Harness } from "../graph/fixtures";
import { fullTenant } from "./tenant-fixtures";

let h: Harness;
beforeAll(async () => {
  h = await startHarness(fullTenant(60, 30));
});
afterAll(async () => h.stop());
afterEach(() => h.emulator.faults.clear());

describe("readTenant", () => {
  it("reads every policy with all its settings and assignments, in 8 requests", async () => {
    const graph = h.client();
    const progress: ReadProgress[] = [];
    const snapshot = await readTenant(graph, { onProgress: (p) => progress.push(p) });

    const policies = snapshot[COLLECTIONS.configurationPolicies];
    expect(policies.map((p) => p.id).sort()).toEqual(Array.from({ length: 60 }, (_, i) => policyId(i)));
    for (const p of policies) {
      expect(p.settings).toHaveLength(30);
      expect(new Set(p.settings!.map((s) => s.settingInstance.settingDefinitionId)).size).toBe(30);
      expect(p.assignments).toHaveLength(2);
    }
    // 1 list page ($top=100) + compliance + apps + platform scripts + remediations + groups + filters
    // + 3 batches of 20 /settings reads (no script, so no content read by id).
    expect(graph.requestCount).toBe(10);
    expect(graph.stats.innerRequests).toBe(60);
    expect(progress.at(-1)).toMatchObject({ phase: "done", requests: 10 });
  });

  it("reads compliance policies with WSL distributions, Win32 apps only, groups and filters", async () => {
    const snapshot = await readTenant(h.client());
    const compliance = snapshot[COLLECTIONS.compliancePolicies];
    expect(compliance.map((c) => c.displayName).sort()).toEqual(["WSL compliance 1", "WSL compliance 2"]);
    expect(compliance[0]!.wslDistributions?.[0]?.distribution).toBe("Ubuntu");
    expect(compliance.every((c) => c.assignments?.length === 1)).toBe(true);
    expect(compliance.every((c) => c.scheduledActionsForRule?.length === 1)).toBe(true);
    const apps = snapshot[COLLECTIONS.mobileApps];
    expect(apps.map((a) => a["@odata.type"])).toEqual(["#microsoft.graph.win32LobApp", "#microsoft.graph.win32LobApp"]);
    expect(apps.every((a) => a.assignments?.[0]?.intent === "required")).toBe(true);
    expect(snapshot[COLLECTIONS.groups].map((g) => g.displayName)).toEqual(["Ring 0", "Ring 1", "Ring 2"]);
    expect(snapshot[COLLECTIONS.assignmentFilters]).toHaveLength(1);
  });

  it("matches what the tenant holds", async () => {
    const snapshot = await readTenant(h.client());
    const truth = h.emulator.state.snapshot()[COLLECTIONS.configurationPolicies].find((p) => p.id === policyId(42))!;
    const read = snapshot[COLLECTIONS.configurationPolicies].find((p) => p.id === policyId(42))!;
    expect(read.settings!.map((s) => s.settingInstance)).toEqual(truth.settings!.map((s) => s.settingInstance));
    expect(read.assignments!.map((a) => a.target)).toEqual(truth.assignments!.map((a) => a.target));
  });

  it("survives throttled inner requests and resets on the way", async () => {
    h.emulator.faults.add({
      method: "GET",
      path: new RegExp(`${policyId(5)}/settings$`),
      kind: "429",
      retryAfter: 0.01,
    });
    h.emulator.faults.add({ method: "GET", path: COLLECTIONS.groups, kind: "reset" });
    const graph = h.client();
    const snapshot = await readTenant(graph);
    expect(snapshot[COLLECTIONS.configurationPolicies].find((p) => p.id === policyId(5))!.settings).toHaveLength(30);
    expect(snapshot[COLLECTIONS.groups]).toHaveLength(3);
    expect(graph.stats.retries).toBe(2);
  });

  it("fails with a clear error, never a partial snapshot, when a list page keeps failing", async () => {
    const big = await startHarness(fullTenant(120, 1));
    try {
      big.emulator.faults.add({
        method: "GET",
        path: COLLECTIONS.configurationPolicies,
        kind: "500-on-page",
        page: 2,
        times: 10,
      });
      const err = (await readTenant(big.client()).catch((e: unknown) => e)) as GraphError;
      expect(err).toBeInstanceOf(GraphError);
      expect(err.status).toBe(500);
      expect(err.message).toMatch(/GET deviceManagement\/configurationPolicies failed with 500/);
    } finally {
      await big.stop();
    }
  });

  it("fails when one policy's settings cannot be read", async () => {
    h.emulator.faults.add({ method: "GET", path: new RegExp(`${policyId(9)}/settings$`), kind: "500", times: 10 });
    const err = (await readTenant(h.client()).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.message).toContain(`${policyId(9)}/settings`);
  });

  it("falls back to batched /assignments reads when a collection refuses $expand", async () => {
    const graph = h.client();
    // The emulator supports $expand here; a wrapper plays a service that answers 400 to it.
    const original = graph.list.bind(graph);
    graph.list = (async (path: string, opts?: { version?: "beta" | "v1.0" }) => {
      if (path.startsWith(COLLECTIONS.compliancePolicies) && path.includes("$expand")) {
        throw new GraphError({
          status: 400,
          code: "BadRequest",
          message: "Could not find a property named 'assignments'",
          method: "GET",
          path,
        });
      }
      return original(path, opts);
    }) as typeof graph.list;
    const snapshot = await readTenant(graph);
    expect(snapshot[COLLECTIONS.compliancePolicies].map((c) => c.assignments?.length)).toEqual([1, 1]);
  });

  it("names the permission a read-only identity lacks", async () => {
    const graph = h.client({ roles: ["DeviceManagementConfiguration.Read.All", "DeviceManagementApps.Read.All"] });
    const err = (await readTenant(graph).catch((e: unknown) => e)) as MissingPermissionsError;
    expect(err).toBeInstanceOf(MissingPermissionsError);
    expect(err.permissions).toEqual(["Group.Read.All"]);
    expect(err.refused.map((e) => e.permission)).toEqual(["Group.Read.All"]);
    expect(err.message).toContain("needs the Microsoft Graph application permission Group.Read.All");
  });
});

describe("readTenant over several list pages", () => {
  it("reads the settings of a page's policies while the next list page is still being read", async () => {
    // A round trip per request, as on a network: what overlaps then shows in the order requests arrive.
    const paged = await startHarness(fullTenant(250, 2), { roundTripMs: 20 });
    try {
      const snapshot = await readTenant(paged.client());
      expect(snapshot[COLLECTIONS.configurationPolicies]).toHaveLength(250);
      expect(snapshot[COLLECTIONS.configurationPolicies].every((p) => p.settings?.length === 2)).toBe(true);
      // The log is in arrival order: settings reads of the first pages arrive before the list's last page.
      const log = paged.emulator.log.entries;
      const lastListPage = log.map((e) => e.path).lastIndexOf(COLLECTIONS.configurationPolicies);
      const firstSettings = log.findIndex((e) => e.inBatch && e.path.endsWith("/settings"));
      expect(log.filter((e) => e.path === COLLECTIONS.configurationPolicies)).toHaveLength(3);
      expect(firstSettings).toBeGreaterThanOrEqual(0);
      expect(firstSettings).toBeLessThan(lastListPage);
    } finally {
      await paged.stop();
    }
  });
});

describe("readTenant with keepSettings (what a plan reads)", () => {
  it("drops the settings the caller does not need as they arrive and keeps the others whole", async () => {
    const wanted =
      h.emulator.state.snapshot()[COLLECTIONS.configurationPolicies][0]!.settings![3]!.settingInstance
        .settingDefinitionId;
    const snapshot = await readTenant(h.client(), {
      keepSettings: (kind, policy) =>
        kind === "configurationPolicy" && policy.id === policyId(0)
          ? undefined
          : (s) =>
              (s as { settingInstance: { settingDefinitionId: string } }).settingInstance.settingDefinitionId ===
              wanted,
    });
    const policies = snapshot[COLLECTIONS.configurationPolicies];
    expect(policies).toHaveLength(60);
    const byId = new Map(policies.map((p) => [p.id, p]));
    expect(byId.get(policyId(0))!.settings).toHaveLength(30);
    for (let i = 1; i < 60; i++)
      expect(byId.get(policyId(i))!.settings!.map((s) => s.settingInstance.settingDefinitionId)).toEqual([wanted]);
    expect(byId.get(policyId(7))!.assignments).toHaveLength(2);
  });

  it("still refuses a dropped setting nested too deeply, before anything walks it", async () => {
    const tenant = fullTenant(2, 1) as unknown as Record<string, { settings?: unknown[] }[]>;
    const choice = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance";
    let deep: Record<string, unknown> = { "@odata.type": choice, settingDefinitionId: "x" };
    for (let i = 0; i < 120; i++)
      deep = {
        "@odata.type": choice,
        settingDefinitionId: "x",
        choiceSettingValue: { value: "x_1", children: [deep] },
      };
    tenant[COLLECTIONS.configurationPolicies]![1]!.settings = [{ id: "0", settingInstance: deep }];
    const deepHarness = await startHarness(tenant as unknown as Parameters<typeof startHarness>[0]);
    try {
      await expect(readTenant(deepHarness.client(), { keepSettings: () => () => false })).rejects.toThrow(
        /cannot read: GET .*\/settings.*nested deeper than 100 levels/,
      );
    } finally {
      await deepHarness.stop();
    }
  });
});

describe("withoutExpand", () => {
  it("drops only the $expand option", () => {
    expect(withoutExpand("a/b?$top=100&$expand=assignments")).toBe("a/b?$top=100");
    expect(withoutExpand("a/b?$expand=assignments")).toBe("a/b");
    expect(withoutExpand("a/b?$filter=x&$expand=assignments&$top=2")).toBe("a/b?$filter=x&$top=2");
  });
});

describe("readAllPages", () => {
  it("fails instead of reading forever when the service repeats an @odata.nextLink", async () => {
    let batches = 0;
    // A service stuck on one skiptoken: every page points at the same next page.
    const stuck = {
      limits: READ_LIMITS,
      batch: async (requests: BatchRequest[]) => {
        if (++batches > 10) throw new Error("still reading after 10 batches");
        return requests.map((r) => ({
          id: r.id!,
          status: 200,
          headers: {},
          body: {
            value: [{ id: `item-${batches}` }],
            "@odata.nextLink": "https://localhost:1/beta/x/settings?$skiptoken=same",
          },
        }));
      },
    } as unknown as GraphClient;
    await expect(readAllPages(stuck, [{ key: "x", url: "/x/settings" }])).rejects.toThrow(/same @odata.nextLink twice/);
    expect(batches).toBe(2);
  });

  it("handles each $batch of 20 as its answer arrives, not once every batch has answered", async () => {
    const answers: (() => void)[] = [];
    const slow = {
      limits: READ_LIMITS,
      batch: (requests: BatchRequest[]) =>
        new Promise((resolve) =>
          answers.push(() =>
            resolve(requests.map((r) => ({ id: r.id!, status: 200, headers: {}, body: { value: [{ url: r.url }] } }))),
          ),
        ),
    } as unknown as GraphClient;
    const parsed: string[] = [];
    const sources = Array.from({ length: 40 }, (_, i) => ({ key: `p${i}`, url: `/p${i}/settings` }));
    const read = readAllPages(slow, sources, undefined, undefined, (item) => {
      parsed.push(String(item.url));
      return item;
    });
    await Promise.resolve();
    expect(answers).toHaveLength(2); // two batches of 20 asked at once
    answers[0]!();
    await new Promise((r) => setImmediate(r));
    // The first batch's pages are parsed (and their raw form garbage) while the second is still out.
    expect(parsed).toHaveLength(20);
    answers[1]!();
    const out = await read;
    expect(parsed).toHaveLength(40);
    expect(out.get("p39")).toEqual([{ url: "/p39/settings" }]);
  });

  it("counts dropped items against the item limit: what the service returned, not what was kept", async () => {
    const many = {
      limits: { ...READ_LIMITS, maxItems: 5 },
      batch: async (requests: BatchRequest[]) =>
        requests.map((r) => ({ id: r.id!, status: 200, headers: {}, body: { value: Array(6).fill({ a: 1 }) } })),
    } as unknown as GraphClient;
    await expect(
      readAllPages(many, [{ key: "x", url: "/x/settings" }], undefined, undefined, () => undefined),
    ).rejects.toThrow(/more than 5 items/);
  });
});
