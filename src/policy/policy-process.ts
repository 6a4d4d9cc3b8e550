// The process policy files run in (forked by loader.ts; never imported by the CLI or the Pulumi program).
// Policy files are code: here they run with a scrubbed environment and cannot end the CLI or change its
// exit code. This file requires each one, copies its exports into plain data (plain-data.ts) and sends
// that back over IPC; the parent validates it with the zod schemas and kills this process when it is done,
// whatever timers or handles a policy file left behind.
import Module, { createRequire, findSourceMap } from "node:module";
import path from "node:path";
import { toPlainData, type PlainData } from "./plain-data";

/** What the parent sends: the files to load (relative to `root`) and esbuild's output for them. */
export interface LoadJob {
  root: string;
  files: string[];
  /** Absolute path of a `.ts` file → its CommonJS; files missing here go to the tsx hook. */
  code: Record<string, string>;
  maxDepth: number;
}

export interface LoadedExport {
  name: string;
  value: PlainData;
}

/** What this process sends back, in order: `loading` before each file, then its result; `done` last. */
export type LoaderMessage =
  | { type: "loading"; file: string }
  | {
      type: "loaded";
      file: string;
      exports: LoadedExport[];
      problems: { path: (string | number)[]; message: string }[];
    }
  | { type: "failed"; file: string; message: string }
  | { type: "done" };

const KIND_KEY = "kind";

function run(job: LoadJob): void {
  disarmProcessExit();
  withTranspiled(new Map(Object.entries(job.code)), () => {
    for (const file of job.files) {
      send({ type: "loading", file });
      send(loadFile(job.root, file, job.maxDepth));
    }
  });
  send({ type: "done" });
}

function send(message: LoaderMessage): void {
  process.send?.(message);
}

/**
 * A policy file that calls `process.exit` (now or from a timer) must not end this process before its
 * results are sent, nor decide anything about the CLI's exit: the call throws instead, and errors thrown
 * later from timers are written to stderr and otherwise ignored (the parent stops this process).
 */
function disarmProcessExit(): void {
  const refuse = (code?: unknown): never => {
    throw new Error(
      `a policy file called process.exit(${code === undefined ? "" : String(code)}); policy files cannot end the run`,
    );
  };
  process.exit = refuse;
  process.abort = refuse;
  process.on("uncaughtException", (err) =>
    process.stderr.write(
      `wslpolicy: policy file code failed after loading: ${err instanceof Error ? err.message : String(err)}\n`,
    ),
  );
  process.on("unhandledRejection", (err) =>
    process.stderr.write(
      `wslpolicy: policy file code failed after loading: ${err instanceof Error ? err.message : String(err)}\n`,
    ),
  );
}

function loadFile(root: string, file: string, maxDepth: number): LoaderMessage {
  const absolute = path.resolve(root, file);
  let moduleExports: unknown;
  try {
    moduleExports = requireTs(absolute);
  } catch (err) {
    return { type: "failed", file, message: loadFailureMessage(err, absolute, file) };
  }
  const exports: LoadedExport[] = [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  let entries: [string, () => unknown][];
  try {
    entries = exportedEntries(moduleExports);
  } catch (err) {
    return { type: "failed", file, message: `listing the file's exports threw: ${errorMessage(err)}` };
  }
  for (const [name, read] of entries) {
    let value: unknown;
    let kind: unknown;
    try {
      value = read();
      kind = isObject(value) ? (value as Record<string, unknown>)[KIND_KEY] : undefined;
    } catch (err) {
      problems.push({ path: [name], message: `reading the export threw: ${errorMessage(err)}` });
      continue;
    }
    // Exports without a `kind` (helpers, constants) are not policies and never leave this process.
    if (typeof kind !== "string") continue;
    const plain = toPlainData(value, maxDepth);
    if (plain.ok) exports.push({ name, value: plain.value });
    else problems.push({ path: [name, ...plain.problem.path], message: plain.problem.message });
  }
  return { type: "loaded", file, exports, problems };
}

/** Each export's name and how to read it (a getter or Proxy can throw on the read, reported per export). */
function exportedEntries(moduleExports: unknown): [string, () => unknown][] {
  if (!isObject(moduleExports)) return [];
  const record = moduleExports as Record<string, unknown>;
  // `module.exports = wslPolicy(...)`: the module itself is the policy.
  if (typeof record[KIND_KEY] === "string") return [["default", () => moduleExports]];
  return Object.keys(record)
    .filter((key) => key !== "__esModule")
    .map((key) => [key, () => record[key]]);
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// ---- running TypeScript -------------------------------------------------------------------------

interface CompilableModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: CompilableModule, filename: string) => unknown;

/**
 * While `body` runs, `.ts` files esbuild already transpiled load from that output (including one policy
 * file importing another); any other `.ts` (the wslpolicy package itself) goes to the tsx hook.
 */
function withTranspiled(code: ReadonlyMap<string, string>, body: () => void): void {
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
    body();
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
 * a second copy of the package where it succeeds. So while policy files load, `wslpolicy` and
 * `wslpolicy/<subpath>` always resolve to the package this process runs. Returns the function that undoes it.
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

function requireTs(absolute: string): unknown {
  return createRequire(absolute)(absolute) as unknown;
}

function ensureTsHook(): void {
  // The parent forks this file with `--require tsx/cjs`; registered again only if that did not happen.
  if (!(".ts" in createRequire(__filename).extensions)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("tsx/cjs/api") as typeof import("tsx/cjs/api")).register();
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
 * formats stack traces in this process having mapped them already.
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
  if (entry && "originalLine" in entry && typeof entry.originalLine === "number")
    return `${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  return `${line}:${column}`;
}

function errorMessage(err: unknown): string {
  try {
    return err instanceof Error ? String(err.message) : String(err);
  } catch {
    return "a value that cannot be printed";
  }
}

if (require.main === module && process.send) {
  process.once("message", (job: LoadJob) => run(job));
}
