// The import round trip (import → files → build → plan against the same tenant) and its expectation: every
// object adopted, only the ownership marker appended to its description.
import { expect } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { importTenant } from "../../src/import";
import { COLLECTIONS, stripMarker, type TenantSnapshot } from "../../src/model";
import { buildDesiredState } from "../../src/project/build";
import { makePolicyWorkspace, type PolicyWorkspace } from "../policy/workspace";

const workspaces: PolicyWorkspace[] = [];
export const cleanupWorkspaces = () => workspaces.splice(0).forEach((w) => w.cleanup());

/** `secretEnv`: the environment secrets named by policies are read from (as `wslpolicy plan` reads its own). */
export async function roundTrip(
  snapshot: TenantSnapshot,
  stack: string,
  guardrails?: Record<string, "error" | "warning" | "off">,
  secretEnv?: Record<string, string>,
) {
  const result = importTenant(snapshot, { stack, source: "a test tenant", ...(guardrails ? { guardrails } : {}) });
  const ws = makePolicyWorkspace(Object.fromEntries(result.files.map((f) => [f.file, f.source])));
  workspaces.push(ws);
  const built = await buildDesiredState({
    policiesDir: ws.policiesDir,
    stack,
    ...(guardrails ? { guardrails } : {}),
    ...(secretEnv ? { secretEnv } : {}),
  });
  const plan = computePlan({
    desired: built.desired,
    live: snapshot,
    tenant: { kind: "snapshot", label: "a test tenant", tenantId: null, endpoint: null },
  });
  return { result, built, plan };
}

export function expectOnlyMarkers(
  result: ReturnType<typeof importTenant>,
  plan: ReturnType<typeof computePlan>,
  snapshot: TenantSnapshot,
  stack: string,
) {
  const adopted = plan.changes.filter((c) => c.adopted);
  expect(adopted.map((c) => c.liveId).sort()).toEqual(result.files.map((f) => f.objectId).sort());
  const all = [
    ...snapshot[COLLECTIONS.configurationPolicies],
    ...snapshot[COLLECTIONS.compliancePolicies],
    ...snapshot[COLLECTIONS.mobileApps],
    ...snapshot[COLLECTIONS.deviceManagementScripts],
    ...snapshot[COLLECTIONS.deviceHealthScripts],
  ];
  for (const change of adopted) {
    const live = all.find((o) => o.id?.toLowerCase() === change.liveId)!;
    const before = stripMarker(live.description);
    expect({
      key: change.key,
      action: change.action,
      replace: change.replaceReasons,
      settings: change.settings,
      properties: change.properties,
      assignments: change.assignments,
      errors: change.errors,
    }).toEqual({
      key: change.key,
      action: "update",
      replace: [],
      settings: [],
      properties: [],
      assignments: [],
      errors: [],
    });
    const marker = `[wslpolicy:${stack}/${change.policyId}]`;
    expect(change.metadata).toEqual([
      {
        field: "description",
        before: live.description?.trimEnd() || null,
        after: before ? `${before}\n\n${marker}` : marker,
      },
    ]);
  }
}
