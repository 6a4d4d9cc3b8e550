// `pulumi preview`, `up`, `refresh` and `destroy` of this repository's Pulumi project, run the way the CLI
// runs them: the program starts from Pulumi.yaml through @pulumi/pulumi/cmd/run, the dynamic resources go
// through the real dynamic-provider host, state is kept between runs (engine.ts; the azuread plugin is
// stood in for, azuread-standin.ts). Against the emulator seeded with the demo tenant (seeds/demo-tenant.json).
//
// The whole example organisation, the two Win32 apps included: `up` packs and uploads their stand-in
// MSIs before assigning them (Graph assigns only published apps).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../src/emulator";
import type { GraphClient } from "../../../src/graph";
import { COLLECTIONS, isOwnedBy, type TenantSnapshot } from "../../../src/model";
import { runningEmulatorClient } from "../../../src/tenant/connect";
import { destroy, preview, readState, refresh, up, type EngineOptions, type RunResult, type Step } from "./engine";
import { resolveProject } from "./project";

const ROOT = path.resolve(__dirname, "../../..");
const STACK = "local";
const DEMO_SEED = JSON.parse(readFileSync(path.join(ROOT, "seeds", "demo-tenant.json"), "utf8")) as TenantSnapshot;
const DYNAMIC = "pulumi-nodejs:dynamic/wslpolicy:";
const GROUP = "azuread:index/group:Group";

// Each spec runs the program and the provider host several times (≈ 3 s a run on an idle 2-core machine):
// more than the suite's default timeout when the machine is busy.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

let emulator: RunningEmulator;
let graph: GraphClient;
let work: string;
let policies: string;

/** A copy of the example policies/ without some files, in a temporary directory the stack points at. */
function policiesWithout(...files: string[]): string {
  const dir = path.join(work, `policies-${Math.random().toString(36).slice(2)}`);
  cpSync(path.join(ROOT, "policies"), dir, { recursive: true });
  for (const f of files) rmSync(path.join(dir, f));
  return dir;
}

function options(overrides: { policies?: string } = {}): EngineOptions {
  const env = {
    PATH: process.env.PATH,
    WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
  };
  return {
    launch: resolveProject(ROOT),
    stack: STACK,
    env,
    // what `pulumi config set wslpolicy:graphEndpoint …` does for the local stack (README)
    config: {
      "wslpolicy:graphEndpoint": emulator.baseUrl,
      ...(overrides.policies ? { "wslpolicy:policies": overrides.policies } : {}),
    },
    statePath: path.join(work, "state.json"),
    graph,
  };
}

const ops = (result: RunResult, op: Step["op"]) =>
  result.steps
    .filter((s) => s.op === op)
    .map((s) => s.urn.split("::").slice(-2).join("::"))
    .sort();
const writes = () => emulator.log.writes().length;
const ok = (result: RunResult) =>
  expect(result.error ?? "", result.log.filter((l) => l.startsWith("error") || l.startsWith("stderr")).join("\n")).toBe(
    "",
  );
const managed = (collection: string) =>
  emulator.state
    .list(collection)
    .filter((o) =>
      isOwnedBy(
        o.description as string | undefined,
        STACK,
        String((o.description as string).match(/\/([a-z0-9-]+)\]$/)?.[1]),
      ),
    );
const groupsNamed = (name: string) => emulator.state.list(COLLECTIONS.groups).filter((g) => g.displayName === name);
const stateOf = (name: string) => readState(path.join(work, "state.json")).find((r) => r.urn.endsWith(`::${name}`));

beforeEach(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-engine-"));
  emulator = await startEmulator({ seed: DEMO_SEED, timeScale: 0.01 });
  const env = {
    WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
  };
  graph = runningEmulatorClient(emulator.baseUrl, env, { where: "the engine stand-in" });
  policies = policiesWithout();
});

