// Reading a large tenant: 2,000 settings-catalog policies (10 settings, 2 assignments each) from the
// emulator with throttling ON (Intune's 1,000 requests / 100 writes per 20 s per app), through
// `readTenant` — the path `plan`, `drift` and `export` take. At real time scale the read is bound by the
// 1,000-per-20-s budget (≈ 2,100 counted requests ⇒ ≥ 2 windows ≈ 45 s), so it runs at time scale 0.05
// (a window lasts 1 s). Printed: HTTP requests, requests counted by Graph (inner batch items included),
// wall time, 429s seen, time waited for the client-side budget — once with the budget (normal runs)
// and once without it (the server's throttling and the retries do the pacing).
import { performance } from "node:perf_hooks";
import { startEmulator } from "../src/emulator";
import { createGraphClient, emulatorCredential } from "../src/graph";
import { syntheticTenant } from "../src/emulator/synthetic-tenant";
import { COLLECTIONS, type TenantSnapshot } from "../src/model";
import { readTenant } from "../src/tenant";

const POLICIES = 2000;
const SETTINGS = 10;
const TIME_SCALE = 0.05;

async function once(label: string, withBudget: boolean, tenant: TenantSnapshot): Promise<void> {
  const emulator = await startEmulator({ seed: tenant, timeScale: TIME_SCALE, throttling: { enabled: true } });
  const graph = createGraphClient({
    endpoint: emulator.baseUrl,
    credential: emulatorCredential(emulator, ["DeviceManagementConfiguration.Read.All", "DeviceManagementApps.Read.All", "Group.Read.All"]),
    ca: emulator.caCertPem,
    timeScale: TIME_SCALE,
    ...(withBudget ? {} : { budget: { requests: 1e9, writes: 1e9 } }),
  });
  try {
    const start = performance.now();
    const snapshot = await readTenant(graph);
    const wall = performance.now() - start;
    const policies = snapshot[COLLECTIONS.configurationPolicies];
    const settings = policies.reduce((n, p) => n + (p.settings?.length ?? 0), 0);
    if (policies.length !== POLICIES || settings !== POLICIES * SETTINGS) throw new Error(`incomplete read: ${policies.length} policies, ${settings} settings`);
    const counted = emulator.log.count({ inBatch: false }) - emulator.log.count({ path: "$batch" }) + emulator.log.count({ inBatch: true });
    // Requests Graph counts beyond the first window's 1,000 each need another 20 s window at real scale.
    const realFloor = Math.max(0, Math.ceil(counted / (withBudget ? 900 : 1000)) - 1) * 20;
    process.stdout.write(
      [
        `${label}:`,
        `  read ${policies.length} policies, ${settings} settings, ${policies.length * 2} assignments`,
        `  HTTP requests      ${graph.requestCount} (${graph.stats.innerRequests} inside $batch)`,
        `  counted by Graph   ${counted} (every inner request counts against 1,000 / 20 s)`,
        `  429s seen          ${graph.stats.throttled} (emulator answered ${emulator.log.count({ status: 429 })}); retries ${graph.stats.retries}`,
        `  budget wait        ${(graph.stats.budgetWaitMs / 1000).toFixed(2)} s`,
        `  wall time          ${(wall / 1000).toFixed(2)} s at time scale ${TIME_SCALE} (a 20 s window lasts ${20 * TIME_SCALE} s)`,
        `  at real time scale ≥ ${realFloor} s: throttling windows, not the client, bound a read this size`,
        "",
      ].join("\n"),
    );
  } finally {
    await graph.close();
    await emulator.stop();
  }
}

export async function run(): Promise<void> {
  const tenant = syntheticTenant({ policies: POLICIES, settings: SETTINGS, assignments: 2, groups: 2 });
  await once("with the client-side budget", true, tenant);
  await once("without it (server throttling + Retry-After)", false, tenant);
}
