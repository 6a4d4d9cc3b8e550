// Loads a policies directory: every `*.ts` file (recursively, in name order) is transpiled here and run
// in a separate process (policy-process.ts) with a scrubbed environment and a time limit, because policy
// files are code; only their exports come back, as plain data, and are validated with `policySchema`.
// Anything wrong becomes a diagnostic naming the file and the field (`<exportName>.<field path>`).
// Adding a file is enough: no central list. This is an edge of the pipeline (it reads files and starts a
// process); the model it produces is pure data. The trust boundary is described in docs/security.md.
import { fork } from "node:child_process";
import { readdirSync } from "node:fs";
import * as esbuild from "esbuild";
import path from "node:path";
import { compareText, type Diagnostic } from "../model";
import { flattenIssues, formatPath, policyErrorMap } from "./issues";
import { policySchema, type LoadedPolicy, type PolicyKind } from "./model";
import { MAX_POLICY_DEPTH } from "./plain-data";
import type { LoadedExport, LoaderMessage, LoadJob } from "./policy-process";
import { targetSchema } from "./targets";

export interface LoadResult {
  policies: LoadedPolicy[];
  diagnostics: Diagnostic[];
}

const POLICY_KINDS: ReadonlySet<string> = new Set<PolicyKind>(policySchema.options.map((o) => o.shape.kind.value));
/** Values policy files legitimately export besides policies (shared ring definitions, targets). */
const TARGET_KINDS: ReadonlySet<string> = new Set(targetSchema.options.map((o) => o.shape.kind.value));

/**
 * Policy files under `dir`, relative and `/`-separated, sorted; tests, declarations and dot/node_modules folders
 * skipped.
 */
export function listPolicyFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (
        entry.isFile() &&
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".test.ts") &&
        !entry.name.endsWith(".d.ts")
      )
        out.push(child);
    }
  };
  walk("");
  return out.sort(compareText);
}

export interface LoadOptions {
  /**
   * Transpile all files in one esbuild run before loading (default). `false` leaves every file to the
   * per-`require` tsx hook; kept so the benchmark can show what batching buys.
   */
  batchTranspile?: boolean;
  /** How long policy files may take to load; default `WSLPOLICY_POLICY_TIMEOUT` seconds, else 60 s. */
  timeoutMs?: number;
}

/** The environment variable that sets the load time limit in seconds. */
export const POLICY_TIMEOUT_VARIABLE = "WSLPOLICY_POLICY_TIMEOUT";
const DEFAULT_TIMEOUT_MS = 60_000;

/** Loads and validates every policy file in `dir`; duplicate ids across files are errors naming both files. */
export async function loadPolicyDirectory(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const root = path.resolve(dir);
  let files: string[];
  try {
    files = listPolicyFiles(root);
  } catch (err) {
    return {
      policies: [],
      diagnostics: [
        {
          code: "policies-dir-unreadable",
          severity: "error",
          file: dir,
          path: "",
          message: `cannot read the policies directory: ${errorMessage(err)}`,
        },
      ],
    };
  }
  if (files.length === 0) {
    // Not an error (a new repo), but plan/apply with no policies would delete everything the stack manages.
    return {
      policies: [],
      diagnostics: [
        {
          code: "no-policy-files",
          severity: "warning",
          file: ".",
          path: "",
          message: `no policy files (*.ts) in ${dir}`,
        },
      ],
    };
  }
  const timeout = resolveTimeout(options.timeoutMs);
  if (typeof timeout === "string")
    return {
      policies: [],
      diagnostics: [{ code: "load-timeout-invalid", severity: "error", file: ".", path: "", message: timeout }],
    };
  const policies: LoadedPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  const { code, syntaxErrors } =
    options.batchTranspile === false
      ? { code: new Map<string, string>(), syntaxErrors: new Map<string, string>() }
      : await transpileAll(root, files);
  const loadable = files.filter((f) => !syntaxErrors.has(f));
  const evaluated =
    loadable.length > 0
      ? await evaluateInChild(
          { root, files: loadable, code: Object.fromEntries(code), maxDepth: MAX_POLICY_DEPTH },
          timeout,
        )
      : new Map<string, FileOutcome>();
  for (const file of files) {
    const syntaxError = syntaxErrors.get(file);
    if (syntaxError) {
      diagnostics.push({ code: "syntax-error", severity: "error", file, path: "", message: syntaxError });
      continue;
    }
    const outcome = evaluated.get(file) ?? {
      kind: "failed",
      message: "was not loaded (the policy loader stopped before reaching it)",
    };
    if (outcome.kind === "failed") {
      diagnostics.push({ code: "load-failed", severity: "error", file, path: "", message: outcome.message });
      continue;
    }
    for (const problem of outcome.problems)
      diagnostics.push({
        code: "export-not-plain-data",
        severity: "error",
        file,
        path: formatPath(problem.path),
        message: problem.message,
      });
    const result = validateExports(outcome.exports, file);
    policies.push(...result.policies);
    diagnostics.push(...result.diagnostics);
  }
  diagnostics.push(...duplicateIds(policies));
  return { policies, diagnostics };
}

