// The Intune dynamic providers driven through the real dynamic-provider host of @pulumi/pulumi over gRPC,
// as the engine drives them in up/refresh/destroy, against the local Graph emulator. The host rebuilds
// each provider from the serialized `__provider` text (made in a fresh process), so these tests also prove
// that text loads our TypeScript package in a plain Node process started in stacks/.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { COLLECTIONS, isOwnedBy, type DesiredObject, type DesiredState, type ObjectKind } from "../../src/model";
import { settingIds } from "../../src/catalog";
import { resourceTypeToken } from "../../src/pulumi/resource-inputs";
import { compiledExamples, resourceInputs, seedWithGroups, serializedProviders, STACKS_DIR } from "./harness/fixtures";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { startProviderHost, type ProviderHost, type Props } from "./harness/provider-host";

const STACK = "ci";
let providers: Record<ObjectKind, { text: string }>;
let desired: DesiredState;
let emulator: RunningEmulator;
let host: ProviderHost;

const urnOf = (obj: DesiredObject) =>
  `urn:pulumi:${STACK}::wslpolicy::${resourceTypeToken(obj.kind)}::${obj.resourceName}`;
const objectNamed = (policyId: string) => desired.objects.find((o) => o.policyId === policyId)!;

async function newHost(): Promise<ProviderHost> {
  return startProviderHost({
    cwd: STACKS_DIR,
    env: {
      PATH: process.env.PATH,
      WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
      WSLPOLICY_EMULATOR_CA: emulator.caFile,
      WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
    },
  });
}

/** The engine's news for a resource: program inputs plus the serialized provider. */
function news(obj: DesiredObject): Props {
  return { ...resourceInputs(obj, STACK, emulator.baseUrl), __provider: providers[obj.kind].text };
}

/** The ErrorResourceInitFailed the host packs into `grpc-status-details-bin`: what the engine records in state. */
function initFailure(statusBin: Buffer): { id: string; properties: Props } {
  const status = statusproto.Status.deserializeBinary(new Uint8Array(statusBin));
  const detail = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0]!.getValue_asU8());
  return { id: detail.getId(), properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props };
}

function managed(collection: string, policyId: string) {
  return emulator.state.list(collection).filter((o) => isOwnedBy(o.description as string | undefined, STACK, policyId));
}

beforeAll(async () => {
  providers = serializedProviders();
  desired = await compiledExamples(STACK);
});

beforeEach(async () => {
  emulator = await startEmulator({ seed: seedWithGroups(), timeScale: 0.01 });
  host = await newHost();
});

afterEach(async () => {
  await host.stop();
  await emulator.stop();
});

afterAll(() => undefined);

