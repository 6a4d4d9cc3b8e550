// The comparison's emulator, in a child process of its own: real Graph's CPU and memory are not the
// client's, so the emulator's (serialising answers, TLS, holding the tenant) must not share the measured
// client's event loop or count in its resident memory. `startEmulatorProcess` forks
// bench/compare/emulator-child.ts through bin/run-ts.js (tsx), hands it the seed in a temporary JSON file
// (tens of MB at 10,000 policies: too much for an IPC message) and asks it over IPC for what the bench
// reads from the emulator (`BenchEmulator`). The child exits when this process goes away.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import type { TenantSnapshot } from "../../src/model";
import type { TenantSize } from "./tenant";

/** One request the emulator answered: the fields measure.ts counts by. */
export type LoggedRequest = Pick<RequestLogEntry, "method" | "path" | "status" | "inBatch" | "timestamp">;

export interface BenchGroup {
  id: string;
  displayName: string;
}

/** What the bench needs of an emulator: where it listens, how to call it, what it saw and holds. */
export interface BenchEmulator {
  /** `https://localhost:<port>/` */
  baseUrl: string;
  /** The emulator's CA certificate, as a file (WSLPOLICY_EMULATOR_CA) and as PEM. */
  caFile: string;
  caCertPem: string;
  /** A bearer token with every role, valid for 24 hours. */
  token: string;
  /** Requests answered so far, inner `$batch` requests included: the index the next one gets in the log. */
  requestCount(): Promise<number>;
  /** The requests answered from index `from` of the log on. */
  requestsSince(from: number): Promise<LoggedRequest[]>;
  groups(): Promise<BenchGroup[]>;
  /** Settings-catalog policies carrying `stack`'s ownership marker. */
  ownedPolicies(stack: string): Promise<number>;
  /** The emulator process's peak RSS in MB (sampled) since the previous call or its start; counts afresh. */
  takePeakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** What the child reads from the temporary file. */
export interface EmulatorChildConfig {
  /**
   * The tenant: a snapshot, or (`unmanaged`) the size of the bench's unmanaged tenant for the child to
   * generate itself (bench/compare/tenant.ts), so the bench process never holds it and its memory is the
   * client's alone.
   */
  seed?: TenantSnapshot;
  unmanaged?: TenantSize;
  timeScale: number;
  /** Real milliseconds per HTTP request. */
  roundTripMs: number;
}

/** A question to the child. */
export type Question =
  | { type: "requestCount" }
  | { type: "requestsSince"; from: number }
  | { type: "groups" }
  | { type: "ownedPolicies"; stack: string }
  | { type: "takePeakRssMb" }
  | { type: "stop" };

/** A question as sent: `id` pairs it with its answer. */
export type ChildRequest = Question & { id: number };

export interface ChildReady {
  type: "ready";
  baseUrl: string;
  caFile: string;
  caCertPem: string;
  token: string;
}

export type ChildMessage =
  ChildReady | { type: "answer"; id: number; value: unknown } | { type: "failed"; id?: number; error: string };

const RUN_TS = path.resolve(__dirname, "../../bin/run-ts.js");
const CHILD = path.resolve(__dirname, "emulator-child.ts");
/** How long `stop` waits for the child to exit on its own before killing it. */
const STOP_GRACE_MS = 5000;

function isChildMessage(m: unknown): m is ChildMessage {
  return typeof m === "object" && m !== null && typeof (m as { type?: unknown }).type === "string";
}

/** Starts an emulator with Intune's throttling in a child process; resolves once it listens. */
export async function startEmulatorProcess(config: EmulatorChildConfig): Promise<BenchEmulator> {
  const dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-bench-seed-"));
  const file = path.join(dir, "emulator.json");
  let child: ChildProcess;
  try {
    writeFileSync(file, JSON.stringify(config));
    // stdin closed; the child's output (a crash's stack) goes where the bench's goes.
    child = fork(RUN_TS, [CHILD, file], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited: Error | undefined;
  let readyWaiter: { resolve(r: ChildReady): void; reject(e: Error): void } | undefined;
  child.on("message", (m: unknown) => {
    if (!isChildMessage(m)) return;
    if (m.type === "ready") return readyWaiter?.resolve(m);
    const waiter = m.id === undefined ? undefined : pending.get(m.id);
    if (m.type === "failed" && waiter === undefined) return readyWaiter?.reject(new Error(`emulator: ${m.error}`));
    if (waiter === undefined) return;
    pending.delete(m.id!);
    if (m.type === "answer") waiter.resolve(m.value);
    else waiter.reject(new Error(`emulator: ${m.error}`));
  });
  // Failing to spawn or to signal it; after it is ready the exit, or an answer's send callback, tells the rest.
  child.on("error", (err) => readyWaiter?.reject(err));
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = new Error(`emulator process exited (${signal ?? `code ${code}`})`);
      readyWaiter?.reject(exited);
      for (const w of pending.values()) w.reject(exited);
      pending.clear();
      resolve();
    });
  });

  let ready: ChildReady;
  try {
    ready = await new Promise<ChildReady>((resolve, reject) => {
      readyWaiter = { resolve, reject };
    });
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  } finally {
    readyWaiter = undefined;
    rmSync(dir, { recursive: true, force: true });
  }

  let next = 0;
  const ask = <T>(q: Question): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...q, id } satisfies ChildRequest, (err) => {
        if (err && pending.delete(id)) reject(err);
      });
    });

  return {
    baseUrl: ready.baseUrl,
    caFile: ready.caFile,
    caCertPem: ready.caCertPem,
    token: ready.token,
    requestCount: () => ask<number>({ type: "requestCount" }),
    requestsSince: (from) => ask<LoggedRequest[]>({ type: "requestsSince", from }),
    groups: () => ask<BenchGroup[]>({ type: "groups" }),
    ownedPolicies: (stack) => ask<number>({ type: "ownedPolicies", stack }),
    takePeakRssMb: () => ask<number>({ type: "takePeakRssMb" }),
    stop: async () => {
      if (exited) return;
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      try {
        await ask<null>({ type: "stop" }).catch(() => undefined);
        await exitedPromise;
      } finally {
        clearTimeout(killer);
      }
    },
  };
}
