// `wslpolicy emulator [--port N] [--seed FILE] [--state FILE] [--time-scale X] [--no-throttling] [--faults FILE]`:
// runs the local Graph emulator (src/emulator) until SIGINT/SIGTERM and prints what a client needs to reach it: the
// base URL, the CA file and the environment variables the other commands and the Pulumi providers read
// (src/tenant/connect.ts, src/pulumi/connection.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { ADMIN_FAULTS_PATH, parseFaultRules, startEmulator, type RunningEmulator } from "../../emulator";
import type { FaultRule } from "../../emulator";
import type { TenantSnapshot } from "../../model";
import { resolveSeedFile } from "../../config";
// The variables printed are the ones the tenant connection reads.
import { EMULATOR_CA_ENV, EMULATOR_ENDPOINT_ENV, EMULATOR_TIME_SCALE_ENV, EMULATOR_TOKEN_ENV } from "../../tenant";
import { EXIT, type CliIO } from "../io";
import type { CommandSpec } from "./registry";

export interface EmulatorCommandOptions {
  port?: string;
  seed?: string;
  state?: string;
  timeScale?: string;
  throttling: boolean;
  faults?: string;
}

/** The variable holding the admin route's token (printed at start). */
export const EMULATOR_ADMIN_TOKEN_ENV = "WSLPOLICY_EMULATOR_ADMIN_TOKEN";

function readFaults(file: string): FaultRule[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: cannot read faults (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseFaultRules(data, file);
}

function parseNumber(value: string | undefined, flag: string, ok: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !ok(n)) throw new Error(`${flag}: '${value}' is not valid`);
  return n;
}

function readSeed(file: string): TenantSnapshot {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read seed (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return JSON.parse(text) as TenantSnapshot;
  } catch (err) {
    throw new Error(`${file}: seed is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Starts the emulator, prints how to reach it, and stops it when `until` settles. */
export async function runEmulator(opts: EmulatorCommandOptions, io: CliIO, until: Promise<unknown>): Promise<number> {
  let emulator: RunningEmulator;
  let faults: FaultRule[] = [];
  try {
    const port = parseNumber(opts.port, "--port", (n) => Number.isInteger(n) && n >= 0 && n < 65536);
    const timeScale = parseNumber(opts.timeScale, "--time-scale", (n) => n > 0);
    const seedFile = opts.seed ? resolveSeedFile(opts.seed, io.cwd) : undefined;
    const seed = seedFile ? readSeed(seedFile) : undefined;
    faults = opts.faults ? readFaults(path.resolve(io.cwd, opts.faults)) : [];
    try {
      emulator = await startEmulator({
        port,
        seed,
        stateFile: opts.state ? path.resolve(io.cwd, opts.state) : undefined,
        timeScale,
        throttling: { enabled: opts.throttling },
      });
    } catch (err) {
      throw new Error(`${seedFile ?? opts.state ?? "emulator"}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const rule of faults) emulator.faults.add(rule);
  } catch (err) {
    io.stderr(`wslpolicy emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
  const lines = [
    `Graph emulator (not a real tenant) listening on ${emulator.baseUrl}`,
    `  tenant id   ${emulator.tenantId}`,
    `  CA file     ${emulator.caFile}`,
    `  seed        ${opts.seed ?? "(empty tenant)"}${opts.state ? `, state file ${opts.state}` : ""}`,
    `  throttling  ${opts.throttling ? "on" : "off"}${opts.timeScale ? `, time scale ${opts.timeScale}` : ""}`,
    "",
    "Point clients at it (stack config `wslpolicy:graphEndpoint` or these variables):",
    `  export ${EMULATOR_ENDPOINT_ENV}=${emulator.baseUrl}`,
    `  export ${EMULATOR_CA_ENV}=${emulator.caFile}`,
    `  export ${EMULATOR_TOKEN_ENV}=${emulator.issueToken()}`,
    ...(opts.timeScale ? [`  export ${EMULATOR_TIME_SCALE_ENV}=${opts.timeScale}`] : []),
    "",
    `Faults: ${faults.length} from ${opts.faults ?? "no --faults file"}; add more while it runs (JSON as in --faults):`,
    `  curl --cacert "$${EMULATOR_CA_ENV}" -H "Authorization: Bearer $${EMULATOR_ADMIN_TOKEN_ENV}" -d @faults.json ${emulator.baseUrl.replace(/\/$/, "")}${ADMIN_FAULTS_PATH}`,
    `  export ${EMULATOR_ADMIN_TOKEN_ENV}=${emulator.adminToken}`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ];
  io.stdout(lines.join("\n"));
  try {
    await until;
  } finally {
    await emulator.stop();
    io.stdout("emulator stopped\n");
  }
  return EXIT.ok;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export const emulatorCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("emulator")
      .description(
        "Run the local Graph emulator (HTTPS on 127.0.0.1) until stopped; prints its base URL, CA file and a token.",
      )
      .addOption(new Option("--port <n>", "port to listen on (default: a free port)"))
      .addOption(
        new Option(
          "--seed <file>",
          "tenant snapshot to start from: a file, or wslpolicy/seeds/demo-tenant.json for the demo tenant shipped in the package",
        ),
      )
      .addOption(
        new Option("--state <file>", "persist state to this file after every write; loaded at start when it exists"),
      )
      .addOption(
        new Option("--time-scale <x>", "scale of emulator time: 0.01 makes a 20 s throttling window last 200 ms"),
      )
      .option("--no-throttling", "disable Intune throttling limits")
      .addOption(
        new Option(
          "--faults <file>",
          'JSON {"faults":[{kind, method?, path, nth?, times?, …}]} injected from the start (src/emulator/README.md)',
        ),
      )
      .action(async (opts: EmulatorCommandOptions) => {
        setExit(await runEmulator(opts, io, untilSignal()));
      });
  },
};
