// Idempotence against the emulator: compile the example policies, write every object through the real
// Graph client and writer, read the tenant back and plan again — zero changes, and an apply driven by
// that plan sends zero writes (never PUT when the normalised diff is empty).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { readTenant } from "../../src/tenant";
import { applyAll, clientFor, desiredState, groupsSeed } from "./emulator-tenant";

describe("plan after apply", () => {
  let emulator: RunningEmulator;
  let graph: GraphClient;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
    graph = clientFor(emulator);
  });
  afterAll(async () => {
    await graph?.close();
    await emulator?.stop();
  });

  it("shows zero changes and leads to zero writes", async () => {
    const desired = await desiredState("local");
    const before = computePlan({
      desired,
      live: await readTenant(graph),
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
    });
    expect(before.summary.create).toBe(desired.objects.length);

    await applyAll(graph, desired, groupsSeed(), emulator);
    emulator.log.reset();
    const live = await readTenant(graph);
    const plan = computePlan({
      desired,
      live,
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
      requestCount: graph.requestCount,
    });

    expect(plan.errors).toEqual([]);
    expect(
      plan.changes
        .filter((c) => c.action !== "unchanged")
        .map((c) => ({ key: c.key, settings: c.settings, meta: c.metadata, props: c.properties, a: c.assignments })),
    ).toEqual([]);
    expect(plan.summary).toMatchObject({ hasChanges: false, unchanged: desired.objects.length });
    expect(plan.changes.every((c) => c.diffPaths.length === 0)).toBe(true);
    expect(emulator.log.writes()).toEqual([]);
  });
});
