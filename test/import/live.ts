// Test helper: live tenant objects made the way Graph would hold them after a create — a policy compiled by
// the real compiler, given an id, its marker line removed (a portal-made object has none), and its
// assignment intents resolved to Graph bodies against the snapshot's groups — so import specs can say
// "this intent, in a tenant, imports back to this intent".
import { compile } from "../../src/compile";
import { directoryFrom, resolveAssignments } from "../../src/intune";
import { COLLECTIONS, emptySnapshot, tenantSnapshotSchema, type TenantSnapshot } from "../../src/model";
import { policySchema } from "../../src/policy/model";
import { PACKAGES } from "../compile/helpers";

export const GROUPS = [
  { id: "0353a572-958a-54f8-a808-086a3db95368", displayName: "All Windows Workstations" },
  { id: "a46382d8-f7c5-5db1-9a00-ee684d7f4f99", displayName: "Kiosk Devices" },
  { id: "e8b8eb77-1236-5284-942b-3e322c76211e", displayName: "Contractors" },
  { id: "4747150c-ae4b-508f-80d2-30c5e2284953", displayName: "Contractors" },
  { id: "4b0f4a6c-5d5e-4a99-9e4c-7b5a8f1c2d05", displayName: "WSL Ring 1 - Pilot" },
  { id: "5c1a5b7d-6e6f-4baa-8f5d-8c6b9a2d3e06", displayName: "WSL Ring 2 - Early adopters" },
];
export const FILTER = { id: "c7f9bfd4-3c97-5f5e-8cbf-f94a22d1bddb", displayName: "Windows 11 corporate" };

export function snapshotWith(objects: {
  configurationPolicies?: object[];
  compliancePolicies?: object[];
  mobileApps?: object[];
}): TenantSnapshot {
  return tenantSnapshotSchema.parse({
    ...emptySnapshot(),
    [COLLECTIONS.configurationPolicies]: objects.configurationPolicies ?? [],
    [COLLECTIONS.compliancePolicies]: objects.compliancePolicies ?? [],
    [COLLECTIONS.mobileApps]: objects.mobileApps ?? [],
    [COLLECTIONS.groups]: GROUPS,
    [COLLECTIONS.assignmentFilters]: [FILTER],
  });
}

/** The live object a policy (builder input plus `kind`) becomes in the tenant, with the given id. */
export function liveObject(
  input: Record<string, unknown>,
  id: string,
  description = "Made in the portal.",
): Record<string, unknown> {
  const policy = policySchema.parse({
    id: "source-policy",
    displayName: "Source policy",
    assignments: { include: [] },
    ...input,
  });
  const { desired, diagnostics } = compile([{ policy, file: "source.ts", exportName: "source" }], {
    stack: "seed",
    packages: PACKAGES,
    guardrails: { "broad-assignment": "off", "public-inbound-allow": "off", "compliance-without-wsl-plugin": "off" },
  });
  const object = desired.objects[0];
  if (!object) throw new Error(`does not compile: ${JSON.stringify(diagnostics)}`);
  const resolved = resolveAssignments(object.kind, object.assignments, directoryFrom(GROUPS, [FILTER]));
  if (resolved.unresolved.length) throw new Error(`unresolved: ${JSON.stringify(resolved.unresolved)}`);
  return { ...object.document, id, description, assignments: resolved.resolved.map((r) => r.body) };
}
