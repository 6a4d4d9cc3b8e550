// `wslpolicy compile`: writes the desired Graph documents, one `<resourceName>.json` per object, plus
// `manifest.json` (objects with their source, assignments and sha256, and the ring groups). Output is
// byte-stable: the compiler builds every document in a fixed key order and `stableStringify` (the one
// way compiled documents become bytes) fixes the layout. Nothing is written when there is an error.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { stableStringify } from "../../compile";
import type { DesiredObject, DesiredState } from "../../model";
import { buildDesiredState } from "../../project";
import { EXIT, type CliIO } from "../io";
import {
  colors,
  countBySeverity,
  displayPath,
  plural,
  policiesOption,
  renderDiagnostic,
  resolveProject,
  stackOption,
} from "../options";
import type { CommandSpec } from "./registry";

export const DEFAULT_OUT_DIR = "out";
export const MANIFEST_FILE = "manifest.json";
const MANIFEST_VERSION = 1;

interface CompileOptions {
  policies?: string;
  stack: string;
  out: string;
}

export interface ManifestEntry {
  kind: DesiredObject["kind"];
  policyId: string;
  resourceName: string;
  displayName: string;
  sourceFile: string;
  /** The document's file name inside the output directory. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  sha256: string;
  adoptId?: string;
  assignments: DesiredObject["assignments"];
}

export interface Manifest {
  version: number;
  stack: string;
  objects: ManifestEntry[];
  rings: DesiredState["rings"];
}

/** The files `compile` writes, by name; pure so tests can check bytes without touching the disk. */
export function renderCompiledFiles(desired: DesiredState): Map<string, string> {
  const files = new Map<string, string>();
  const entries: ManifestEntry[] = [];
  for (const obj of desired.objects) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(obj.resourceName) || obj.resourceName === "manifest") {
      throw new Error(`resource name '${obj.resourceName}' of policy '${obj.policyId}' cannot be used as a file name`);
    }
    const file = `${obj.resourceName}.json`;
    if (files.has(file)) throw new Error(`two objects compile to the same file ${file}`);
    const text = stableStringify(obj.document);
    files.set(file, text);
    entries.push({
      kind: obj.kind,
      policyId: obj.policyId,
      resourceName: obj.resourceName,
      displayName: obj.displayName,
      sourceFile: obj.sourceFile,
      file,
      sha256: createHash("sha256").update(text, "utf8").digest("hex"),
      ...(obj.adoptId ? { adoptId: obj.adoptId } : {}),
      assignments: obj.assignments,
    });
  }
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    stack: desired.stack,
    objects: entries,
    rings: desired.rings,
  };
  files.set(MANIFEST_FILE, stableStringify(manifest));
  return files;
}

export async function runCompile(opts: CompileOptions, io: CliIO): Promise<number> {
  const project = resolveProject(io, opts);
  const result = await buildDesiredState({
    policiesDir: project.policiesDir,
    stack: project.stack,
    guardrails: project.guardrails,
  });
  const c = colors(io);
  for (const d of result.diagnostics) io.stderr(`${renderDiagnostic(d, c)}\n`);
  if (!result.ok) {
    const counts = countBySeverity(result.diagnostics);
    io.stderr(
      `${c.red("✖")} nothing written: ${plural(counts.errors, "error")} in ${displayPath(io, project.policiesDir)}\n`,
    );
    return EXIT.error;
  }
  const files = renderCompiledFiles(result.desired);
  const outDir = path.resolve(io.cwd, opts.out);
  mkdirSync(outDir, { recursive: true });
  removeStaleOutputs(outDir, files);
  for (const [name, text] of files) writeFileSync(path.join(outDir, name), text);
  io.stdout(
    `${c.green("✔")} wrote ${plural(result.desired.objects.length, "object")} and ${MANIFEST_FILE} to ${displayPath(io, outDir)} (stack ${project.stack})\n`,
  );
  return EXIT.ok;
}

/** Documents a previous compile wrote (listed in its manifest) that this one no longer produces. */
function removeStaleOutputs(outDir: string, next: Map<string, string>): void {
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return;
  let previous: unknown;
  try {
    previous = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    return; // not ours to interpret; leave the directory alone
  }
  const objects = (previous as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) return;
  for (const entry of objects) {
    const file = (entry as { file?: unknown }).file;
    if (typeof file === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(file) && !next.has(file)) {
      rmSync(path.join(outDir, file), { force: true });
    }
  }
}

export const compileCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("compile")
      .description(
        "Compile the policy files into the Graph documents wslpolicy would create: one JSON file per object plus manifest.json; nothing is written when there is an error.",
      )
      .addOption(policiesOption())
      .addOption(new Option("--out <dir>", "output directory").default(DEFAULT_OUT_DIR))
      .addOption(stackOption())
      .action(async (opts: CompileOptions) => {
        setExit(await runCompile(opts, io));
      });
  },
};