function resolveTimeout(explicit: number | undefined): number | string {
  if (explicit !== undefined) return explicit;
  const raw = process.env[POLICY_TIMEOUT_VARIABLE];
  if (raw === undefined || raw === "") return DEFAULT_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    return `${POLICY_TIMEOUT_VARIABLE} must be a number of seconds above 0, got '${raw}'`;
  return seconds * 1000;
}

// ---- the policy process -------------------------------------------------------------------------

type FileOutcome =
  | { kind: "loaded"; exports: LoadedExport[]; problems: { path: (string | number)[]; message: string }[] }
  | { kind: "failed"; message: string };

/**
 * Variables a policy file may see. Everything else (AZURE_*, ARM_*, ACTIONS_ID_TOKEN_REQUEST_*,
 * SYSTEM_ACCESSTOKEN, WSLPOLICY_EMULATOR_TOKEN, NODE_OPTIONS, …) is left out: an allow-list, so a credential
 * variable nobody thought of stays out too.
 */
const PASSED_VARIABLES = [
  "PATH",
  "Path",
  "SystemRoot",
  "SYSTEMROOT",
  "windir",
  "TEMP",
  "TMP",
  "TMPDIR",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
];

export function policyProcessEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of PASSED_VARIABLES) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

/**
 * Runs the job in a fresh process and collects one outcome per file. The process is killed as soon as
 * it reports `done`, when the time limit passes, or when it ends early (a file that ends it, a crash);
 * files it did not report on get an error naming what happened. Its stdout and stderr go to our stderr, so
 * a policy file cannot write into a report.
 */
function evaluateInChild(job: LoadJob, timeoutMs: number): Promise<Map<string, FileOutcome>> {
  return new Promise((resolve) => {
    const outcomes = new Map<string, FileOutcome>();
    let current: string | undefined;
    let settled = false;
    // `.ts` in a checkout (run through tsx), `.js` in the published package (compiled into dist/).
    const child = fork(path.join(__dirname, `policy-process${path.extname(__filename)}`), [], {
      execArgv: ["--require", require.resolve("tsx/cjs")],
      env: policyProcessEnvironment(),
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    let resolved = false;
    let drain: NodeJS.Timeout | undefined;
    const done = () => {
      if (resolved) return;
      resolved = true;
      clearTimeout(drain);
      resolve(outcomes);
    };
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      if (failure && current && !outcomes.has(current)) outcomes.set(current, { kind: "failed", message: failure });
      else if (failure)
        for (const file of job.files) if (!outcomes.has(file)) outcomes.set(file, { kind: "failed", message: failure });
      // What it printed is forwarded once its pipes are drained ('close'); a process a policy file started
      // could hold them open, so that wait is bounded.
      drain = setTimeout(done, 2_000);
    };
    const timer = setTimeout(
      () =>
        finish(
          `did not finish loading within ${timeoutMs / 1000} s (a loop or a wait that never ends?); ${POLICY_TIMEOUT_VARIABLE}=<seconds> changes the limit`,
        ),
      timeoutMs,
    );
    child.on("message", (message: LoaderMessage) => {
      if (message.type === "loading") current = message.file;
      else if (message.type === "loaded")
        outcomes.set(message.file, { kind: "loaded", exports: message.exports, problems: message.problems });
      else if (message.type === "failed") outcomes.set(message.file, { kind: "failed", message: message.message });
      else finish();
    });
    child.on("error", (err) => {
      finish(`the policy loader process failed: ${err.message}`);
      done();
    });
    child.on("close", (code, signal) => {
      finish(
        `ended the policy loader process while loading (${signal ? `signal ${signal}` : `exit code ${String(code)}`}); policy files cannot end the run`,
      );
      done();
    });
    child.send(job);
  });
}

/** Validates a file's exports (plain data from the policy process) as policy values. */
function validateExports(exports: readonly LoadedExport[], file: string): LoadResult {
  const policies: LoadedPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { name: exportName, value } of exports) {
    const kind = kindOf(value);
    if (kind === undefined || TARGET_KINDS.has(kind)) continue;
    if (!POLICY_KINDS.has(kind)) {
      diagnostics.push({
        code: "export-ignored",
        severity: "warning",
        file,
        path: `${exportName}.kind`,
        message: `kind '${kind}' is not a policy kind, so this export is ignored (policy kinds: ${[...POLICY_KINDS].join(", ")})`,
      });
      continue;
    }
    const parsed = policySchema.safeParse(value, { reportInput: true, error: policyErrorMap });
    if (parsed.success) {
      policies.push({ policy: parsed.data, file, exportName });
      continue;
    }
    for (const issue of flattenIssues(parsed.error.issues)) {
      diagnostics.push({
        code: "schema-invalid",
        severity: "error",
        file,
        path: formatPath([exportName, ...issue.path]),
        message: issue.message,
      });
    }
  }
  return { policies, diagnostics };
}

function kindOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === "string" ? kind : undefined;
}

function duplicateIds(policies: readonly LoadedPolicy[]): Diagnostic[] {
  const first = new Map<string, LoadedPolicy>();
  const out: Diagnostic[] = [];
  for (const lp of policies) {
    const earlier = first.get(lp.policy.id);
    if (!earlier) {
      first.set(lp.policy.id, lp);
      continue;
    }
    const where =
      earlier.file === lp.file
        ? `export '${earlier.exportName}' of the same file`
        : `${earlier.file} (export '${earlier.exportName}')`;
    out.push({
      code: "duplicate-policy-id",
      severity: "error",
      file: lp.file,
      path: `${lp.exportName}.id`,
      message: `duplicate policy id '${lp.policy.id}': also used by ${where}; ids must be unique across all policy files`,
    });
  }
  return out;
}

// ---- running TypeScript -------------------------------------------------------------------------

/**
 * Transpiles every policy file in one esbuild run (esbuild works through them in parallel), instead of
 * one synchronous transform per `require` as tsx does: bench/compile.bench.ts measured cold validate +
 * compile of 1,000 files at ~1.9 s against ~3.3 s for per-file tsx loading alone (2 busy cores; see the
 * bench for current figures). A file that does not parse is reported by itself and the
 * others are transpiled again without it. Output is the same CommonJS + inline source map tsx produces.
 */
async function transpileAll(
  root: string,
  files: readonly string[],
): Promise<{ code: Map<string, string>; syntaxErrors: Map<string, string> }> {
  const syntaxErrors = new Map<string, string>();
  let pending = [...files];
  for (;;) {
    try {
      const result = await esbuild.build({
        entryPoints: pending.map((f) => path.join(root, f)),
        absWorkingDir: root,
        outdir: root,
        outbase: root,
        bundle: false,
        write: false,
        format: "cjs",
        platform: "node",
        target: "node20",
        sourcemap: "inline",
        logLevel: "silent",
      });
      const code = new Map<string, string>();
      for (const out of result.outputFiles) code.set(out.path.replace(/\.js$/, ".ts"), out.text);
      return { code, syntaxErrors };
    } catch (err) {
      const failed = new Set<string>();
      for (const e of (err as Partial<esbuild.BuildFailure>).errors ?? []) {
        const file = e.location?.file.split(path.sep).join("/");
        if (!file || !pending.includes(file)) continue;
        failed.add(file);
        if (!syntaxErrors.has(file))
          syntaxErrors.set(
            file,
            `syntax error: ${file}:${e.location?.line}:${(e.location?.column ?? 0) + 1}: ${e.text}`,
          );
      }
      // Not a per-file error (esbuild itself failed): let tsx load the files one by one.
      if (failed.size === 0) return { code: new Map(), syntaxErrors };
      pending = pending.filter((f) => !failed.has(f));
      if (pending.length === 0) return { code: new Map(), syntaxErrors };
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
