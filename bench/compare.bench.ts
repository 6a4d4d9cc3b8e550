// `npm run bench` as a comparison (issue 15): the clients in this process, one emulator per tenant in a
// child process of its own (bench/compare/emulator-process.ts: Graph's CPU and memory are not the
// client's), with Intune's documented throttling and a round trip per HTTP request, side by side:
//   - read: our full `plan` (build, read, diff, report), a naive client and an IntuneCD-style client on the
//     same Graph SDK (bench/compare/peers.ts), on an unmanaged tenant; our plan on a managed one;
//   - apply through the providers (src/pulumi/operations.ts): create, update, delete of N objects into an
//     empty tenant and into the one holding the read's policies;
//   - a scaling table of our plan (time and memory);
// each against the floor from Graph's documented rules alone (bench/compare/floor.ts). Prints tables and
// writes JSON (bench/results/latest.json; `--out`). Options: bench/compare/options.ts (`--quick`).
// It measures, it asserts nothing about time.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runPlanLike } from "../src/cli/commands/plan";
import type { CliIO } from "../src/cli/io";
import { createAll, deleteAll, updateAll } from "./compare/apply";
import { startEmulatorProcess, type BenchEmulator, type EmulatorChildConfig } from "./compare/emulator-process";
import { bareRead } from "./compare/bare-read";
import { readFloor, REQUESTS_PER_WINDOW, writeFloor, type FloorModel, type WriteOp } from "./compare/floor";
import { measure, type PhaseResult } from "./compare/measure";
import { benchOptions, type BenchOptions } from "./compare/options";
import { intuneCdRead, naiveRead } from "./compare/peers";
import { emptyProject, managedProject, type TenantSize } from "./compare/tenant";

const REPO_ROOT = path.resolve(__dirname, "..");
const STACK = "bench";
const APPLY_STACK = "benchapply";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (text: string) => process.stdout.write(text);

/** An emulator with Intune's throttling on `seed`, in its own process. */
async function emulatorFor(
  tenant: Pick<EmulatorChildConfig, "seed" | "unmanaged">,
  o: BenchOptions,
): Promise<BenchEmulator> {
  return startEmulatorProcess({ ...tenant, timeScale: o.timeScale, roundTripMs: o.latencyMs * o.timeScale });
}

/** The environment `wslpolicy plan` and the providers read an emulator from (src/tenant/connect.ts). */
function emulatorEnv(emulator: BenchEmulator, o: BenchOptions): NodeJS.ProcessEnv {
  return {
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TOKEN: emulator.token,
    ...(o.timeScale !== 1 ? { WSLPOLICY_EMULATOR_TIME_SCALE: String(o.timeScale) } : {}),
    WSLPOLICY_DEADLINE: "7200",
  };
}

/** Our full `wslpolicy plan --format json --out plan.json` in a scratch project whose stack points at `emulator`. */
async function ourPlan(emulator: BenchEmulator, project: { root: string }, o: BenchOptions): Promise<void> {
  mkdirSync(path.join(project.root, "stacks"), { recursive: true });
  writeFileSync(
    path.join(project.root, "stacks", `Pulumi.${STACK}.yaml`),
    `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${emulator.baseUrl}\n  wslpolicy:policies: policies\n`,
  );
  let stderr = "";
  const io: CliIO = {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: { ...process.env, ...emulatorEnv(emulator, o) },
    cwd: project.root,
  };
  const code = await runPlanLike("plan", { stack: STACK, format: "json", out: "plan.json" }, io);
  if (code !== 0) throw new Error(`plan exited ${code}: ${stderr.trim().split("\n").slice(-1)[0]}`);
}

/** Lets the last phase's requests leave the sliding throttling window, so every phase starts with the whole budget. */
async function quietWindow(emulator: BenchEmulator, o: BenchOptions): Promise<void> {
  const count = await emulator.requestCount();
  const last = count > 0 ? (await emulator.requestsSince(count - 1))[0]?.timestamp : undefined;
  if (last !== undefined) await sleep(Math.max(0, last + 20_000 * o.timeScale + 50 - Date.now()));
}