describe("a settings-catalog policy through the provider host", () => {
  it("creates, reads back without drift, shows a portal edit on refresh, repairs it with one PUT, and deletes", async () => {
    const obj = objectNamed("wsl-developers");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);

    const created = await host.create(urn, checked.inputs);
    expect(managed(COLLECTIONS.configurationPolicies, "wsl-developers").map((o) => o.id)).toEqual([created.id]);
    expect(created.properties.adopted).toBe(false);
    const live = emulator.state.get(COLLECTIONS.configurationPolicies, created.id)!;
    expect((live.assignments as unknown[]).length).toBe(Object.keys(checked.inputs.assignments as object).length);

    // refresh right after up: the live object reads back as exactly what was declared
    const refreshed = await host.read(urn, created.id, created.properties);
    expect(refreshed.id).toBe(created.id);
    expect(Object.keys((refreshed.inputs!.document as { settings: object }).settings)).toEqual(
      Object.keys((checked.inputs.document as { settings: object }).settings),
    );
    expect(await host.diff(urn, created.id, refreshed.properties, checked.inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });

    // someone enables WSL1 in the portal
    const wsl1 = settingIds.wsl.allowWsl1;
    emulator.state.updateConfigurationPolicy(created.id, (policy) => {
      for (const s of policy.settings as {
        settingInstance: { settingDefinitionId: string; choiceSettingValue: { value: string } };
      }[]) {
        if (s.settingInstance.settingDefinitionId === wsl1) s.settingInstance.choiceSettingValue.value = `${wsl1}_1`;
      }
    });
    const drifted = await host.read(urn, created.id, refreshed.properties);
    const driftedSettings = (
      drifted.inputs!.document as { settings: Record<string, { choiceSettingValue: { value: string } }> }
    ).settings;
    expect(driftedSettings[wsl1]!.choiceSettingValue.value).toBe(`${wsl1}_1`);
    expect((await host.diff(urn, created.id, drifted.properties, checked.inputs)).changes).toBe("some");

    // up repairs it: one whole-document PUT, no assignment call (assignments did not drift)
    const before = emulator.log.count({ method: "PUT" });
    const assignsBefore = emulator.log.count({ method: "POST", path: /\/assign$/ });
    const updated = await host.update(urn, created.id, drifted.properties, checked.inputs);
    expect(emulator.log.count({ method: "PUT" }) - before).toBe(1);
    expect(emulator.log.count({ method: "POST", path: /\/assign$/ })).toBe(assignsBefore);
    const repaired = await host.read(urn, created.id, updated);
    expect(await host.diff(urn, created.id, repaired.properties, checked.inputs)).toMatchObject({ changes: "none" });

    // an update with nothing to change writes nothing
    const writes = emulator.log.writes().length;
    await host.update(urn, created.id, repaired.properties, checked.inputs);
    expect(emulator.log.writes().length).toBe(writes);

    await host.delete(urn, created.id, repaired.properties);
    expect(managed(COLLECTIONS.configurationPolicies, "wsl-developers")).toEqual([]);
    // destroy after the object is already gone (404) succeeds, and refresh reports it gone
    await host.delete(urn, created.id, repaired.properties);
    expect((await host.read(urn, created.id, repaired.properties)).id).toBe("");
  });

  it("asks for a delete-first replacement only when Graph refuses an in-place change", async () => {
    const obj = objectNamed("wsl-off");
    const urn = urnOf(obj);
    const checked = (await host.check(urn, {}, news(obj))).inputs;
    const created = await host.create(urn, checked);
    const retargeted = {
      ...checked,
      document: { ...(checked.document as object), technologies: "mdm,microsoftSense" },
    };
    expect(await host.diff(urn, created.id, created.properties, retargeted)).toEqual({
      changes: "some",
      replaces: ["document.technologies"],
      deleteBeforeReplace: true,
    });
    const renamed = { ...checked, document: { ...(checked.document as object), name: "Renamed" } };
    expect(await host.diff(urn, created.id, created.properties, renamed)).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("rejects inputs without the ownership marker before anything is sent", async () => {
    const obj = objectNamed("wsl-off");
    const input = news(obj);
    const doc = input.document as { description: string };
    const checked = await host.check(urnOf(obj), {}, { ...input, document: { ...doc, description: "no marker" } });
    expect(checked.failures).toEqual([
      { property: "document.description", reason: `must end with the ownership marker [wslpolicy:${STACK}/wsl-off]` },
    ]);
    expect(emulator.log.writes()).toEqual([]);
  });

  it("refuses to delete an object whose marker was removed in the portal", async () => {
    const obj = objectNamed("wsl-off");
    const urn = urnOf(obj);
    const created = await host.create(urn, (await host.check(urn, {}, news(obj))).inputs);
    emulator.state.updateConfigurationPolicy(created.id, (p) => {
      p.description = "taken over by the desktop team";
    });
    await expect(host.delete(urn, created.id, created.properties)).rejects.toThrow(/does not carry the marker/);
    expect(emulator.state.get(COLLECTIONS.configurationPolicies, created.id)).toBeDefined();
  });
});

describe("a preview: inputs Pulumi does not know yet (the unknown sentinel)", () => {
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // UnknownValue, @pulumi/pulumi/runtime/rpc

  it("check passes a whole unknown assignments record through and still validates the document", async () => {
    const obj = objectNamed("wsl-developers");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, { ...news(obj), assignments: UNKNOWN });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.assignments).toBe(UNKNOWN);
    expect(Object.keys(checked.inputs.document as object)).toContain("settings");
    // what is known is still checked
    const noMarker = {
      ...news(obj),
      assignments: UNKNOWN,
      document: { ...(news(obj).document as object), description: "no marker" },
    };
    expect((await host.check(urn, {}, noMarker)).failures.map((f) => f.property)).toEqual(["document.description"]);
  });

  it("check passes nested unknowns through: one assignment body, one group id, one setting value", async () => {
    const obj = objectNamed("wsl-developers");
    const inputs = news(obj);
    const assignments = inputs.assignments as Record<string, { target: Record<string, unknown> }>;
    const [first, second] = Object.keys(assignments);
    const nested = {
      ...inputs,
      assignments: {
        ...assignments,
        [first!]: UNKNOWN,
        [second!]: { target: { ...assignments[second!]!.target, groupId: UNKNOWN } },
      },
      document: { ...(inputs.document as object), name: UNKNOWN },
    };
    const checked = await host.check(urnOf(obj), {}, nested);
    expect(checked.failures).toEqual([]);
    expect((checked.inputs.assignments as Record<string, unknown>)[first!]).toBe(UNKNOWN);
    expect(
      (checked.inputs.assignments as Record<string, { target: { groupId: string } }>)[second!]!.target.groupId,
    ).toBe(UNKNOWN);
    expect((checked.inputs.document as { name: string }).name).toBe(UNKNOWN);
  });

  it("diff with unknown news answers 'changes' without touching the tenant, and still sees a forced replace", async () => {
    const obj = objectNamed("wsl-developers");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    const created = await host.create(urn, checked.inputs);
    const writes = emulator.log.writes().length;
    expect(await host.diff(urn, created.id, created.properties, { ...checked.inputs, assignments: UNKNOWN })).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const otherPlatform = {
      ...checked.inputs,
      assignments: UNKNOWN,
      document: { ...(checked.inputs.document as object), platforms: "macOS" },
    };
    expect((await host.diff(urn, created.id, created.properties, otherPlatform)).replaces).toEqual([
      "document.platforms",
    ]);
    expect(emulator.log.writes().length).toBe(writes);
  });
});

