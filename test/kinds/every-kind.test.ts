// Every object kind in src/kinds/ goes the whole way: an example policy of the kind is compiled, written
// to the emulator through the tenant writer (as an apply would), read back with the tenant reader, and
// planned: the plan must say "unchanged". A kind whose descriptor disagrees with its compile, route,
// read or normaliser code (a wrong collection, read query, update method, assign key, server field)
// fails here, named by the kind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { computePlan } from "../../src/diff/plan";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { acceptedRoles } from "../../src/emulator/auth";
import { permissionFor } from "../../src/graph";
import type { GraphClient } from "../../src/graph";
import { KINDS, OBJECT_KINDS, type ObjectKind } from "../../src/kinds";
import { defenderPluginRollout, distroProvisioning, group, wslCompliance, wslPolicy, wslUserSettings } from "../../src";
import { readObject, readTenant } from "../../src/tenant";
import { DEFENDER_MSI, loaded, PACKAGES } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "../diff/emulator-tenant";

const developers = group("Developer Workstations");

/** One example policy per kind: a new kind without one fails to compile here. */
const EXAMPLES: Record<ObjectKind, Record<string, unknown>> = {
  configurationPolicy: wslPolicy({
    id: "kind-configuration",
    displayName: "Kind - configuration policy",
    description: "A settings-catalog policy.",
    wsl: true,
    wsl1: false,
    assignments: { include: [developers] },
  }),
  compliancePolicy: wslCompliance({
    id: "kind-compliance",
    displayName: "Kind - compliance policy",
    description: "A compliance policy.",
    distributions: [{ distribution: "Ubuntu", minimumOSVersion: "22.04" }],
    assignments: { include: [developers] },
  }),
  mobileApp: defenderPluginRollout({
    id: "kind-win32-app",
    displayName: "Kind - Win32 app",
    description: "A Win32 app.",
    package: DEFENDER_MSI,
    rings: [{ target: developers, start: "2027-01-05T08:00:00Z", deadline: "2027-01-07T17:00:00Z" }],
  }),
  deviceManagementScript: distroProvisioning({
    id: "kind-platform-script",
    displayName: "Kind - platform script",
    description: "cloud-init provisioning input.",
    defaultUser: { name: "dev", sshKeys: [] },
    rootLogin: false,
    assignments: { include: [developers] },
  }),
  deviceHealthScript: wslUserSettings({
    id: "kind-remediation",
    displayName: "Kind - remediation",
    description: "User WSL settings.",
    dnsTunneling: true,
    autoProxy: true,
    defaultVersion: 2,
    schedule: { dailyAt: "09:30" },
    assignments: { include: [developers] },
  }),
};

let emulator: RunningEmulator;
let graph: GraphClient;
beforeAll(async () => {
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  graph = clientFor(emulator);
});
afterAll(async () => {
  await graph.close();
  await emulator.stop();
});

describe.each(OBJECT_KINDS)("kind %s", (kind) => {
  it("compiles, is written, reads back and plans as unchanged", async () => {
    // A stack per kind: the other kinds' objects in the same emulator are then not this stack's to delete.
    const STACK = `kind-${kind}`;
    // The compliance policy alone: its Intune WSL plug-in app is a mobileApp, checked as that kind.
    const compiled = compile([loaded(EXAMPLES[kind])], {
      stack: STACK,
      packages: PACKAGES,
      guardrails: { "compliance-without-wsl-plugin": "off" },
    });
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const desired = compiled.desired!;
    expect(desired.objects.map((o) => o.kind)).toEqual([kind]);

    const ids = await applyAll(graph, desired, groupsSeed(), emulator);
    const id = ids.get(desired.objects[0]!.policyId)!;
    const live = await readObject(graph, kind, id, { expectExists: true });
    expect(live?.document.description).toMatch(new RegExp(`\\[wslpolicy:${STACK}/`));

    const snapshot = await readTenant(graph);
    expect(snapshot[KINDS[kind].collection as keyof typeof snapshot]).toEqual(
      expect.arrayContaining([expect.objectContaining({ id })]),
    );
    const plan = computePlan({
      desired,
      live: snapshot,
      tenant: { kind: "emulator", label: "emulator", tenantId: null, endpoint: null },
    });
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => [c.key, c.action])).toEqual([
      [`${kind}/${desired.objects[0]!.policyId}`, "unchanged"],
    ]);
  });

  it("names the least-privileged permissions the emulator's role matrix accepts for its area, and a 403 names them", () => {
    const spec = KINDS[kind];
    expect([spec.permissions.read, spec.permissions.write]).toEqual([
      acceptedRoles(spec.permissionArea, false)[0],
      acceptedRoles(spec.permissionArea, true)[0],
    ]);
    expect([
      permissionFor("GET", `/beta/${spec.collection}?$top=1`),
      permissionFor("POST", `${spec.collection}/x/assign`),
    ]).toEqual([spec.permissions.read, spec.permissions.write]);
  });
});
