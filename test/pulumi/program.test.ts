// The Pulumi program (stacks/index.ts) under pulumi.runtime.setMocks: no engine, no plugins; every
// registered resource, name, type and dependency, the lookups and the stack outputs (https://www.pulumi.com/docs/iac/guides/testing/unit/).
import path from "node:path";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { resourceTypeToken } from "../../src/pulumi/resource-inputs";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
/** What the engine would be told about each registration: its parent and the URNs it depends on. */
const wiring = new Map<string, { parent: string; dependencies: string[] }>();

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
/** Wraps the mock monitor's RegisterResource to see the request as the engine would (setMocks hides it). */
function recordWiring() {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    wiring.set(`${req.getType()}::${req.getName()}`, {
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
    });
    return original(req, cb);
  };
}
const lookups: Record<string, unknown>[] = [];
const groupIdOf = (name: string) => {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

let outputs: Record<string, unknown>;
const val = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => (resolve(v), v)));

// Credentials present in the environment of the run, as in CI: none of them may reach an input.
const SECRETS: Record<string, string> = { AZURE_CLIENT_SECRET: "client-secret-value-1234" };
// The program reads the tenant for the rollout's ring gates (src/pulumi/rollout-gates.ts): an emulator.
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  SECRETS.WSLPOLICY_EMULATOR_TOKEN = emulator.issueToken();
  Object.assign(process.env, SECRETS, {
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
  });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const id =
          args.type === "azuread:index/group:Group" ? groupIdOf(String(args.inputs.displayName)) : `${args.name}-id`;
        return { id, state: { ...args.inputs, objectId: id } };
      },
      call(args) {
        lookups.push(args.inputs as Record<string, unknown>);
        const name = (args.inputs.displayName as string | undefined) ?? (args.inputs.objectId as string);
        return { objectId: args.inputs.objectId ?? groupIdOf(name), displayName: name };
      },
    },
    "wslpolicy",
    "ci",
  );
  recordWiring();
  pulumi.runtime.setAllConfig({
    "wslpolicy:tenant": "emulator",
    "wslpolicy:graphEndpoint": emulator.baseUrl,
    "wslpolicy:guardrails": '{"wsl1-not-disabled":"error"}',
  });
  // Imported after setMocks, as https://www.pulumi.com/docs/iac/guides/testing/unit/ prescribes (the program registers resources when it runs).
  const run = (await import("../../stacks/index.js")).default as unknown as () => Promise<Record<string, unknown>>;
  const raw = await run();
  outputs = {};
  for (const [k, v] of Object.entries(raw))
    outputs[k] = pulumi.Output.isInstance(v) ? await val(v as pulumi.Output<unknown>) : v;
  // Every registration must have reached the mocks before the specs look: wait for the runtime's RPC
  // queue to drain (a fixed sleep raced on a loaded machine). Nothing registers after this point.
  await pulumi.runtime.disconnect();
});

afterAll(async () => emulator.stop());

