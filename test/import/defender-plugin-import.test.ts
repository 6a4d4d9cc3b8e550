// Importing the Defender plug-in app. A tenant holds no MSI, so the app is imported only when its setup file
// is at hand (`import --packages DIR`): then it becomes a defenderPluginRollout pinning that file, one ring
// per required group assignment with its install window (Win32 assignment settings' installTimeSettings,
// api-reference/beta/resources/intune-apps-win32lobappassignmentsettings.md), and a required assignment
// without a window ("as soon as possible") is a ring without start or deadline. It plans back to only the
// ownership marker.
import { cpSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computePlan } from "../../src/diff/plan";
import { importTenant } from "../../src/import";
import { COLLECTIONS, emptySnapshot, type TenantSnapshot } from "../../src/model";
import { buildDesiredState, readPackagesIn } from "../../src/project";
import { readSnapshotFile } from "../../src/tenant";
import { EXAMPLES_FILE } from "../fixtures/real-shape/generate";
import { makePolicyWorkspace, type PolicyWorkspace } from "../policy/workspace";
import { expectOnlyMarkers } from "./round-trip-helpers";

const ROOT = path.resolve(__dirname, "../..");
const POLICIES = path.join(ROOT, "policies");
const workspaces: PolicyWorkspace[] = [];
afterAll(() => workspaces.forEach((w) => w.cleanup()));

/** The example organisation's Defender plug-in app as Graph returns it after apply, with the tenant's groups. */
function defenderTenant(): TenantSnapshot {
  const live = readSnapshotFile(EXAMPLES_FILE);
  const app = live[COLLECTIONS.mobileApps].find((a) => /Defender/.test(a.displayName))!;
  return { ...emptySnapshot(), [COLLECTIONS.groups]: live[COLLECTIONS.groups], [COLLECTIONS.mobileApps]: [app] };
}

const packages = () => readPackagesIn(path.join(POLICIES, "packages"), POLICIES);

async function roundTrip(snapshot: TenantSnapshot) {
  const result = importTenant(snapshot, { stack: "adopter", source: "a test tenant", packages: await packages() });
  const ws = makePolicyWorkspace(Object.fromEntries(result.files.map((f) => [f.file, f.source])));
  workspaces.push(ws);
  cpSync(path.join(POLICIES, "packages"), path.join(ws.policiesDir, "packages"), { recursive: true });
  const built = await buildDesiredState({ policiesDir: ws.policiesDir, stack: "adopter" });
  const plan = computePlan({
    desired: built.desired,
    live: snapshot,
    tenant: { kind: "snapshot", label: "a test tenant", tenantId: null, endpoint: null },
  });
  return { result, built, plan };
}

describe("import of the Defender plug-in app", () => {
  it("without its MSI it is skipped, and the reason says how to import it", () => {
    const result = importTenant(defenderTenant(), { stack: "adopter", source: "a test tenant" });
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ reason: expect.stringContaining("--packages DIR") })]);
  });

  it("with its MSI it is a rollout pinning the file, one ring per required group, and plans to only the marker", async () => {
    const snapshot = defenderTenant();
    const { result, built, plan } = await roundTrip(snapshot);
    expect(result.skipped).toEqual([]);
    const file = result.files[0]!;
    expect(file).toMatchObject({ kind: "defenderPluginRollout" });
    const policy = file.policy as Extract<typeof file.policy, { kind: "defenderPluginRollout" }>;
    expect(policy.package).toEqual({
      file: "packages/stand-in-DefenderPlugin-x64-1.24.522.2.msi",
      sha256: (await packages()).get("stand-in-defenderplugin-x64-1.24.522.2.msi")!.sha256,
    });
    expect(policy.rings.map((r) => [r.target, r.start, r.deadline])).toEqual([
      [{ kind: "group", name: "WSL Ring 1 - Pilot" }, "2027-01-05T08:00:00Z", "2027-01-07T17:00:00Z"],
      [{ kind: "group", name: "WSL Ring 2 - Early adopters" }, expect.any(String), expect.any(String)],
      [{ kind: "group", name: "WSL Ring 3 - All developers" }, expect.any(String), expect.any(String)],
    ]);
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "adopter");
    // The content the app carries is the pinned MSI's: nothing is uploaded.
    expect(plan.changes[0]!.content).toMatchObject({ upload: false });
  });

  it("a required assignment 'as soon as possible' (no install window) is one ring without start or deadline", async () => {
    const snapshot = defenderTenant();
    const app = snapshot[COLLECTIONS.mobileApps][0]!;
    const [first] = app.assignments!;
    const settings = { ...(first!.settings as Record<string, unknown>), installTimeSettings: null };
    snapshot[COLLECTIONS.mobileApps][0] = { ...app, assignments: [{ ...first!, settings }] };
    const { result, plan } = await roundTrip(snapshot);
    const policy = result.files[0]!.policy as Extract<
      (typeof result.files)[0]["policy"],
      { kind: "defenderPluginRollout" }
    >;
    expect(policy.rings).toEqual([{ target: { kind: "group", name: "WSL Ring 1 - Pilot" } }]);
    expectOnlyMarkers(result, plan, snapshot, "adopter");
  });

  it("--packages must be inside the policies directory, where a policy names its MSI", async () => {
    await expect(readPackagesIn(path.join(ROOT, "test"), POLICIES)).rejects.toThrow(
      /must be inside the policies directory/,
    );
  });
});
