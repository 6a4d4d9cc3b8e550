// Writes through the tenant writer against the emulator: creates that adopt instead of duplicating,
// faults that cannot make twins (504 after commit, reset, 5xx), eventual consistency, whole-document
// updates, full-list assignment, idempotent deletes and complete reads.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GraphError } from "../../src/graph";
import { COLLECTIONS, ODATA, withMarker } from "../../src/model";
import { assignObject, createObject, deleteObject, findByMarker, readObject, updateObject } from "../../src/tenant";
import {
  WSL,
  allDevices,
  choiceSetting,
  groupId,
  policyBody,
  policyId,
  seedTenant,
  startHarness,
  type Harness,
} from "../graph/fixtures";
import { compliancePolicy, desiredPolicy, win32App } from "./tenant-fixtures";

const STACK = "prod";
let h: Harness;
let seq = 0;

beforeAll(async () => {
  const seed = seedTenant({ policies: 3, settings: 30 }) as Record<string, unknown[]>;
  seed[COLLECTIONS.compliancePolicies] = [compliancePolicy(1)];
  seed[COLLECTIONS.mobileApps] = [win32App(1)];
  h = await startHarness(seed as never);
});
afterAll(async () => h.stop());
afterEach(() => h.emulator.faults.clear());

/** A fresh desired policy with this stack's marker. */
function desired(stack = STACK) {
  const id = `wsl-lockdown-${++seq}`;
  return desiredPolicy(
    stack,
    id,
    policyBody(`WSL lockdown ${seq}`, withMarker("WSL lock-down", { stack, policyId: id })),
  );
}

const policiesNamed = (name: string) =>
  h.emulator.state.snapshot()[COLLECTIONS.configurationPolicies].filter((p) => p.name === name);

describe("createObject", () => {
  it("creates an object carrying the marker, and adopts it instead of creating a twin the next time", async () => {
    const obj = desired();
    const first = await createObject(h.graph, obj, STACK);
    expect(first.adopted).toBe(false);
    const again = await createObject(h.graph, obj, STACK);
    expect(again).toEqual({ id: first.id, adopted: true });
    expect(policiesNamed(obj.displayName)).toHaveLength(1);
  });

  it("ignores another stack's object with the same policy id", async () => {
    const obj = desired("staging");
    await createObject(h.graph, obj, "staging");
    const mine = {
      ...obj,
      document: { ...obj.document, description: withMarker("WSL lock-down", { stack: STACK, policyId: obj.policyId }) },
    };
    const res = await createObject(h.graph, mine, STACK);
    expect(res.adopted).toBe(false);
    expect(policiesNamed(obj.displayName)).toHaveLength(2);
  });

  it("adopts an existing object by id (brownfield)", async () => {
    const obj = { ...desired(), adoptId: policyId(1) };
    expect(await createObject(h.graph, obj, STACK)).toEqual({ id: policyId(1), adopted: true });
    await expect(
      createObject(h.graph, { ...obj, adoptId: "99999999-0000-4000-8000-000000000000" }, STACK),
    ).rejects.toThrow(/does not exist in the tenant/);
  });

  it("refuses a document without its marker: it could not be found again after a fault", async () => {
    const obj = desired();
    await expect(
      createObject(h.graph, { ...obj, document: { ...obj.document, description: "no marker" } }, STACK),
    ).rejects.toThrow(/must end its description with \[wslpolicy:prod\//);
  });

  it.each([
    // committed: the marker is found, nothing is sent again
    ["a 504 returned after the write was committed", "504-after-commit" as const, 1],
    // not committed: the marker is not found, so the create is sent once more
    ["a 504 before it", "504" as const, 2],
    ["a connection reset", "reset" as const, 2],
    ["a 500", "500" as const, 2],
    ["a 503", "503" as const, 2],
  ])("makes exactly one object through %s", async (_name, kind, posts) => {
    const obj = desired();
    h.emulator.log.reset();
    h.emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind });
    const res = await createObject(h.graph, obj, STACK);
    expect(h.emulator.log.count({ method: "POST", path: COLLECTIONS.configurationPolicies })).toBe(posts);
    expect(res.adopted).toBe(false);
    const made = policiesNamed(obj.displayName);
    expect(made).toHaveLength(1);
    expect(made[0]!.id).toBe(res.id);
  });

  it("tolerates an object that 404s for a few reads after it was created", async () => {
    const obj = desired();
    h.emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "eventual-404", reads: 3 });
    const { id } = await createObject(h.graph, obj, STACK);
    const live = await readObject(h.graph, "configurationPolicy", id, { expectExists: true });
    expect(live?.document.name).toBe(obj.displayName);
    await assignObject(h.graph, "configurationPolicy", id, [allDevices]);
  });

  it("never sends the create again once the marker is listed, even while reads by id keep 404ing", async () => {
    const obj = desired();
    h.emulator.log.reset();
    // A committed create the caller only sees as a 504, then more 404s by id than the visibility window covers.
    h.emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "504-after-commit" });
    h.emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "eventual-404", reads: 40 });
    const res = await createObject(h.graph, obj, STACK);
    expect(h.emulator.log.count({ method: "POST", path: COLLECTIONS.configurationPolicies })).toBe(1);
    expect(policiesNamed(obj.displayName).map((p) => p.id)).toEqual([res.id]);
    // and a later create of the same policy adopts it although it still cannot be read by id
    h.emulator.state.hideFromReads(res.id, 40);
    expect(await createObject(h.graph, obj, STACK)).toEqual({ id: res.id, adopted: true });
    expect(policiesNamed(obj.displayName)).toHaveLength(1);
  });

  it("reads an object that 404s for longer than a few retries, within the visibility window", async () => {
    const { id } = await createObject(h.graph, desired(), STACK);
    h.emulator.state.hideFromReads(id, 12);
    expect((await readObject(h.graph, "configurationPolicy", id, { expectExists: true }))?.id).toBe(id);
    // without expectExists a 404 is an answer: the object is not there (used where absence is expected)
    h.emulator.state.hideFromReads(id, 1);
    expect(await readObject(h.graph, "configurationPolicy", id)).toBeUndefined();
  });

  it("names the permission when the identity may only read", async () => {
    const reader = h.client({ roles: ["DeviceManagementConfiguration.Read.All"] });
    const err = (await createObject(reader, desired(), STACK).catch((e: unknown) => e)) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.permission).toBe("DeviceManagementConfiguration.ReadWrite.All");
  });
});