afterEach(async () => {
  await graph.close();
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("pulumi preview of a fresh stack", () => {
  it("runs the program Pulumi.yaml names and shows every ring group and Intune object as a create, writing nothing", async () => {
    const launch = resolveProject(ROOT);
    // A file main: the program's directory is the working directory, the file its entry point.
    expect({ pwd: launch.pwd, entryPoint: launch.entryPoint }).toEqual({
      pwd: path.join(ROOT, "stacks"),
      entryPoint: "index.ts",
    });
    const before = writes();
    const result = await preview(options());
    ok(result);
    // The whole example organisation, Defender plug-in included: a preview uploads and assigns nothing.
    expect(ops(result, "create")).toEqual(
      [
        `${GROUP}::ring-all-developers`,
        `${GROUP}::ring-early-adopters`,
        `${GROUP}::ring-pilot`,
        `${DYNAMIC}CompliancePolicy::wsl-approved-distros`,
        `${DYNAMIC}ConfigurationPolicy::wsl-developers`,
        `${DYNAMIC}ConfigurationPolicy::wsl-hyperv-firewall`,
        `${DYNAMIC}ConfigurationPolicy::wsl-off`,
        `${DYNAMIC}MobileApp::defender-wsl-plugin`,
        `${DYNAMIC}MobileApp::intune-wsl-plugin`,
        "pulumi:providers:azuread::azuread",
      ].sort(),
    );
    expect(writes()).toBe(before);
    expect(readState(path.join(work, "state.json"))).toEqual([]);
  });

  it("configures the azuread provider with the stack's cloud", async () => {
    ok(await up(options({ policies })));
    expect(stateOf("azuread")?.inputs).toMatchObject({ environment: "global" });
  });
});

describe("pulumi up", () => {
  it("creates every object and ring once; a second preview shows no changes and writes nothing", async () => {
    const result = await up(options({ policies }));
    ok(result);
    for (const ring of ["WSL Ring 1 - Pilot", "WSL Ring 2 - Early adopters", "WSL Ring 3 - All developers"])
      expect(groupsNamed(ring), ring).toHaveLength(1);
    const policyIds = managed(COLLECTIONS.configurationPolicies).map(
      (p) => String(p.description).match(/\/([a-z0-9-]+)\]$/)?.[1],
    );
    // wsl-off existed with this stack's marker (drifted in the portal) and was adopted, not duplicated;
    // wsl-legacy-pilot is marked but not in this stack's state: Pulumi leaves it alone.
    expect(policyIds.sort()).toEqual(["wsl-developers", "wsl-hyperv-firewall", "wsl-legacy-pilot", "wsl-off"]);
    expect(managed(COLLECTIONS.compliancePolicies)).toHaveLength(1);
    // Both plug-in apps got their content uploaded and published before they were assigned (Graph refuses
    // to assign an unpublished app); the last Defender ring waits for its gate, so 2 of 3 rings are assigned.
    const apps = new Map(managed(COLLECTIONS.mobileApps).map((a) => [String(a.displayName), a]));
    expect([...apps.keys()].sort()).toEqual(["Intune WSL Plugin", "Microsoft Defender for Endpoint plug-in for WSL"]);
    for (const app of apps.values())
      expect(app).toMatchObject({ publishingState: "published", committedContentVersion: "1" });
    expect((apps.get("Microsoft Defender for Endpoint plug-in for WSL")!.assignments as unknown[]).length).toBe(2);
    expect((apps.get("Intune WSL Plugin")!.assignments as unknown[]).length).toBe(3);
    // assignments name the groups the run created
    const ring1 = groupsNamed("WSL Ring 1 - Pilot")[0]!.id as string;
    const developers = managed(COLLECTIONS.configurationPolicies).find((p) =>
      String(p.description).endsWith("/wsl-developers]"),
    )!;
    expect(JSON.stringify(developers.assignments)).toContain(ring1);

    const before = writes();
    const again = await preview(options({ policies }));
    ok(again);
    expect(again.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(writes()).toBe(before);
  });

  it("after a portal edit: refresh shows it, up repairs it, and the next preview is clean", async () => {
    ok(await up(options({ policies })));
    const id = stateOf("wsl-developers")!.id;
    emulator.state.updateConfigurationPolicy(id, (p) => {
      p.name = "WSL developers (edited in the portal)";
    });
    const refreshed = await refresh(options({ policies }));
    ok(refreshed);
    expect(ops(refreshed, "refresh")).toEqual([`${DYNAMIC}ConfigurationPolicy::wsl-developers`]);
    const repaired = await up(options({ policies }));
    ok(repaired);
    expect(ops(repaired, "update")).toEqual([`${DYNAMIC}ConfigurationPolicy::wsl-developers`]);
    expect(emulator.state.get(COLLECTIONS.configurationPolicies, id)!.name).not.toMatch(/edited in the portal/);
    expect((await preview(options({ policies }))).steps.filter((s) => s.op !== "same")).toEqual([]);
  });

  it("previews a ring added to a policy while the new group's id is unknown", async () => {
    ok(await up(options({ policies })));
    const file = path.join(policies, "wsl-developers.ts");
    const source = readFileSync(file, "utf8");
    const contractors = `ring({ key: "contractors", name: "WSL Ring 4 - Contractors", rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:CONTRACT")' })`;
    writeFileSync(
      file,
      source
        .replace('import { group, wslPolicy } from "wslpolicy";', 'import { group, ring, wslPolicy } from "wslpolicy";')
        .replace("include: wslRings,", `include: [...wslRings, ${contractors}],`),
    );
    const result = await preview(options({ policies }));
    ok(result);
    expect(ops(result, "create")).toEqual([`${GROUP}::ring-contractors`]);
    expect(ops(result, "update")).toEqual([`${DYNAMIC}ConfigurationPolicy::wsl-developers`]);
  });

  it("deletes the object of a removed policy file, and nothing else", async () => {
    ok(await up(options({ policies })));
    const firewall = stateOf("wsl-hyperv-firewall")!.id;
    const others = emulator.state
      .list(COLLECTIONS.configurationPolicies)
      .map((p) => p.id)
      .filter((id) => id !== firewall);
    rmSync(path.join(policies, "wsl-hyperv-firewall.ts"));
    const result = await up(options({ policies }));
    ok(result);
    expect(ops(result, "delete")).toEqual([`${DYNAMIC}ConfigurationPolicy::wsl-hyperv-firewall`]);
    expect(emulator.state.get(COLLECTIONS.configurationPolicies, firewall)).toBeUndefined();
    expect(
      emulator.state
        .list(COLLECTIONS.configurationPolicies)
        .map((p) => p.id)
        .sort(),
    ).toEqual(others.sort());
  });
});

describe("ring groups", () => {
  const ringsFile = () => path.join(policies, "rings.ts");
  const editRings = (edit: (source: string) => string) =>
    writeFileSync(ringsFile(), edit(readFileSync(ringsFile(), "utf8")));

  it("switches a ring from assigned members to a dynamic rule by deleting the old group first (preventDuplicateNames)", async () => {
    ok(await up(options({ policies })));
    const oldId = groupsNamed("WSL Ring 1 - Pilot")[0]!.id as string;
    editRings((src) =>
      src.replace(/members: \[[^\]]*\],/, `rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:PILOT")',`),
    );
    const result = await up(options({ policies }));
    ok(result);
    expect(ops(result, "replace")).toEqual([`${GROUP}::ring-pilot`]);
    const pilot = groupsNamed("WSL Ring 1 - Pilot");
    expect(pilot).toHaveLength(1);
    expect(pilot[0]).toMatchObject({ groupTypes: ["DynamicMembership"] });
    expect(pilot[0]!.id).not.toBe(oldId);
    // the policies that target the ring now assign the new group
    const developers = emulator.state.get(COLLECTIONS.configurationPolicies, stateOf("wsl-developers")!.id)!;
    expect(JSON.stringify(developers.assignments)).toContain(String(pilot[0]!.id));
    expect(JSON.stringify(developers.assignments)).not.toContain(oldId);
  });

  it("renames a ring that has a key in place: same group, new display name", async () => {
    ok(await up(options({ policies })));
    const id = groupsNamed("WSL Ring 2 - Early adopters")[0]!.id;
    editRings((src) => src.replace('name: "WSL Ring 2 - Early adopters"', 'name: "WSL Ring 2 - Early birds"'));
    const planned = await preview(options({ policies }));
    ok(planned);
    expect(ops(planned, "update")).toContain(`${GROUP}::ring-early-adopters`);
    expect([...ops(planned, "create"), ...ops(planned, "replace"), ...ops(planned, "delete")]).toEqual([]);
    ok(await up(options({ policies })));
    expect(groupsNamed("WSL Ring 2 - Early birds").map((g) => g.id)).toEqual([id]);
  });

  it("keeps the groups of a stack made before rings had keys (aliases from the name-derived resource names)", async () => {
    editRings((src) => src.replace(/^\s*key: "[a-z-]+",\n/gm, ""));
    ok(await up(options({ policies })));
    expect(stateOf("ring-wsl-ring-1-pilot")).toBeDefined();
    const ids = ["WSL Ring 1 - Pilot", "WSL Ring 2 - Early adopters", "WSL Ring 3 - All developers"].map(
      (n) => groupsNamed(n)[0]!.id,
    );
    cpSync(path.join(ROOT, "policies", "rings.ts"), ringsFile());
    const result = await up(options({ policies }));
    ok(result);
    expect([...ops(result, "create"), ...ops(result, "replace"), ...ops(result, "delete")]).toEqual([]);
    expect(
      ["WSL Ring 1 - Pilot", "WSL Ring 2 - Early adopters", "WSL Ring 3 - All developers"].map(
        (n) => groupsNamed(n)[0]!.id,
      ),
    ).toEqual(ids);
    expect(stateOf("ring-pilot")).toBeDefined();
    expect(stateOf("ring-wsl-ring-1-pilot")).toBeUndefined();
  });
});

describe("eventual consistency (the emulator's eventual-404)", () => {
  it("create: a 504 after a committed POST plus a long run of 404s by id makes no twin", async () => {
    emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "504-after-commit" });
    emulator.faults.add({ method: "POST", path: COLLECTIONS.configurationPolicies, kind: "eventual-404", reads: 20 });
    ok(await up(options({ policies })));
    const ids = managed(COLLECTIONS.configurationPolicies).map(
      (p) => String(p.description).match(/\/([a-z0-9-]+)\]$/)?.[1],
    );
    expect(ids.sort()).toEqual(["wsl-developers", "wsl-hyperv-firewall", "wsl-legacy-pilot", "wsl-off"]);
    expect((await preview(options({ policies }))).steps.filter((s) => s.op !== "same")).toEqual([]);
  });

  it("refresh: an object that 404s for a while is still there, not dropped from state", async () => {
    ok(await up(options({ policies })));
    const id = stateOf("wsl-developers")!.id;
    emulator.state.hideFromReads(id, 6);
    const result = await refresh(options({ policies }));
    ok(result);
    expect(ops(result, "refresh-delete")).toEqual([]);
    expect(stateOf("wsl-developers")?.id).toBe(id);
  });

  it("update: a portal edit is repaired although the first reads by id 404", async () => {
    ok(await up(options({ policies })));
    const id = stateOf("wsl-developers")!.id;
    emulator.state.updateConfigurationPolicy(id, (p) => {
      p.name = "edited in the portal";
    });
    ok(await refresh(options({ policies })));
    emulator.state.hideFromReads(id, 6);
    ok(await up(options({ policies })));
    expect(emulator.state.get(COLLECTIONS.configurationPolicies, id)!.name).not.toBe("edited in the portal");
  });

  it("delete: a 404 on the check before DELETE does not leave the object behind", async () => {
    ok(await up(options({ policies })));
    const id = stateOf("wsl-hyperv-firewall")!.id;
    emulator.state.hideFromReads(id, 6);
    ok(await destroy(options({ policies })));
    expect(emulator.state.get(COLLECTIONS.configurationPolicies, id)).toBeUndefined();
  });
});