describe("stacks/index.ts", () => {
  it("declares the three rings as security groups with the marker, assigned or dynamic membership", () => {
    const groups = registered.filter((r) => r.type === "azuread:index/group:Group");
    // named by the rings' keys, so a display-name change never recreates a group
    expect(groups.map((g) => g.name).sort()).toEqual(["ring-all-developers", "ring-early-adopters", "ring-pilot"]);
    const pilot = groups.find((g) => g.name === "ring-pilot")!.inputs;
    expect(pilot).toMatchObject({
      displayName: "WSL Ring 1 - Pilot",
      securityEnabled: true,
      mailEnabled: false,
      mailNickname: "pilot",
    });
    expect(pilot.members).toHaveLength(3);
    expect(pilot.types).toBeUndefined();
    expect(String(pilot.description)).toMatch(/\[wslpolicy:ci\/ring-pilot\]$/);
    const early = groups.find((g) => g.name === "ring-early-adopters")!.inputs;
    expect(early).toMatchObject({
      types: ["DynamicMembership"],
      dynamicMembership: { enabled: true, rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:WSL-EARLY")' },
    });
    expect(early.members).toBeUndefined();
  });

  it("looks existing groups up by name (security groups), never creating them", () => {
    expect(lookups.map((l) => l.displayName).sort()).toEqual([
      "All Windows Workstations",
      "Developer Workstations",
      "Kiosk Devices",
    ]);
    expect(lookups.every((l) => l.securityEnabled === true)).toBe(true);
  });

  it("declares one Intune resource per compiled object, named by policy id, with the right type token", () => {
    const intune = registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/wslpolicy:"));
    expect(intune.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        `${resourceTypeToken("mobileApp")} defender-wsl-plugin`,
        `${resourceTypeToken("mobileApp")} intune-wsl-plugin`,
        `${resourceTypeToken("compliancePolicy")} wsl-approved-distros`,
        `${resourceTypeToken("configurationPolicy")} wsl-developers`,
        `${resourceTypeToken("configurationPolicy")} wsl-hyperv-firewall`,
        `${resourceTypeToken("configurationPolicy")} wsl-off`,
      ].sort(),
    );
    for (const r of intune) {
      expect(r.inputs).toMatchObject({
        stack: "ci",
        tenant: "emulator",
        cloud: "global",
        graphEndpoint: emulator.baseUrl,
      });
      expect(typeof r.inputs.__provider).toBe("string");
    }
    // The apps name their MSI by absolute path and pinned hash, for the provider to upload.
    const app = intune.find((r) => r.name === "defender-wsl-plugin")!;
    expect(app.inputs.content).toEqual({
      msi: path.resolve(__dirname, "../../policies/packages/stand-in-DefenderPlugin-x64-1.24.522.2.msi"),
      sha256: "4efcb831ca6777645d983b3ac1e129c4011cb4cd2659c6645c620cb0eceb58a5",
    });
  });

  it("declares no assignment for a ring whose health gate is closed, as plan shows it", () => {
    const app = registered.find((r) => r.name === "defender-wsl-plugin")!.inputs.assignments as Record<
      string,
      { target: { groupId?: string } }
    >;
    expect(
      Object.values(app)
        .map((a) => a.target.groupId)
        .sort(),
    ).toEqual([groupIdOf("WSL Ring 1 - Pilot"), groupIdOf("WSL Ring 2 - Early adopters")].sort());
  });

  it("resolves assignments to the ring groups' ids and the looked-up groups' ids", () => {
    const off = registered.find((r) => r.name === "wsl-off")!.inputs.assignments as Record<
      string,
      { target: { groupId?: string } }
    >;
    const keys = Object.keys(off);
    expect(keys).toContain(`include|group:${groupIdOf("All Windows Workstations")}`);
    expect(keys).toContain(`exclude|group:${groupIdOf("Developer Workstations")}`);
    expect(keys).toContain(`exclude|group:${groupIdOf("WSL Ring 1 - Pilot")}`);
    expect(keys).toHaveLength(5);
  });

  it("makes every Intune object depend on the ring groups it targets, and nothing on objects", () => {
    const ringUrn = (name: string) => `urn:pulumi:ci::wslpolicy::azuread:index/group:Group::${name}`;
    const rings = ["ring-all-developers", "ring-early-adopters", "ring-pilot"].map(ringUrn);
    const deps = (name: string) => {
      const r = registered.find((x) => x.name === name)!;
      return [...(wiring.get(`${r.type}::${name}`)?.dependencies ?? [])].sort();
    };
    for (const name of [
      "wsl-developers",
      "wsl-off",
      "wsl-hyperv-firewall",
      "wsl-approved-distros",
      "intune-wsl-plugin",
    ]) {
      expect(deps(name), name).toEqual(rings);
    }
    // The rollout's last ring waits for its gate, so the app neither targets nor depends on that group.
    expect(deps("defender-wsl-plugin")).toEqual(["ring-early-adopters", "ring-pilot"].map(ringUrn));
    for (const ring of registered.filter((r) => r.type === "azuread:index/group:Group"))
      expect(deps(ring.name)).toEqual([]);
  });

  it("registers every resource at the top level (no explicit parent: the engine parents them to the stack)", () => {
    expect(wiring.size).toBe(registered.length);
    for (const [key, w] of wiring) expect(w.parent, key).toBe("");
  });

  it("exports the ids of every managed group and object", () => {
    expect(outputs.ringGroupIds).toEqual({
      "WSL Ring 1 - Pilot": groupIdOf("WSL Ring 1 - Pilot"),
      "WSL Ring 2 - Early adopters": groupIdOf("WSL Ring 2 - Early adopters"),
      "WSL Ring 3 - All developers": groupIdOf("WSL Ring 3 - All developers"),
    });
    expect(Object.keys(outputs.objectIds as object).sort()).toEqual([
      "defender-wsl-plugin",
      "intune-wsl-plugin",
      "wsl-approved-distros",
      "wsl-developers",
      "wsl-hyperv-firewall",
      "wsl-off",
    ]);
    expect((outputs.objectIds as Record<string, string>)["wsl-off"]).toBe("wsl-off-id");
  });

  it("puts no credential or token in any input", () => {
    const text = JSON.stringify(registered.map((r) => r.inputs));
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
      }
    };
    registered.forEach((r) => walk(r.inputs));
    expect([...keys].filter((k) => /secret|token|credential|clientid|authorization/i.test(k))).toEqual([]);
  });
});