describe("the run's marker index", () => {
  it("lists the collection once for all the creates of a run, not once per create", async () => {
    const run = h.client();
    h.emulator.log.reset();
    const made = await Promise.all(
      [desired(), desired(), desired(), desired(), desired()].map((o) => createObject(run, o, STACK)),
    );
    expect(made.every((m) => !m.adopted)).toBe(true);
    expect(h.emulator.log.count({ method: "GET", path: COLLECTIONS.configurationPolicies })).toBe(1);
    expect(h.emulator.log.count({ method: "POST", path: COLLECTIONS.configurationPolicies })).toBe(5);
  });

  it("adopts what the same run created, and what an interrupted earlier run (another client) left", async () => {
    const obj = desired();
    const first = h.client();
    const { id } = await createObject(first, obj, STACK);
    expect(await createObject(first, obj, STACK)).toEqual({ id, adopted: true });
    expect(await createObject(h.client(), obj, STACK)).toEqual({ id, adopted: true });
    expect(policiesNamed(obj.displayName)).toHaveLength(1);
  });

  it("does not adopt an object the run deleted: a replacement creates a new one", async () => {
    const obj = desired();
    const run = h.client();
    const { id } = await createObject(run, obj, STACK);
    await deleteObject(run, "configurationPolicy", id);
    const again = await createObject(run, obj, STACK);
    expect(again.adopted).toBe(false);
    expect(again.id).not.toBe(id);
    expect(policiesNamed(obj.displayName).map((p) => p.id)).toEqual([again.id]);
  });
});

describe("findByMarker", () => {
  it("finds the object of this stack and policy, with its settings and assignments", async () => {
    const obj = desired();
    const { id } = await createObject(h.graph, obj, STACK);
    const found = await findByMarker(h.graph, "configurationPolicy", STACK, obj.policyId);
    expect(found?.id).toBe(id);
    expect(Array.isArray(found?.document?.settings)).toBe(true);
    expect(await findByMarker(h.graph, "configurationPolicy", STACK, "never-created")).toBeUndefined();
  });

  it("refuses to choose between two objects with the same marker", async () => {
    const obj = desired();
    await h.graph.post(COLLECTIONS.configurationPolicies, obj.document);
    await h.graph.post(COLLECTIONS.configurationPolicies, obj.document);
    await expect(findByMarker(h.graph, "configurationPolicy", STACK, obj.policyId)).rejects.toThrow(
      /2 configurationPolicy objects carry the marker/,
    );
  });
});

