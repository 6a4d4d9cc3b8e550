// Shared fixtures of the Pulumi tests: the example policies compiled for a stack, the ring groups seeded
// into an emulator with fixed ids, the serialized providers (from a fresh process), and resource inputs
// built the way stacks/index.ts builds them.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { directoryFrom, resolveAssignments } from "../../../src/intune";
import type { DesiredObject, DesiredState, ObjectKind, TenantSnapshot } from "../../../src/model";
import { emptySnapshot } from "../../../src/model";
import { buildDesiredState } from "../../../src/project/build";
import { toStateAssignments, toStateDocument } from "../../../src/pulumi/state-form";
import { policyRecord } from "../../../src/pulumi/resource-inputs";

export const ROOT = path.resolve(__dirname, "../../..");
export const STACKS_DIR = path.join(ROOT, "stacks");

/** Ids the ring groups get in the emulator (Pulumi would have created them through azuread). */
export const RING_GROUP_IDS: Record<string, string> = {
  "WSL Ring 1 - Pilot": "11111111-1111-4111-8111-111111111111",
  "WSL Ring 2 - Early adopters": "22222222-2222-4222-8222-222222222222",
  "WSL Ring 3 - All developers": "33333333-3333-4333-8333-333333333333",
};
export const KIOSK_GROUP_ID = "44444444-4444-4444-8444-444444444444";

export function seedWithGroups(): TenantSnapshot {
  const seed = emptySnapshot();
  seed.groups = [
    ...Object.entries(RING_GROUP_IDS).map(([displayName, id]) => ({
      id,
      displayName,
      securityEnabled: true,
      mailEnabled: false,
    })),
    { id: KIOSK_GROUP_ID, displayName: "Kiosk Devices", securityEnabled: true, mailEnabled: false },
    {
      id: "55555555-5555-4555-8555-555555555555",
      displayName: "All Windows Workstations",
      securityEnabled: true,
      mailEnabled: false,
    },
    {
      id: "66666666-6666-4666-8666-666666666666",
      displayName: "Developer Workstations",
      securityEnabled: true,
      mailEnabled: false,
    },
  ] as TenantSnapshot["groups"];
  return seed;
}

export async function compiledExamples(stack: string): Promise<DesiredState> {
  const build = await buildDesiredState({ policiesDir: path.join(ROOT, "policies"), stack });
  if (!build.ok) throw new Error(`example policies do not compile: ${JSON.stringify(build.diagnostics)}`);
  return build.desired;
}

/** Serializes the providers in a fresh plain-Node process, as `pulumi up` would (not vitest's module graph). */
export function serializedProviders(): Record<ObjectKind, { text: string; containsSecrets: boolean }> {
  const out = execFileSync(process.execPath, ["--require", "tsx/cjs", path.join(__dirname, "serialize-providers.ts")], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as Record<ObjectKind, { text: string; containsSecrets: boolean }>;
}

/** The inputs stacks/index.ts gives an Intune resource, for the emulator with the seeded group ids. */
export function resourceInputs(obj: DesiredObject, stack: string, graphEndpoint: string): Record<string, unknown> {
  const seed = seedWithGroups();
  const directory = {
    ...directoryFrom(seed.groups as { id: string; displayName: string }[]),
    ringIds: new Map(Object.entries(RING_GROUP_IDS)),
  };
  const { resolved, unresolved } = resolveAssignments(obj.kind, obj.assignments, directory);
  if (unresolved.length > 0) throw new Error(`unresolved: ${JSON.stringify(unresolved)}`);
  return {
    kind: obj.kind,
    stack,
    policyId: obj.policyId,
    tenant: "emulator",
    graphEndpoint,
    policy: policyRecord(obj),
    document: toStateDocument(obj.kind, obj.document),
    assignments: toStateAssignments(resolved.map((r) => r.body)),
    ...(obj.content
      ? { content: { msi: path.join(ROOT, "policies", obj.content.file), sha256: obj.content.sha256 } }
      : {}),
  };
}
