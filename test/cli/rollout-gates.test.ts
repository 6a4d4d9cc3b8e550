// Ring gates end to end: the example organisation applied to an emulator the way `pulumi up` applies it
// (its MSIs uploaded; the gated last ring left out), with the rollout moved into the past so the soak time
// is over; then scripted device install states drive getAppStatusOverviewReport, and `wslpolicy plan` and
// `wslpolicy rollout status` must keep the last ring waiting — saying why — until the early adopters are
// healthy, whatever the report's column order, and then plan its assignment.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gateRollouts } from "../../src/compile/rollout-gates";
import { planSchema, type Plan } from "../../src/diff/plan-schema";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { COLLECTIONS } from "../../src/model";
import { buildDesiredState } from "../../src/project/build";
import { applyAll, clientFor, groupsSeed, POLICIES_DIR } from "../diff/emulator-tenant";
import { makePolicyWorkspace, type PolicyWorkspace } from "../policy/workspace";
import { runCli } from "./run-cli";

const STACK = "gates";
const RING2 = "WSL Ring 2 - Early adopters";
const RING3 = "WSL Ring 3 - All developers";
let ws: PolicyWorkspace;
let emulator: RunningEmulator;
let appId: string;

beforeAll(async () => {
  ws = makePolicyWorkspace();
  cpSync(POLICIES_DIR, ws.policiesDir, { recursive: true });
  // The same rollout a year earlier: every deadline and soak time is over.
  const file = path.join(ws.policiesDir, "defender-wsl-plugin.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace(/2027-01-/g, "2026-01-"));
  mkdirSync(path.join(ws.root, "stacks"));
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  writeFileSync(
    path.join(ws.root, "stacks", `Pulumi.${STACK}.yaml`),
    `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${emulator.baseUrl}\n`,
  );
  const built = await buildDesiredState({ policiesDir: ws.policiesDir, stack: STACK });
  if (!built.ok) throw new Error(JSON.stringify(built.diagnostics));
  // What the first `up` declares: the gated ring has no report to pass yet.
  const first = gateRollouts(built.desired, new Map(), Date.now());
  const graph = clientFor(emulator);
  try {
    appId = (await applyAll(graph, first.desired, groupsSeed(), emulator, ws.policiesDir)).get("defender-wsl-plugin")!;
  } finally {
    await graph.close();
  }
});
afterAll(async () => {
  await emulator.stop();
  ws.cleanup();
});
beforeEach(() => emulator.state.setReportColumnOrder("observed"));

const env = () => ({ WSLPOLICY_EMULATOR_CA: emulator.caFile, WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken() });

function devices(states: Record<string, number>): void {
  let n = 0;
  emulator.state.internal.installStates[appId] = {};
  for (const [state, count] of Object.entries(states)) {
    for (let i = 0; i < count; i++) emulator.state.setAppInstallState(appId, `device-${n++}`, state as "installed");
  }
}

async function plan(): Promise<Plan> {
  const run = await runCli(["plan", "--stack", STACK, "--format", "json"], { cwd: ws.root, env: env() });
  expect(run.stderr).toBe("");
  return planSchema.parse(JSON.parse(run.stdout));
}

const defender = (p: Plan) => p.changes.find((c) => c.policyId === "defender-wsl-plugin")!;

describe("a gated ring", () => {
  it("waits while the ring before is below its installed percentage, and plan says so", async () => {
    devices({ installed: 8, pending: 2 });
    const p = await plan();
    expect(defender(p).action).toBe("unchanged");
    expect(defender(p).notes).toEqual([`ring '${RING3}' waits: ring '${RING2}' 80 % installed, needs 95 %`]);
    expect(emulator.state.get(COLLECTIONS.mobileApps, appId)!.publishingState).toBe("published");
  });

  it("reads the same counts when the report's columns are shuffled", async () => {
    devices({ installed: 8, pending: 2 });
    emulator.state.setReportColumnOrder("shuffled");
    expect(defender(await plan()).notes).toEqual([`ring '${RING3}' waits: ring '${RING2}' 80 % installed, needs 95 %`]);
  });

  it("stays closed when failures pass their limit, naming every failed condition", async () => {
    devices({ installed: 96, failed: 4 });
    expect(defender(await plan()).notes).toEqual([`ring '${RING3}' waits: ring '${RING2}' 4 % failed, allows 2 %`]);
  });

  it("opens when the ring before is healthy: plan assigns the ring", async () => {
    devices({ installed: 98, failed: 1, pending: 1, notApplicable: 30 });
    const change = defender(await plan());
    expect(change.notes).toEqual([]);
    expect(change.action).toBe("update");
    expect(change.assignments).toHaveLength(1);
    expect(change.assignments[0]).toMatchObject({
      change: "added",
      mode: "include",
      label: expect.stringContaining(RING3),
    });
  });

  it("rollout status prints every ring's state and the gate's conditions", async () => {
    devices({ installed: 8, pending: 2 });
    const run = await runCli(["rollout", "status", "--stack", STACK, "--format", "json"], { cwd: ws.root, env: env() });
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as {
      rollouts: Array<{
        policyId: string;
        counts: Record<string, number>;
        rings: Array<{
          ring: string;
          state: string;
          reason?: string;
          checks: Array<{ passed: boolean; text: string }>;
        }>;
      }>;
    };
    const rollout = status.rollouts.find((r) => r.policyId === "defender-wsl-plugin")!;
    expect(rollout.counts).toMatchObject({ installed: 8, pending: 2, failed: 0, reporting: 10 });
    expect(rollout.rings.map((r) => [r.ring, r.state])).toEqual([
      ["WSL Ring 1 - Pilot", "assigned"],
      [RING2, "assigned"],
      [RING3, "waits"],
    ]);
    expect(rollout.rings[2]!.checks.map((c) => [c.passed, c.text])).toEqual([
      [true, `ring '${RING2}' soaked 48 h after its deadline`],
      [true, `ring '${RING2}' 10 devices reporting, needs 5`],
      [false, `ring '${RING2}' 80 % installed, needs 95 %`],
      [true, `ring '${RING2}' 0 % failed, allows 2 %`],
    ]);
    const text = await runCli(["rollout", "status", "--stack", STACK], { cwd: ws.root, env: env() });
    expect(text.stdout).toContain(
      `ring '${RING3}' [2026-01-19T08:00:00Z → 2026-01-21T17:00:00Z]: waits: ring '${RING2}' 80 % installed, needs 95 %`,
    );
    expect(text.stdout).toContain(
      "devices (all assigned rings): 8 installed, 0 failed, 2 pending, 0 not installed, 0 not applicable",
    );
  });
});