describe("compliance policy and Defender plug-in app through the provider host", () => {
  it("wsl-approved-distros: create, read without drift, delete", async () => {
    const obj = objectNamed("wsl-approved-distros");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);
    const created = await host.create(urn, checked.inputs);
    expect(managed(COLLECTIONS.compliancePolicies, "wsl-approved-distros").map((o) => o.id)).toEqual([created.id]);
    const refreshed = await host.read(urn, created.id, created.properties);
    expect(refreshed.inputs?.assignments).toEqual(checked.inputs.assignments);
    expect((await host.diff(urn, created.id, refreshed.properties, checked.inputs)).changes).toBe("none");
    await host.delete(urn, created.id, refreshed.properties);
    expect(managed(COLLECTIONS.compliancePolicies, "wsl-approved-distros")).toEqual([]);
  });

  it("wsl-approved-distros: a grace period changed in the portal shows on refresh, and up repairs it through scheduleActionsForRules", async () => {
    // Graph reads the action back with ruleName null and the zero-GUID template (SkipToTheEndpoint/OpenIntuneBaseline,
    // WINDOWS/IntuneManagement/CompliancePolicies/*.json) and changes it only through the action
    // (microsoftgraph/microsoft-graph-docs-contrib
    // api-reference/beta/api/intune-deviceconfig-devicecompliancepolicy-scheduleactionsforrules.md).
    const obj = objectNamed("wsl-approved-distros");
    const urn = urnOf(obj);
    const checked = (await host.check(urn, {}, news(obj))).inputs;
    const created = await host.create(urn, checked);
    const refreshed = await host.read(urn, created.id, created.properties);
    expect(await host.diff(urn, created.id, refreshed.properties, checked)).toMatchObject({ changes: "none" });

    const live = emulator.state.get(COLLECTIONS.compliancePolicies, created.id)!;
    const [rule] = live.scheduledActionsForRule as { scheduledActionConfigurations: { gracePeriodHours: number }[] }[];
    rule!.scheduledActionConfigurations[0]!.gracePeriodHours = 720;
    emulator.state.put(COLLECTIONS.compliancePolicies, live);
    const drifted = await host.read(urn, created.id, refreshed.properties);
    expect(await host.diff(urn, created.id, drifted.properties, checked)).toMatchObject({
      changes: "some",
      replaces: [],
    });

    const actions = () => emulator.log.count({ method: "POST", path: /\/scheduleActionsForRules$/, status: 204 });
    const before = actions();
    const updated = await host.update(urn, created.id, drifted.properties, checked);
    expect(actions() - before).toBe(1);
    const repaired = await host.read(urn, created.id, updated);
    expect(await host.diff(urn, created.id, repaired.properties, checked)).toMatchObject({ changes: "none" });
    const after = emulator.state.get(COLLECTIONS.compliancePolicies, created.id)!;
    const wanted = (
      checked.document as {
        scheduledActionsForRule: { scheduledActionConfigurations: { gracePeriodHours: number }[] }[];
      }
    ).scheduledActionsForRule[0]!;
    expect(
      (after.scheduledActionsForRule as (typeof rule)[])[0]!.scheduledActionConfigurations[0]!.gracePeriodHours,
    ).toBe(wanted.scheduledActionConfigurations[0]!.gracePeriodHours);
  });

  it("defender-wsl-plugin: create packs and uploads the MSI, publishes the app and only then assigns its rings", async () => {
    const obj = objectNamed("defender-wsl-plugin");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);
    const created = await host.create(urn, checked.inputs);
    const app = emulator.state.get(COLLECTIONS.mobileApps, created.id)!;
    expect(app).toMatchObject({
      publishingState: "published",
      committedContentVersion: "1",
      notes: obj.document.notes,
    });
    expect((app.assignments as unknown[]).length).toBe(3);
    // The blob is the encrypted payload of a package of the pinned MSI (the commit checked its MAC).
    expect(
      emulator.log.entries.filter((e) => e.method === "PUT" && e.path.startsWith("blob/") && e.status === 201).length,
    ).toBeGreaterThanOrEqual(2);
    // Same MSI again: nothing is uploaded.
    const writes = emulator.log.writes().length;
    await host.update(urn, created.id, created.properties, checked.inputs);
    expect(
      emulator.log
        .writes()
        .slice(writes)
        .filter((e) => /contentVersions|commit/.test(e.path)),
    ).toEqual([]);
  });

  it("defender-wsl-plugin: an upload that fails is created-but-failed (the engine keeps the id), and the next run finishes it", async () => {
    const obj = objectNamed("defender-wsl-plugin");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    emulator.faults.add({ method: "PUT", path: /^blob\//, times: 1000, kind: "reset" });
    const failure = await host.create(urn, checked.inputs).then(
      () => undefined,
      (e: Error & { metadata?: { get(key: string): unknown[] } }) => e,
    );
    expect(failure?.message).toMatch(
      /created but not fully set up: app 'Microsoft Defender for Endpoint plug-in for WSL' \(policy defender-wsl-plugin\) \([0-9a-f-]{36}\): uploading block 1 of 1: storage did not answer after 8 attempts/,
    );
    const owned = managed(COLLECTIONS.mobileApps, "defender-wsl-plugin");
    expect(owned).toHaveLength(1);
    expect(owned[0]!.assignments).toEqual([]);
    const details = failure?.metadata?.get("grpc-status-details-bin") ?? [];
    const initFailed = initFailure(details[0] as Buffer);
    expect(initFailed.id).toBe(String(owned[0]!.id));
    // The engine keeps these properties as the resource's state; the next `up` updates from them.
    expect(initFailed.properties.__provider).toBe(checked.inputs.__provider);
    emulator.faults.clear();
    await host.update(urn, initFailed.id, initFailed.properties, checked.inputs);
    const app = emulator.state.get(COLLECTIONS.mobileApps, initFailed.id)!;
    expect(app).toMatchObject({ publishingState: "published", committedContentVersion: "1" });
    expect((app.assignments as unknown[]).length).toBe(3);
    await host.delete(urn, initFailed.id, initFailed.properties);
    expect(managed(COLLECTIONS.mobileApps, "defender-wsl-plugin")).toEqual([]);
  });
});

