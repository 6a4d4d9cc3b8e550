// Loads a policies directory: every `*.ts` file (recursively, in name order) is run through tsx, every
// exported policy-shaped value is validated with `policySchema`, and anything wrong becomes a diagnostic
// naming the file and the field (`<exportName>.<field path>`). Adding a file is enough: no central list.
// This is an edge of the pipeline (it reads files and runs code); the model it produces is pure data.
import { readdirSync } from "node:fs";
import * as esbuild from "esbuild";
import Module, { createRequire, findSourceMap } from "node:module";
import path from "node:path";
import { compareText, type Diagnostic } from "../model";
import { flattenIssues, formatPath, policyErrorMap } from "./issues";
import { policySchema, type LoadedPolicy, type PolicyKind } from "./model";
import { targetSchema } from "./targets";

export interface LoadResult {
  policies: LoadedPolicy[];
  diagnostics: Diagnostic[];
}

const POLICY_KINDS: ReadonlySet<string> = new Set<PolicyKind>(policySchema.options.map((o) => o.shape.kind.value));
/** Values policy files legitimately export besides policies (shared ring definitions, targets). */
const TARGET_KINDS: ReadonlySet<string> = new Set(targetSchema.options.map((o) => o.shape.kind.value));

/** Policy files under `dir`, relative and `/`-separated, sorted; tests, declarations and dot/node_modules folders skipped. */
export function listPolicyFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) out.push(child);
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
}

/** Loads and validates every policy file in `dir`; duplicate ids across files are errors naming both files. */
export async function loadPolicyDirectory(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const root = path.resolve(dir);
  let files: string[];
  try {
    files = listPolicyFiles(root);
  } catch (err) {
    return { policies: [], diagnostics: [{ severity: "error", file: dir, path: "", message: `cannot read the policies directory: ${errorMessage(err)}` }] };
  }
  forgetModulesUnder(root);
  if (files.length === 0) {
    // Not an error (a new repo), but plan/apply with no policies would delete everything the stack manages.
    return { policies: [], diagnostics: [{ severity: "warning", file: ".", path: "", message: `no policy files (*.ts) in ${dir}` }] };
  }
  const policies: LoadedPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  const { code, syntaxErrors } = options.batchTranspile === false ? { code: new Map<string, string>(), syntaxErrors: new Map<string, string>() } : await transpileAll(root, files);
  withTranspiled(code, () => {
    for (const file of files) {
      const syntaxError = syntaxErrors.get(file);
      if (syntaxError) {
        diagnostics.push({ severity: "error", file, path: "", message: syntaxError });
        continue;
      }
      const result = loadFile(root, file);
      policies.push(...result.policies);
      diagnostics.push(...result.diagnostics);
    }
  });
  diagnostics.push(...duplicateIds(policies));
  return { policies, diagnostics };
}

function loadFile(root: string, file: string): LoadResult {
  const absolute = path.resolve(root, file);
  const rel = toRelative(root, absolute);
  let exports: unknown;
  try {
    exports = requireTs(absolute);
  } catch (err) {
    return { policies: [], diagnostics: [{ severity: "error", file: rel, path: "", message: loadFailureMessage(err, absolute, rel) }] };
  }
  return validateExports(exports, rel);
}

/** Validates a module's exports as policy values. */
function validateExports(moduleExports: unknown, file: string): LoadResult {
  const policies: LoadedPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [exportName, value] of exportedEntries(moduleExports)) {
    const kind = kindOf(value);
    if (kind === undefined || TARGET_KINDS.has(kind)) continue;
    if (!POLICY_KINDS.has(kind)) {
      diagnostics.push({
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
      diagnostics.push({ severity: "error", file, path: formatPath([exportName, ...issue.path]), message: issue.message });
    }
  }
  return { policies, diagnostics };
}

function exportedEntries(moduleExports: unknown): [string, unknown][] {
  if (moduleExports === null || typeof moduleExports !== "object") return [];
  // `module.exports = wslPolicy(...)`: the module itself is the policy.
  if (kindOf(moduleExports) !== undefined) return [["default", moduleExports]];
  return Object.keys(moduleExports)
    .filter((k) => k !== "__esModule")
    .map((k) => [k, (moduleExports as Record<string, unknown>)[k]]);
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
    const where = earlier.file === lp.file ? `export '${earlier.exportName}' of the same file` : `${earlier.file} (export '${earlier.exportName}')`;
    out.push({
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
async function transpileAll(root: string, files: readonly string[]): Promise<{ code: Map<string, string>; syntaxErrors: Map<string, string> }> {
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
        if (!syntaxErrors.has(file)) syntaxErrors.set(file, `syntax error: ${file}:${e.location?.line}:${(e.location?.column ?? 0) + 1}: ${e.text}`);
      }
      // Not a per-file error (esbuild itself failed): let tsx load the files one by one.
      if (failed.size === 0) return { code: new Map(), syntaxErrors };
      pending = pending.filter((f) => !failed.has(f));
      if (pending.length === 0) return { code: new Map(), syntaxErrors };
    }
  }
}

interface CompilableModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: CompilableModule, filename: string) => unknown;

