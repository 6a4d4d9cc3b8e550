// `wslpolicy plan` and `pulumi preview` must agree on what "no change" and "a change" mean (README: "One
// canonical normaliser is shared by plan, drift, the provider's diff/read and import"). Every example
// policy is written through the real writer into the emulator; then, for a clean tenant and for a set of
// portal edits, plan (computePlan over a readTenant snapshot) and the provider (read as `refresh` does,
// then diff against the program's inputs, as `preview --refresh` does) must give the same verdict per
// object: changed or not, replaced or not, and the same setting paths, fields and assignments.
import { isDeepStrictEqual } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { directoryFrom } from "../../src/intune";
import { diffObject } from "../../src/diff/diff-object";
import { computePlan } from "../../src/diff/plan";
import type { ObjectChange } from "../../src/diff/plan-schema";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { KINDS } from "../../src/kinds";
import { type DesiredObject, type DesiredState, type TenantSnapshot } from "../../src/model";
import { operations } from "../../src/pulumi";
import { EMULATOR_CA_ENV, EMULATOR_TOKEN_ENV, readObject, readTenant } from "../../src/tenant";
import { applyAll, clientFor } from "../diff/emulator-tenant";
import { compiledExamples, RING_GROUP_IDS, resourceInputs, seedWithGroups } from "./harness/fixtures";

const STACK = "ci";
type Json = Record<string, unknown>;
type Instance = {
  settingDefinitionId: string;
  choiceSettingValue?: { value: string; children?: Instance[] };
  groupSettingCollectionValue?: { children: Instance[] }[];
  simpleSettingCollectionValue?: { value: string }[];
};

let desired: DesiredState;
let applied: { snapshot: TenantSnapshot; ids: Map<string, string> };
let emulator: RunningEmulator | undefined;
const savedEnv = { token: process.env[EMULATOR_TOKEN_ENV], ca: process.env[EMULATOR_CA_ENV] };

beforeAll(async () => {
  desired = await compiledExamples(STACK);
  const seed = seedWithGroups();
  const e = await startEmulator({ seed, throttling: { enabled: false } });
  const graph = clientFor(e);
  try {
    // the real write path (src/tenant/writer.ts createObject + assignObject), as an apply does
    const ids = await applyAll(graph, desired, seed, e);
    applied = { snapshot: e.state.snapshot(), ids };
  } finally {
    await graph.close();
    await e.stop();
  }
});

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

