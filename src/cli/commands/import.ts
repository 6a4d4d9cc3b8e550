// `wslpolicy import [--stack NAME | --snapshot FILE] --out DIR [--policies DIR] [--packages DIR] [--force]`: brownfield
// adoption. Reads the tenant (or a snapshot), writes one policy file per existing WSL-related object, each
// with `adopt: "<object id>"` (pulumi/pulumi#16175: `pulumi import` does not work with dynamic providers).
// Ids already used in the policies directory are avoided and objects it already adopts are skipped. Files
// are written atomically and never over an existing file without --force; if any would be, nothing is.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import writeFileAtomic from "write-file-atomic";
import { describeError } from "../../graph";
import { printable } from "../../model";
import { IMPORTED_HEADER, importTenant, type ImportOptions } from "../../import";
import { loadPolicyDirectory } from "../../policy/loader";
import { hasErrors, readPackagesIn } from "../../project";
import { EXIT, type CliIO } from "../io";
import {
  colors,
  displayPath,
  plural,
  policiesOption,
  renderDiagnostic,
  resolveProject,
  stackOption,
  type ProjectContext,
} from "../options";
import { readLiveTenant } from "../read-tenant";
import type { CommandSpec } from "./registry";

export interface ImportCliOptions {
  stack: string;
  snapshot?: string;
  out: string;
  policies?: string;
  /** A folder inside the policies directory with the MSIs of the plug-in apps (a tenant holds no MSI). */
  packages?: string;
  force?: boolean;
}

/** Existing policies (ids taken, objects already adopted): `--policies`, else the stack's directory when it exists. */
async function existingPolicies(
  opts: ImportCliOptions,
  io: CliIO,
  project: ProjectContext,
): Promise<NonNullable<ImportOptions["existing"]>> {
  if (opts.policies === undefined && !existsSync(project.policiesDir)) return [];
  const loaded = await loadPolicyDirectory(project.policiesDir);
  if (hasErrors(loaded.diagnostics)) {
    const c = colors(io);
    for (const d of loaded.diagnostics.filter((x) => x.severity === "error")) io.stderr(`${renderDiagnostic(d, c)}\n`);
    throw new Error(
      `the policies in ${displayPath(io, project.policiesDir)} are invalid; import reads them to avoid their ids and the objects they already adopt`,
    );
  }
  return loaded.policies.map((p) => ({
    policyId: p.policy.id,
    file: p.file,
    ...(p.policy.adopt ? { adoptId: p.policy.adopt } : {}),
  }));
}