/**
 * While `run` runs, `.ts` files esbuild already transpiled load from that output (including one policy
 * file importing another); any other `.ts` (the wslpolicy package itself) goes to the installed hook.
 * `run` is synchronous on purpose: concurrent loads cannot interleave and restore the hooks out of order.
 */
function withTranspiled(code: ReadonlyMap<string, string>, run: () => void): void {
  const extensions = createRequire(__filename).extensions as unknown as Record<string, ExtensionHandler | undefined>;
  ensureTsHook();
  const previous = extensions[".ts"];
  extensions[".ts"] = (module, filename) => {
    const transpiled = code.get(filename);
    if (transpiled !== undefined) return module._compile(transpiled, filename);
    if (!previous) throw new Error(`no TypeScript loader for ${filename}`);
    return previous(module, filename);
  };
  const restoreResolve = resolveWslpolicyToThisPackage();
  try {
    run();
  } finally {
    restoreResolve();
    extensions[".ts"] = previous;
  }
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
/** Resolves through this package's own `exports` (Node's package self-reference), whatever the caller's folder. */
const resolveInThisPackage = createRequire(__filename).resolve;

/**
 * Policy files `import ... from "wslpolicy"`. Resolved from the file's own folder, that fails for a
 * policies directory with no node_modules/wslpolicy above it (`validate --policies /tmp/x`), and can find
 * a second copy of the package where it succeeds; a second copy would build policies whose targets and
 * schemas are not the ones this process validates. So while policy files load, `wslpolicy` and
 * `wslpolicy/<subpath>` always resolve to the running package. Returns the function that undoes it.
 */
function resolveWslpolicyToThisPackage(): () => void {
  const previous = moduleInternals._resolveFilename;
  let resolvingHere = false; // resolveInThisPackage goes through _resolveFilename again
  moduleInternals._resolveFilename = function (request, parent, isMain, options) {
    if (!resolvingHere && (request === "wslpolicy" || request.startsWith("wslpolicy/"))) {
      resolvingHere = true;
      try {
        return resolveInThisPackage(request);
      } finally {
        resolvingHere = false;
      }
    }
    return previous.call(this, request, parent, isMain, options);
  };
  return () => {
    moduleInternals._resolveFilename = previous;
  };
}

let tsxRegistered = false;

/**
 * Requires a `.ts` file through tsx. The CLI already runs under `tsx/cjs`; elsewhere (vitest, a Pulumi
 * program) the hook is registered once here. Called inside `withTranspiled`, which also points the
 * files' "wslpolicy" imports at this package.
 */
function requireTs(absolute: string): unknown {
  ensureTsHook();
  return createRequire(absolute)(absolute) as unknown;
}

function ensureTsHook(): void {
  if (tsxRegistered) return;
  // Any `.ts` hook already installed (tsx under the CLI, ts-node under Pulumi) is used as is.
  if (!(".ts" in createRequire(__filename).extensions)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("tsx/cjs/api") as typeof import("tsx/cjs/api")).register();
  }
  tsxRegistered = true;
}

/** A re-run in the same process (tests, watch) must see the files as they are now, not a cached copy. */
function forgetModulesUnder(root: string): void {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const req = createRequire(path.join(root, "index.js"));
  for (const key of Object.keys(req.cache)) {
    if (key.startsWith(prefix)) delete req.cache[key];
  }
}

function loadFailureMessage(err: unknown, absolute: string, rel: string): string {
  const line = err instanceof Error ? locateInFile(err, absolute) : undefined;
  let message = errorMessage(err).split(absolute).join(rel);
  // esbuild reports "Transform failed with 1 error:\n<file>:3:10: ERROR: Expected ..." – keep the located line.
  const located = message.split("\n").find((l) => l.includes(": ERROR: "));
  if (located) return `syntax error: ${located.replace(": ERROR: ", ": ").trim()}`;
  message = message.split("\n")[0] ?? message;
  return `the file failed to load: ${message}${line ? ` (at ${rel}:${line})` : ""}`;
}

/**
 * Line and column in the policy file of the innermost stack frame inside it. Read from raw call sites and
 * mapped through the file's source map (tsx enables them), so the answer does not depend on whoever
 * formats stack traces in this process (vitest, source-map-support) having mapped them already.
 */
function locateInFile(err: Error, absolute: string): string | undefined {
  const previous = Error.prepareStackTrace;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_e, callSites) => {
      sites = callSites;
      return "";
    };
    void err.stack; // formatting is lazy: this is the first access, so our hook sees the call sites
  } finally {
    Error.prepareStackTrace = previous;
  }
  const site = sites.find((s) => s.getFileName() === absolute);
  const line = site?.getLineNumber();
  const column = site?.getColumnNumber();
  if (!site || line == null || column == null) return undefined;
  const entry = findSourceMap(absolute)?.findEntry(line - 1, column - 1);
  if (entry && "originalLine" in entry && typeof entry.originalLine === "number") return `${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  return `${line}:${column}`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/");
}
