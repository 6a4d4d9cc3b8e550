// One measured phase: wall time, peak resident memory (sampled) of the client, which is this process alone,
// and of the emulator, which runs in its own (bench/compare/emulator-process.ts), and what the emulator saw
// during it: HTTP requests by kind, requests Graph counts against the throttling budgets (every $batch
// item), and 429s.
import { performance } from "node:perf_hooks";
import type { BenchEmulator, LoggedRequest } from "./emulator-process";

export interface PhaseResult {
  label: string;
  ok: boolean;
  error?: string;
  /** Real seconds. */
  seconds: number;
  /** Sampled peak RSS of the bench process (the client) during the phase, MB; the emulator is not in it. */
  peakRssMb: number;
  /** The bench process's RSS when the phase started, MB. */
  startRssMb: number;
  /** Sampled peak RSS of the emulator's process (holding the tenant) during the phase, MB. */
  emulatorPeakRssMb: number;
  /** HTTP requests on the wire ($batch = 1). */
  httpRequests: number;
  /** Requests Graph counts (each $batch item; the envelope itself is not throttled). */
  counted: number;
  throttled: number;
  byKind: Record<string, number>;
  /** The bare read's time on the same tenant, when measured (bench/compare/bare-read.ts). */
  machineFloorSeconds?: number;
  /** The floor for this phase and the ratio to it, when there is one. */
  floorSeconds?: number;
  ratio?: number;
}

/** What a request is, for the requests-by-kind column. */
export function kindOf(e: Pick<LoggedRequest, "method" | "path">): string {
  const segs = e.path.split("/").filter(Boolean);
  const last = segs[segs.length - 1] ?? "";
  if (e.path === "$batch") return "$batch";
  if (segs[0] === "groups") return "groups";
  if (e.method === "GET") {
    if (last === "settings") return "settings";
    if (last === "assignments") return "assignments";
    return segs.length === 2 ? "list" : "get";
  }
  if (last === "assign") return "assign";
  if (e.method === "POST") return segs.length === 2 ? "create" : "action";
  return e.method === "DELETE" ? "delete" : "update";
}

function sampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / (1024 * 1024);
    },
  };
}

/** Runs `work` against `emulator` and measures it; a failure is recorded, never hidden. */
export async function measure(label: string, emulator: BenchEmulator, work: () => Promise<void>): Promise<PhaseResult> {
  // Asked before the clock starts and after it stops, so the questions are not in the phase's time.
  const [from] = await Promise.all([emulator.requestCount(), emulator.takePeakRssMb()]);
  (globalThis as { gc?: () => void }).gc?.();
  const startRssMb = process.memoryUsage.rss() / (1024 * 1024);
  const rss = sampler();
  const start = performance.now();
  let error: string | undefined;
  try {
    await work();
  } catch (err) {
    error = err instanceof Error ? err.message.split("\n")[0] : String(err);
  }
  const seconds = (performance.now() - start) / 1000;
  const peakRssMb = rss.stop();
  const emulatorPeakRssMb = await emulator.takePeakRssMb();
  const entries = await emulator.requestsSince(from);
  const byKind: Record<string, number> = {};
  let counted = 0;
  for (const e of entries) {
    if (e.path !== "$batch") counted++;
    if (e.inBatch) {
      byKind[`${kindOf(e)} (in $batch)`] = (byKind[`${kindOf(e)} (in $batch)`] ?? 0) + 1;
      continue;
    }
    byKind[kindOf(e)] = (byKind[kindOf(e)] ?? 0) + 1;
  }
  return {
    label,
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
    seconds,
    peakRssMb,
    startRssMb,
    emulatorPeakRssMb,
    httpRequests: entries.filter((e) => !e.inBatch).length,
    counted,
    throttled: entries.filter((e) => e.status === 429).length,
    byKind,
  };
}
