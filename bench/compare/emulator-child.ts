// The child process of bench/compare/emulator-process.ts: runs one emulator (Intune's throttling on) on the seed in
// the JSON file named by its argument (or on the unmanaged tenant of the size it names, made here), and answers the
// bench's questions over IPC. It samples its own resident memory, and exits when the bench tells it to stop or goes
// away (the IPC channel closes), so no emulator outlives the bench.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { COLLECTIONS, isOwnedBy } from "../../src/model";
import type { ChildMessage, ChildRequest, EmulatorChildConfig, LoggedRequest } from "./emulator-process";
import { unmanagedTenant } from "./tenant";

/** As often as the bench samples its own memory (bench/compare/measure.ts). */
const SAMPLE_MS = 25;

const send = (m: ChildMessage, then: () => void = () => undefined) => process.send?.(m, then);

let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), SAMPLE_MS);
sampler.unref();

let emulator: RunningEmulator | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  // A stop that hangs must not keep the process (and its port) alive.
  setTimeout(() => process.exit(code), 2000).unref();
  if (!stopping) {
    stopping = true;
    await emulator?.stop().catch(() => undefined);
  }
  process.exit(code);
}

process.on("disconnect", () => void shutdown(0));

function answer(q: ChildRequest, em: RunningEmulator): unknown {
  switch (q.type) {
    case "requestCount":
      return em.log.entries.length;
    case "requestsSince":
      return em.log.entries.slice(q.from).map(({ method, path, status, inBatch, timestamp }): LoggedRequest => ({
        method,
        path,
        status,
        inBatch,
        timestamp,
      }));
    case "groups":
      return (em.state.list(COLLECTIONS.groups) as { id: string; displayName: string }[]).map(
        ({ id, displayName }) => ({ id, displayName }),
      );
    case "ownedPolicies":
      return em.state
        .list(COLLECTIONS.configurationPolicies)
        .filter((p) => isOwnedBy(p.description as string | undefined, q.stack)).length;
    case "takePeakRssMb": {
      const mb = Math.max(peak, process.memoryUsage.rss()) / (1024 * 1024);
      peak = process.memoryUsage.rss();
      return mb;
    }
    case "stop":
      return null;
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: emulator-child.ts CONFIG.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as EmulatorChildConfig;
  // The file is alone in a directory made for it; removed here too, for a bench killed before we are ready.
  rmSync(path.dirname(file), { recursive: true, force: true });
  emulator = await startEmulator({
    seed: config.unmanaged ? unmanagedTenant(config.unmanaged) : config.seed,
    timeScale: config.timeScale,
    throttling: { enabled: true },
    roundTripMs: config.roundTripMs,
  });
  const em = emulator;
  process.on("message", (q: ChildRequest) => {
    if (q.type === "stop") {
      stopping = true;
      void em.stop().then(
        () => send({ type: "answer", id: q.id, value: null }, () => process.exit(0)),
        (err: unknown) => send({ type: "failed", id: q.id, error: String(err) }, () => process.exit(1)),
      );
      return;
    }
    try {
      send({ type: "answer", id: q.id, value: answer(q, em) });
    } catch (err) {
      send({ type: "failed", id: q.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  send({
    type: "ready",
    baseUrl: em.baseUrl,
    caFile: em.caFile,
    caCertPem: em.caCertPem,
    token: em.issueToken(),
  });
}

main().catch((err: unknown) => {
  send({ type: "failed", error: err instanceof Error ? err.message : String(err) }, () => void shutdown(1));
});