function writeAtomically(file: string, text: string): void {
  try {
    writeFileAtomic.sync(file, text, { encoding: "utf8" });
  } catch (err) {
    throw new Error(`${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * Names (without `.ts`) of files in the output directory that `import` did not write: their names are never
 * handed out, so even `--force` only ever overwrites earlier imports, never a hand-written file.
 */
function foreignFileIds(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .filter((name) => name.endsWith(".ts"))
    .filter((name) => !readFileSync(path.join(outDir, name), "utf8").startsWith(IMPORTED_HEADER))
    .map((name) => name.slice(0, -".ts".length));
}

/** A word of a shell command, quoted only when it has to be. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * What to run after import. `plan` compares the stack's whole policies directory with the tenant and deletes
 * what the stack manages that no file there declares, so files written elsewhere go into that directory
 * first; planning `--out` alone would show the stack's other objects as deletes.
 */
function nextHint(
  io: CliIO,
  opts: ImportCliOptions,
  project: ProjectContext,
  outDir: string,
  files: readonly string[],
): string {
  const policiesDir = project.policiesDir;
  const inside = outDir === policiesDir || outDir.startsWith(`${policiesDir}${path.sep}`);
  const plan = ["wslpolicy", "plan", "--stack", project.stack];
  if (opts.policies !== undefined) plan.push("--policies", displayPath(io, policiesDir));
  if (opts.snapshot !== undefined) plan.push("--snapshot", opts.snapshot);
  const planCommand = `\`${plan.map(shellWord).join(" ")}\``;
  if (inside) return `Next: review the files, then ${planCommand}; only the ownership markers should change.`;
  const target = displayPath(io, policiesDir);
  const mkdir = existsSync(policiesDir) ? "" : `mkdir -p ${shellWord(target)} && `;
  const move = `${mkdir}${["mv", ...files.map((f) => displayPath(io, f)), `${target}/`].map(shellWord).join(" ")}`;
  return (
    `Next: review the files and move them into the stack's policies directory, \`${move}\` (plan compares that whole ` +
    `directory with the stack: what the stack manages and no file there declares is deleted), then ${planCommand}; ` +
    "only the ownership markers should change."
  );
}

export async function runImport(opts: ImportCliOptions, io: CliIO): Promise<number> {
  const c = colors(io);
  let stage = "reading the stack configuration";
  try {
    const project = resolveProject(io, opts);
    stage = `reading the policies in ${displayPath(io, project.policiesDir)}`;
    const existing = await existingPolicies(opts, io, project);
    stage = opts.snapshot ? `reading the snapshot ${opts.snapshot}` : "reading the tenant";
    const live = await readLiveTenant(io, project, opts.snapshot);
    const source = live.tenant.kind === "snapshot" ? `snapshot ${live.tenant.label}` : live.tenant.label;
    let packages: ImportOptions["packages"];
    if (opts.packages !== undefined) {
      stage = `reading the MSIs in ${opts.packages}`;
      packages = await readPackagesIn(path.resolve(io.cwd, opts.packages), project.policiesDir);
    }
    stage = "importing";
    const outDir = path.resolve(io.cwd, opts.out);
    const result = importTenant(live.snapshot, {
      stack: project.stack,
      source,
      existing,
      reservedIds: foreignFileIds(outDir),
      guardrails: project.guardrails,
      ...(packages ? { packages } : {}),
    });

    const targets = result.files.map((f) => ({ f, file: path.join(outDir, f.file) }));
    const clashes = targets.filter((t) => existsSync(t.file));
    if (clashes.length && !opts.force) {
      io.stderr(
        `${c.red("✖")} import failed, nothing written: ${clashes.map((t) => displayPath(io, t.file)).join(", ")} already exist${clashes.length === 1 ? "s" : ""} (pass --force to overwrite)\n`,
      );
      return EXIT.error;
    }
    stage = `writing to ${displayPath(io, outDir)}`;
    mkdirSync(outDir, { recursive: true });
    for (const t of targets) writeAtomically(t.file, t.f.source);

    // Names, ids, notes and reasons come from the tenant (or a snapshot file): printed as data.
    io.stdout(
      `${c.green("✔")} imported ${plural(result.files.length, "object")} from ${printable(source)} into ${displayPath(io, outDir)}\n`,
    );
    for (const t of targets) {
      io.stdout(
        `  ${c.cyan(displayPath(io, t.file))}  ${t.f.kind} ← "${printable(t.f.objectName)}" (${printable(t.f.objectId)})\n`,
      );
      for (const note of t.f.notes) io.stdout(`      ${c.yellow("note:")} ${printable(note)}\n`);
    }
    if (result.skipped.length) {
      io.stdout(`${c.yellow("skipped")} ${plural(result.skipped.length, "WSL-related object")}:\n`);
      for (const s of result.skipped)
        io.stdout(`  "${printable(s.objectName)}" (${printable(s.objectId)}): ${printable(s.reason)}\n`);
    }
    io.stdout(
      `${plural(result.unrelated, "other object")} in the tenant ${result.unrelated === 1 ? "has" : "have"} nothing to do with WSL.\n`,
    );
    if (result.files.length)
      io.stdout(
        `${nextHint(
          io,
          opts,
          project,
          outDir,
          targets.map((t) => t.file),
        )}\n`,
      );
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} import failed while ${stage}: ${printable(describeError(err))}\n`);
    return EXIT.error;
  }
}

export const importCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("import")
      .description(
        "Write a policy file (with `adopt`) for each existing WSL-related object of the stack's tenant or a snapshot: brownfield adoption.",
      )
      .addOption(stackOption())
      .addOption(
        new Option("--snapshot <file>", "read the tenant from a snapshot file (wslpolicy export) instead of Graph"),
      )
      .addOption(new Option("--out <dir>", "directory to write the policy files into").makeOptionMandatory())
      .addOption(policiesOption())
      .addOption(
        new Option(
          "--packages <dir>",
          "a folder inside the policies directory holding the plug-in MSIs: a Defender plug-in app whose setup file is there is imported",
        ),
      )
      .addOption(new Option("--force", "overwrite policy files that already exist in --out"))
      .action(async (opts: ImportCliOptions) => {
        setExit(await runImport(opts, io));
      });
  },
};