describe("pulumi destroy", () => {
  it("deletes everything the stack manages, dependents before the groups they target, and nothing else", async () => {
    ok(await up(options({ policies })));
    const state = readState(path.join(work, "state.json"));
    const inState = new Set(state.map((r) => r.id));
    const untouched = (snapshot: TenantSnapshot) =>
      [COLLECTIONS.configurationPolicies, COLLECTIONS.compliancePolicies, COLLECTIONS.mobileApps, COLLECTIONS.groups]
        .flatMap((c) => (snapshot[c] as { id: string }[]).map((o) => o.id))
        .filter((id) => !inState.has(id))
        .sort();
    const before = untouched(emulator.state.snapshot());
    const result = await destroy(options({ policies }));
    ok(result);
    const order = result.steps.map((s) => s.urn);
    // Every resource goes before each resource it depends on: an Intune object before the ring groups its
    // assignments target (the Defender app does not target the ring its gate holds back, so that group may
    // go first), and the azuread provider last.
    const edges = state.flatMap((r) => r.dependencies.map((d) => [r.urn, d] as const));
    expect(edges.filter(([, d]) => d.includes(`::${GROUP}::`)).length).toBeGreaterThan(0);
    for (const [dependent, dependency] of edges)
      expect(order.indexOf(dependent), `${dependent} before ${dependency}`).toBeLessThan(order.indexOf(dependency));
    expect(order.at(-1)!.split("::").slice(-2)[0]).toBe("pulumi:providers:azuread");
    for (const id of inState) {
      for (const c of [COLLECTIONS.configurationPolicies, COLLECTIONS.compliancePolicies, COLLECTIONS.groups])
        expect(emulator.state.get(c, id)).toBeUndefined();
    }
    expect(untouched(emulator.state.snapshot())).toEqual(before);
    expect(readState(path.join(work, "state.json"))).toEqual([]);
  });
});