describe("updateObject", () => {
  it("replaces a configuration policy's settings wholesale with PUT", async () => {
    const obj = desired();
    const { id } = await createObject(h.graph, obj, STACK);
    const next = {
      ...obj.document,
      settings: [{ "@odata.type": ODATA.setting, ...choiceSetting(`${WSL}allowwsl`, `${WSL}allowwsl_0`) }],
    };
    await updateObject(h.graph, "configurationPolicy", id, next);
    const live = await readObject(h.graph, "configurationPolicy", id);
    expect(
      (live!.document.settings as { settingInstance: { settingDefinitionId: string } }[]).map(
        (s) => s.settingInstance.settingDefinitionId,
      ),
    ).toEqual([`${WSL}allowwsl`]);
    expect(h.emulator.log.count({ method: "PUT", path: `${COLLECTIONS.configurationPolicies}/${id}` })).toBe(1);
  });

  it("PATCHes a compliance policy and an app with their @odata.type", async () => {
    const policy = compliancePolicy(1);
    await updateObject(h.graph, "compliancePolicy", policy.id, {
      ...policy,
      displayName: "WSL compliance renamed",
      wslDistributions: [{ distribution: "Debian" }],
    } as never);
    const live = await readObject(h.graph, "compliancePolicy", policy.id);
    expect(live?.document.displayName).toBe("WSL compliance renamed");
    expect((live?.document.wslDistributions as { distribution: string }[])[0]!.distribution).toBe("Debian");

    const app = win32App(1);
    await updateObject(h.graph, "mobileApp", app.id, {
      "@odata.type": ODATA.win32LobApp,
      displayName: "Plug-in renamed",
    });
    expect((await readObject(h.graph, "mobileApp", app.id))?.document.displayName).toBe("Plug-in renamed");
    await expect(updateObject(h.graph, "mobileApp", app.id, { displayName: "x" })).rejects.toThrow(/@odata.type/);
  });
});

describe("assignObject", () => {
  it("replaces the whole assignment list of a policy", async () => {
    const id = policyId(2);
    await assignObject(h.graph, "configurationPolicy", id, [
      { target: { "@odata.type": ODATA.groupTarget, groupId: groupId(0) } },
      { target: { "@odata.type": ODATA.exclusionGroupTarget, groupId: groupId(1) } },
    ]);
    await assignObject(h.graph, "configurationPolicy", id, [allDevices]);
    const live = await readObject(h.graph, "configurationPolicy", id);
    expect(
      (live!.document.assignments as { target: Record<string, unknown> }[]).map((a) => a.target["@odata.type"]),
    ).toEqual([ODATA.allDevicesTarget]);
    await assignObject(h.graph, "configurationPolicy", id, []);
    expect((await readObject(h.graph, "configurationPolicy", id))!.document.assignments).toEqual([]);
  });

  it("assigns apps with mobileAppAssignments and compliance policies with assignments", async () => {
    const app = win32App(1);
    await assignObject(h.graph, "mobileApp", app.id, [
      {
        "@odata.type": ODATA.mobileAppAssignment,
        intent: "required",
        target: { "@odata.type": ODATA.groupTarget, groupId: groupId(2) },
      },
    ]);
    const liveApp = await readObject(h.graph, "mobileApp", app.id);
    expect((liveApp!.document.assignments as { target: { groupId: string } }[]).map((a) => a.target.groupId)).toEqual([
      groupId(2),
    ]);

    const policy = compliancePolicy(1);
    await assignObject(h.graph, "compliancePolicy", policy.id, [allDevices]);
    expect((await readObject(h.graph, "compliancePolicy", policy.id))!.document.assignments).toHaveLength(1);
  });
});

describe("deleteObject and readObject", () => {
  it("deletes, and a second delete of the same object is fine", async () => {
    const { id } = await createObject(h.graph, desired(), STACK);
    await deleteObject(h.graph, "configurationPolicy", id);
    await deleteObject(h.graph, "configurationPolicy", id);
    expect(await readObject(h.graph, "configurationPolicy", id)).toBeUndefined();
  });

  it("reads every setting of a policy past the first page of 25", async () => {
    const live = await readObject(h.graph, "configurationPolicy", policyId(0));
    expect(live?.document.settings).toHaveLength(30);
    expect(live?.document.assignments).toHaveLength(2);
  });
});

describe("compliance policies and apps", () => {
  it("create once and adopt by marker afterwards, like configuration policies", async () => {
    const cp = compliancePolicy(9);
    const complianceDoc = {
      ...cp,
      id: undefined,
      assignments: undefined,
      displayName: "WSL distributions",
      description: withMarker("Allowed distros", { stack: STACK, policyId: "wsl-distros" }),
    };
    delete complianceDoc.id;
    delete complianceDoc.assignments;
    const compliance = desiredPolicy(STACK, "wsl-distros", complianceDoc, "compliancePolicy");
    const first = await createObject(h.graph, compliance, STACK);
    expect(await createObject(h.graph, compliance, STACK)).toEqual({ id: first.id, adopted: true });

    const app = desiredPolicy(
      STACK,
      "mde-wsl-plugin",
      {
        "@odata.type": ODATA.win32LobApp,
        displayName: "MDE plug-in for WSL",
        publisher: "Microsoft",
        description: withMarker("Plug-in", { stack: STACK, policyId: "mde-wsl-plugin" }),
      },
      "mobileApp",
    );
    const made = await createObject(h.graph, app, STACK);
    expect(made.adopted).toBe(false);
    expect((await findByMarker(h.graph, "mobileApp", STACK, "mde-wsl-plugin"))?.id).toBe(made.id);
  });
});