/** The run of median time; a failed run, if any, so that a failure is never hidden. */
function median(runs: PhaseResult[]): PhaseResult {
  const failed = runs.find((r) => !r.ok);
  if (failed) return failed;
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

function withFloor(r: PhaseResult, floorSeconds: number): PhaseResult {
  return { ...r, floorSeconds, ratio: r.seconds / floorSeconds };
}

const f1 = (n: number | undefined) => (n === undefined ? "" : n.toFixed(1));
const f2 = (n: number | undefined) => (n === undefined ? "" : n.toFixed(2));
const kinds = (r: PhaseResult) =>
  Object.entries(r.byKind)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`;
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

function phaseRows(results: PhaseResult[], ours?: PhaseResult): string[][] {
  return results.map((r) => [
    r.label,
    r.ok ? f1(r.seconds) : `FAILED: ${r.error}`,
    f2(r.floorSeconds),
    f2(r.ratio),
    ours && r !== ours && r.ok && ours.ok ? `${f2(r.seconds / ours.seconds)}×` : "",
    String(r.httpRequests),
    String(r.counted),
    String(r.throttled),
    `${r.peakRssMb.toFixed(0)} (${r.startRssMb.toFixed(0)})`,
    r.emulatorPeakRssMb.toFixed(0),
    kinds(r),
  ]);
}
const PHASE_HEADERS = [
  "client",
  "time s",
  "floor s",
  "ratio",
  "ours faster",
  "HTTP",
  "counted",
  "429s",
  "peak RSS MB (start)",
  "emulator peak RSS MB",
  "requests by kind",
];

async function readComparison(
  o: BenchOptions,
  size: TenantSize,
  emulator: BenchEmulator,
  m: FloorModel,
): Promise<PhaseResult[]> {
  const floor = readFloor(size.policies, m).seconds;
  const project = emptyProject();
  try {
    const results: PhaseResult[] = [];
    results.push(withFloor(await measure("wslpolicy plan", emulator, () => ourPlan(emulator, project, o)), floor));
    if (o.peers) {
      await quietWindow(emulator, o);
      results.push(
        withFloor(
          await measure("naive (sequential, same SDK)", emulator, () => naiveRead(emulator, size.policies, size)),
          floor,
        ),
      );
      await quietWindow(emulator, o);
      results.push(
        withFloor(
          await measure("IntuneCD-style ($batch of 20, no budget)", emulator, () =>
            intuneCdRead(emulator, size.policies, size),
          ),
          floor,
        ),
      );
    }
    return results;
  } finally {
    project.cleanup();
  }
}

async function applyPhases(
  o: BenchOptions,
  emulator: BenchEmulator,
  existing: number,
  tenantLabel: string,
  m: FloorModel,
): Promise<PhaseResult[]> {
  const size = { policies: o.applyObjects, settings: o.settings, assignments: o.assignments, groups: o.groups };
  const project = await managedProject(size, APPLY_STACK, REPO_ROOT);
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnv(emulator, o));
  try {
    const results: PhaseResult[] = [];
    let applied: Awaited<ReturnType<typeof createAll>> = [];
    const steps: [WriteOp, () => Promise<void>][] = [
      ["create", async () => void (applied = await createAll(emulator, project.objects, APPLY_STACK, o.parallel))],
      ["update", () => updateAll(applied, o.parallel)],
      ["delete", () => deleteAll(emulator, applied, APPLY_STACK, o.parallel)],
    ];
    for (const [op, work] of steps) {
      await quietWindow(emulator, o);
      const floor = writeFloor(op, o.applyObjects, op === "create" ? existing : existing + o.applyObjects, m).seconds;
      results.push(withFloor(await measure(`${op} ${o.applyObjects} (${tenantLabel})`, emulator, work), floor));
      if (!results[results.length - 1]!.ok) break;
    }
    return results;
  } finally {
    for (const k of Object.keys(emulatorEnv(emulator, o))) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    project.cleanup();
  }
}

export async function run(argv: readonly string[] = []): Promise<void> {
  const o = benchOptions(argv);
  const m: FloorModel = { latencyMs: o.latencyMs * o.timeScale, timeScale: o.timeScale };
  const size: TenantSize = { policies: o.policies, settings: o.settings, assignments: o.assignments, groups: o.groups };
  const started = new Date();
  out(
    `${o.quick ? "QUICK MODE (small sizes). " : ""}Tenant: ${size.policies} policies × ${size.settings} settings × ${size.assignments} assignments, ` +
      `a tenth WSL, ${size.groups} groups. Round trip ${o.latencyMs} ms per HTTP request; ` +
      (o.timeScale === 1
        ? "real time.\n"
        : `TIME SCALE ${o.timeScale}: throttling windows AND latency are ×${o.timeScale}; times below are wall seconds at that scale.\n`) +
      "Floors from Graph's documented rules (pages of 100, $batch of 20, 1,000 requests / 100 writes per 20 s per Intune service, one round trip per request).\n" +
      "Peak RSS is the client's, this process alone (start = when the phase began); each emulator, with its tenant, " +
      "runs in a process of its own, whose peak is in its own column.\n\n",
  );

  const unmanaged = await emulatorFor({ unmanaged: size }, o);
  let reads: PhaseResult[] = [];
  const apply: PhaseResult[] = [];
  try {
    reads = await readComparison(o, size, unmanaged, m);
    out(`Read ${size.policies} unmanaged policies:\n${table(PHASE_HEADERS, phaseRows(reads, reads[0]))}\n`);
    if (o.apply) apply.push(...(await applyPhases(o, unmanaged, size.policies, `tenant of ${size.policies}`, m)));
  } finally {
    await unmanaged.stop();
  }
  if (o.apply) {
    const empty = await emulatorFor({ unmanaged: { ...size, policies: 0 } }, o);
    try {
      apply.push(...(await applyPhases(o, empty, 0, "empty tenant", m)));
    } finally {
      await empty.stop();
    }
    out(`Apply through the providers (${o.parallel} operations at once):\n${table(PHASE_HEADERS, phaseRows(apply))}\n`);
  }

  const file = path.resolve(REPO_ROOT, o.out);
  mkdirSync(path.dirname(file), { recursive: true });
  const managed: PhaseResult[] = [];
  const scaling: PhaseResult[] = [];
  const bare: PhaseResult[] = [];
  // Written after every section: a phase that kills the process (out of memory) leaves the others on record.
  const save = () => {
    const machine = { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0] };
    const result = { generatedAt: started.toISOString(), options: o, machine, reads, apply, scaling, bare, managed };
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  };
  save();

  // Below one throttling window the Graph floor is a few round trips and CPU is most of any read: there the
  // bare read (bench/compare/bare-read.ts) measures the least this machine needs, the machine's floor, and
  // both run three times, alternating (a second is noisy), each in a window of its own; medians are shown.
  for (const n of o.scaling) {
    const emulator = await emulatorFor({ unmanaged: { ...size, policies: n } }, o);
    const project = emptyProject();
    try {
      const floor = readFloor(n, m);
      const small = floor.requests <= REQUESTS_PER_WINDOW;
      const plans: PhaseResult[] = [];
      const bares: PhaseResult[] = [];
      for (let run = 0; run < (small ? 3 : 1); run++) {
        if (run > 0) await quietWindow(emulator, o);
        plans.push(withFloor(await measure(`plan ${n}`, emulator, () => ourPlan(emulator, project, o)), floor.seconds));
        if (!small) continue;
        await quietWindow(emulator, o);
        bares.push(
          withFloor(await measure(`bare read ${n}`, emulator, () => bareRead(emulator, n, size)), floor.seconds),
        );
      }
      const ours = median(plans);
      scaling.push(ours);
      if (small) {
        const b = median(bares);
        bare.push(b);
        if (b.ok) ours.machineFloorSeconds = b.seconds;
      }
      save();
    } finally {
      await emulator.stop();
      project.cleanup();
    }
  }
  if (scaling.length > 0) {
    const headers = [
      "size",
      "time s",
      "floor s",
      "ratio",
      "machine floor s",
      "ratio to it",
      "counted",
      "429s",
      "peak RSS MB",
      "start RSS MB",
      "emulator peak RSS MB",
    ];
    const rows = scaling.map((r) => [
      r.label,
      r.ok ? f1(r.seconds) : `FAILED: ${r.error}`,
      f2(r.floorSeconds),
      f2(r.ratio),
      f2(r.machineFloorSeconds),
      r.machineFloorSeconds ? f2(r.seconds / r.machineFloorSeconds) : "",
      String(r.counted),
      String(r.throttled),
      r.peakRssMb.toFixed(0),
      r.startRssMb.toFixed(0),
      r.emulatorPeakRssMb.toFixed(0),
    ]);
    out(
      `Scaling of our plan (unmanaged tenants; machine floor: the bare read of sizes within one throttling window):\n${table(headers, rows)}\n`,
    );
    if (bare.some((b) => !b.ok))
      out(
        `Bare read failed: ${bare
          .filter((b) => !b.ok)
          .map((b) => b.error)
          .join("; ")}\n`,
      );
  }

  if (o.managed) {
    // Last: where many managed policies overlap with differing values, plan's conflict report has been
    // seen to run out of memory (issue 15), which no try/catch survives; everything before is saved.
    out(`Plan of ${size.policies} managed wslPolicy objects (last, as it may run out of memory):\n`);
    const project = await managedProject(size, STACK, REPO_ROOT);
    const emulator = await emulatorFor({ seed: project.tenant }, o);
    try {
      const floor = readFloor(size.policies, m).seconds;
      managed.push(
        withFloor(
          await measure(`wslpolicy plan (managed, ${size.policies})`, emulator, () => ourPlan(emulator, project, o)),
          floor,
        ),
      );
      save();
    } finally {
      await emulator.stop();
      project.cleanup();
    }
    out(`${table(PHASE_HEADERS, phaseRows(managed))}\n`);
  }

  const load = `machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores; figures are noisy when others run`;
  out(`Written: ${path.relative(process.cwd(), file)} (${load})\n`);
  const failed = [...reads, ...apply, ...managed, ...scaling].filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new Error(`${failed.length} phase(s) failed: ${failed.map((r) => `${r.label}: ${r.error}`).join("; ")}`);
  }
}