describe("faults", () => {
  it("a 504 after a committed create leaves exactly one object, and the create succeeds", async () => {
    const obj = objectNamed("wsl-developers");
    const urn = urnOf(obj);
    emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "504-after-commit" });
    const created = await host.create(urn, (await host.check(urn, {}, news(obj))).inputs);
    expect(managed(COLLECTIONS.configurationPolicies, "wsl-developers").map((o) => o.id)).toEqual([created.id]);
    expect(emulator.log.count({ method: "POST", path: COLLECTIONS.configurationPolicies })).toBe(1);
  });

  it("a run killed after the create committed converges on the next run: the object is adopted, not twinned", async () => {
    const obj = objectNamed("wsl-developers");
    const urn = urnOf(obj);
    const inputs = (await host.check(urn, {}, news(obj))).inputs;
    // The assignment call fails; the engine dies before recording anything (no state for this resource).
    emulator.faults.add({ method: "POST", path: /configurationPolicies\/[^/]+\/assign$/, kind: "500", times: 10 });
    await expect(host.create(urn, inputs)).rejects.toThrow(/created but not fully set up/);
    host.kill();
    expect(managed(COLLECTIONS.configurationPolicies, "wsl-developers")).toHaveLength(1);
    emulator.faults.clear();

    // The next `pulumi up` has no state for it and creates again: the marker finds the first object.
    host = await newHost();
    const again = await host.create(urn, inputs);
    expect(again.properties.adopted).toBe(true);
    const owned = managed(COLLECTIONS.configurationPolicies, "wsl-developers");
    expect(owned.map((o) => o.id)).toEqual([again.id]);
    expect((owned[0]!.assignments as unknown[]).length).toBe(Object.keys(inputs.assignments as object).length);
    expect(
      (await host.diff(urn, again.id, (await host.read(urn, again.id, again.properties)).properties, inputs)).changes,
    ).toBe("none");
  });

  it("adopts the object a policy names by id instead of creating one, and writes the declared document into it", async () => {
    const obj = objectNamed("wsl-off");
    const urn = urnOf(obj);
    const portalMade = emulator.state.addConfigurationPolicy({
      name: "Win - WSL - Off (portal)",
      description: "made by hand",
      platforms: "windows10",
      technologies: "mdm",
      settings: [],
    });
    const inputs = (await host.check(urn, {}, { ...news(obj), adoptId: String(portalMade.id) })).inputs;
    const created = await host.create(urn, inputs);
    expect(created).toMatchObject({ id: String(portalMade.id), properties: { adopted: true } });
    expect(emulator.state.list(COLLECTIONS.configurationPolicies)).toHaveLength(1);
    const adopted = emulator.state.get(COLLECTIONS.configurationPolicies, String(portalMade.id))!;
    expect(isOwnedBy(String(adopted.description), STACK, "wsl-off")).toBe(true);
  });
});