afterAll(() => {
  for (const [name, value] of [
    [EMULATOR_TOKEN_ENV, savedEnv.token],
    [EMULATOR_CA_ENV, savedEnv.ca],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** A tenant exactly as applied, with the provider's environment pointing at it. */
async function freshTenant(): Promise<RunningEmulator> {
  emulator = await startEmulator({ seed: applied.snapshot, throttling: { enabled: false } });
  process.env[EMULATOR_TOKEN_ENV] = emulator.issueToken();
  process.env[EMULATOR_CA_ENV] = emulator.caFile;
  return emulator;
}

const objectNamed = (policyId: string): DesiredObject => desired.objects.find((o) => o.policyId === policyId)!;
const idOf = (policyId: string): string => applied.ids.get(policyId)!;

/** A verdict both sides can be put in, with paths spelt the provider's way (input property paths). */
interface Verdict {
  changed: boolean;
  replaced: boolean;
  paths: string[];
}

function planVerdict(change: ObjectChange): Verdict {
  const documentKey = (field: string) =>
    field === "name" && change.kind !== "configurationPolicy" ? "displayName" : field;
  const paths = [
    ...change.replacePaths.map((p) => `document.${p}`),
    ...change.metadata.map((m) => `document.${documentKey(m.field)}`),
    ...change.settings.map((s) => `document.settings[${JSON.stringify(s.path)}]`),
    ...change.properties.map((p) => `document.${p.field}`),
    ...change.assignments.map((a) => `assignments[${JSON.stringify(a.key)}]`),
  ];
  return {
    changed: change.action !== "unchanged",
    replaced: change.action === "replace",
    paths: [...new Set(paths)].sort(),
  };
}

function providerVerdict(diff: operations.ProviderDiff): Verdict {
  return { changed: diff.changes, replaced: diff.replaces.length > 0, paths: Object.keys(diff.detailedDiff).sort() };
}

/** Plan over a fresh readTenant snapshot, and per object the provider's read (refresh) then diff (preview). */
async function bothSides(e: RunningEmulator): Promise<{ plan: Map<string, Verdict>; provider: Map<string, Verdict> }> {
  const graph = clientFor(e);
  try {
    const live = await readTenant(graph);
    const planned = computePlan({
      desired,
      live,
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
    });
    expect(planned.errors).toEqual([]);
    const plan = new Map(planned.changes.map((c) => [c.policyId!, planVerdict(c)]));

    const provider = new Map<string, Verdict>();
    for (const obj of desired.objects) {
      const inputs = resourceInputs(obj, STACK, e.baseUrl);
      const checked = await operations.check(obj.kind, {}, inputs);
      expect(checked.failures).toBeUndefined();
      const stored = { ...checked.inputs!, adopted: false };
      const refreshed = await operations.read(obj.kind, idOf(obj.policyId), stored);
      expect(refreshed.id).toBe(idOf(obj.policyId));
      const verdict = providerVerdict(
        await operations.diff(obj.kind, idOf(obj.policyId), refreshed.props!, checked.inputs!),
      );
      // The engine also compares the refreshed state with the stored one itself (`refresh`, `preview --diff`):
      // that raw comparison must see a change exactly where the diff does, not representation noise.
      expect({ policyId: obj.policyId, stateChanged: !isDeepStrictEqual(refreshed.inputs, checked.inputs) }).toEqual({
        policyId: obj.policyId,
        stateChanged: verdict.changed,
      });
      expect(isDeepStrictEqual(refreshed.props, stored)).toBe(!verdict.changed);
      provider.set(obj.policyId, verdict);
    }
    return { plan, provider };
  } finally {
    await graph.close();
  }
}

async function expectAgreement(e: RunningEmulator): Promise<Map<string, Verdict>> {
  const { plan, provider } = await bothSides(e);
  expect([...provider.keys()].sort()).toEqual([...plan.keys()].sort());
  for (const [policyId, verdict] of plan)
    expect({ policyId, ...provider.get(policyId) }).toEqual({ policyId, ...verdict });
  return plan;
}

/** Every setting instance of a configuration policy, nested children and group entries included. */
function* instances(list: Instance[] | undefined): Generator<Instance> {
  for (const instance of list ?? []) {
    yield instance;
    yield* instances(instance.choiceSettingValue?.children);
    for (const entry of instance.groupSettingCollectionValue ?? []) yield* instances(entry.children);
  }
}

function editSettings(
  e: RunningEmulator,
  policyId: string,
  edit: (top: { settingInstance: Instance }[]) => void,
): void {
  e.state.updateConfigurationPolicy(idOf(policyId), (p) => edit(p.settings as { settingInstance: Instance }[]));
}

function editObject(e: RunningEmulator, obj: DesiredObject, edit: (doc: Json) => void): void {
  const collection = KINDS[obj.kind].collection;
  const doc = structuredClone(e.state.get(collection, idOf(obj.policyId))!) as Json;
  edit(doc);
  e.state.put(collection, doc as never);
}

const changedOnly = (verdicts: Map<string, Verdict>) => Object.fromEntries([...verdicts].filter(([, v]) => v.changed));

describe("plan and the Pulumi provider agree", () => {
  it("right after the apply: every example object, through the writer and read back, is unchanged on both sides", async () => {
    const e = await freshTenant();
    const graph = clientFor(e);
    try {
      const directory = {
        ...directoryFrom(seedWithGroups().groups as { id: string; displayName: string }[]),
        ringIds: new Map(Object.entries(RING_GROUP_IDS)),
      };
      for (const obj of desired.objects) {
        const live = (await readObject(graph, obj.kind, idOf(obj.policyId)))!;
        const change = diffObject(obj, live.document, { directory, stack: STACK });
        expect({ policyId: obj.policyId, action: change.action, diffPaths: change.diffPaths }).toEqual({
          policyId: obj.policyId,
          action: "unchanged",
          diffPaths: [],
        });
      }
    } finally {
      await graph.close();
    }
    const verdicts = await expectAgreement(e);
    expect(verdicts.size).toBe(desired.objects.length);
    expect(changedOnly(verdicts)).toEqual({});
  });

  it("a setting flipped in the portal", async () => {
    const e = await freshTenant();
    editSettings(e, "wsl-developers", (settings) => {
      for (const i of instances(settings.map((s) => s.settingInstance)))
        if (i.settingDefinitionId === settingIds.wsl.allowWsl1)
          i.choiceSettingValue!.value = `${settingIds.wsl.allowWsl1}_1`;
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "wsl-developers": {
        changed: true,
        replaced: false,
        paths: [`document.settings[${JSON.stringify(settingIds.wsl.allowWsl1)}]`],
      },
    });
  });

  it("a setting removed in the portal", async () => {
    const e = await freshTenant();
    editSettings(e, "wsl-off", (settings) => {
      settings.splice(0, 1);
    });
    const changed = changedOnly(await expectAgreement(e));
    expect(Object.keys(changed)).toEqual(["wsl-off"]);
    expect(changed["wsl-off"]!.paths.length).toBeGreaterThan(0);
    expect(changed["wsl-off"]!.paths.every((p) => p.startsWith("document.settings["))).toBe(true);
  });

  it("an assignment added in the portal", async () => {
    const e = await freshTenant();
    e.state.updateConfigurationPolicy(idOf("wsl-off"), (p) => {
      (p.assignments as unknown[]).push({
        id: `${String(p.id)}_adadadad-808e-44e2-905a-0b7873a8a531`,
        source: "direct",
        sourceId: p.id,
        target: {
          "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: "none",
        },
      });
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "wsl-off": { changed: true, replaced: false, paths: ['assignments["include|allDevices"]'] },
    });
  });

  it("a description edited in the portal (marker kept)", async () => {
    const e = await freshTenant();
    const obj = objectNamed("wsl-hyperv-firewall");
    editObject(e, obj, (doc) => {
      doc.description = `Edited by the desktop team.\n\n[wslpolicy:${STACK}/wsl-hyperv-firewall]`;
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "wsl-hyperv-firewall": { changed: true, replaced: false, paths: ["document.description"] },
    });
  });

  it("a compliance distribution changed in the portal", async () => {
    const e = await freshTenant();
    editObject(e, objectNamed("wsl-approved-distros"), (doc) => {
      const distros = doc.wslDistributions as { distribution: string; maximumOSVersion: string | null }[];
      distros.find((d) => d.distribution === "Ubuntu")!.maximumOSVersion = "25.04";
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "wsl-approved-distros": { changed: true, replaced: false, paths: ["document.wslDistributions"] },
    });
  });

  it("a firewall rule's port changed in the portal", async () => {
    const e = await freshTenant();
    let edited = 0;
    editSettings(e, "wsl-hyperv-firewall", (settings) => {
      for (const i of instances(settings.map((s) => s.settingInstance))) {
        const ports = i.simpleSettingCollectionValue;
        if (i.settingDefinitionId === settingIds.hyperVRule.localPortRanges && ports?.[0]?.value === "22") {
          ports[0].value = "2222";
          edited++;
        }
      }
    });
    expect(edited).toBe(1);
    const changed = changedOnly(await expectAgreement(e));
    expect(Object.keys(changed)).toEqual(["wsl-hyperv-firewall"]);
    // the change is named inside the rule it belongs to (group entries keyed by rule name)
    expect(changed["wsl-hyperv-firewall"]).toMatchObject({ changed: true, replaced: false });
    expect(changed["wsl-hyperv-firewall"]!.paths).toHaveLength(1);
    expect(changed["wsl-hyperv-firewall"]!.paths[0]).toMatch(
      /\[WSL SSH from corporate network\]\/.*_localportranges"\]$/,
    );
  });

  it("a change Graph refuses in place (technologies) is a replacement on both sides", async () => {
    const e = await freshTenant();
    e.state.updateConfigurationPolicy(idOf("wsl-off"), (p) => {
      p.technologies = "mdm,microsoftSense";
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "wsl-off": { changed: true, replaced: true, paths: ["document.technologies"] },
    });
  });

  it("the mobile app's live-only server fields are not a change, a renamed app is", async () => {
    const e = await freshTenant();
    const app = objectNamed("defender-wsl-plugin");
    editObject(e, app, (doc) => {
      doc.displayName = `${String(doc.displayName)} (portal)`;
      doc.lastModifiedDateTime = "2030-01-01T00:00:00.0000000Z";
    });
    expect(changedOnly(await expectAgreement(e))).toEqual({
      "defender-wsl-plugin": { changed: true, replaced: false, paths: ["document.displayName"] },
    });
  });
});
