// `wslpolicy init [DIR]`: writes a working platform repo from the templates shipped in the package
// (templates/init): an example policy, the local (embedded emulator) and prod stacks, the Pulumi project
// whose program hands over to the installed package, tsconfig.json, .gitignore and the plan/drift CI
// workflows for GitHub Actions and Azure DevOps. package.json is created, or updated in place (the
// wslpolicy dependency pinned to this version, missing scripts added; nothing removed), because
// `npm install wslpolicy` has already written one. Any other file that exists is a refusal naming every
// such file, and nothing is written, unless `--force`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { packageFile, packageVersion } from "../../config";
import { isRecord, type UnknownRecord } from "../../model";
import { EXIT, type CliIO } from "../io";
import { displayPath } from "../options";
import type { CommandSpec } from "./registry";

interface InitOptions {
  force?: boolean;
  name?: string;
}

/** Template (under templates/init, no dot-files: npm leaves some out of a tarball) → file in the new repo. */
const TEMPLATE_FILES: readonly { template: string; target: string; binary?: true }[] = [
  { template: "policies/wsl-developers.ts", target: "policies/wsl-developers.ts" },
  // The stand-in Intune WSL plug-in MSI the example compliance policy names (replace it with Microsoft's).
  {
    template: "policies/packages/stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi",
    target: "policies/packages/stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi",
    binary: true,
  },
  { template: "stacks/index.js", target: "stacks/index.js" },
  { template: "stacks/Pulumi.local.yaml", target: "stacks/Pulumi.local.yaml" },
  { template: "stacks/Pulumi.prod.yaml", target: "stacks/Pulumi.prod.yaml" },
  { template: "Pulumi.yaml", target: "Pulumi.yaml" },
  { template: "tsconfig.json", target: "tsconfig.json" },
  { template: "github/workflows/wslpolicy-validate.yml", target: ".github/workflows/wslpolicy-validate.yml" },
  { template: "github/workflows/wslpolicy-plan.yml", target: ".github/workflows/wslpolicy-plan.yml" },
  { template: "github/workflows/wslpolicy-drift.yml", target: ".github/workflows/wslpolicy-drift.yml" },
  { template: "azure-pipelines/wslpolicy-plan.yml", target: "azure-pipelines/wslpolicy-plan.yml" },
  { template: "azure-pipelines/wslpolicy-drift.yml", target: "azure-pipelines/wslpolicy-drift.yml" },
];
const GITIGNORE_TEMPLATE = "gitignore";

/** Scripts a platform repo gets (only those it does not define already). */
const SCRIPTS: Readonly<Record<string, string>> = {
  validate: "wslpolicy validate",
  plan: "wslpolicy plan --stack local",
};

/** A Pulumi project name from a folder name: letters, digits, `-`, `_` and `.`. */
export function projectName(dir: string): string {
  const name = path
    .basename(path.resolve(dir))
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  return name || "wsl-platform";
}

/**
 * The platform repo's package.json: `existing` (parsed) with wslpolicy pinned to `version` in
 * `dependencies` and the missing scripts added, or a new one. Throws naming the field that is not an object.
 */
export function platformPackageJson(
  existing: UnknownRecord | undefined,
  name: string,
  version: string,
  file: string,
): UnknownRecord {
  const pkg: UnknownRecord = existing
    ? { ...existing }
    : {
        name,
        version: "0.0.0",
        private: true,
        description: "WSL posture of our Intune-managed Windows fleet, as code (wslpolicy)",
      };
  for (const field of ["scripts", "dependencies"]) {
    if (pkg[field] !== undefined && !isRecord(pkg[field])) throw new Error(`${file}: ${field}: expected an object`);
  }
  pkg.scripts = { ...SCRIPTS, ...(pkg.scripts as UnknownRecord | undefined) };
  pkg.dependencies = { ...(pkg.dependencies as UnknownRecord | undefined), wslpolicy: version };
  return pkg;
}

function readTemplate(template: string): string {
  return readFileSync(packageFile(`templates/init/${template}`), "utf8");
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

function writeFile(file: string, text: string | Buffer, overwrite: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // `wx` fails if the file appeared since the check: never overwrite what was not checked.
  writeFileSync(
    file,
    text,
    typeof text === "string" ? { encoding: "utf8", flag: overwrite ? "w" : "wx" } : { flag: overwrite ? "w" : "wx" },
  );
}

export function runInit(dir: string | undefined, opts: InitOptions, io: CliIO): number {
  const root = path.resolve(io.cwd, dir ?? ".");
  const shown = (target: string) => displayPath(io, path.join(root, target));
  const version = packageVersion();
  const name = opts.name ?? projectName(root);
  const force = opts.force === true;

  const existing = TEMPLATE_FILES.filter((f) => existsSync(path.join(root, f.target)));
  if (existing.length > 0 && !force) {
    io.stderr(
      `wslpolicy init: not overwriting existing files (use --force to replace them); nothing was written:\n${existing.map((f) => `  ${shown(f.target)}\n`).join("")}`,
    );
    return EXIT.error;
  }

  // Everything is read and checked before the first write, so a bad package.json changes nothing.
  const packageFileName = path.join(root, "package.json");
  let currentPackage: UnknownRecord | undefined;
  if (existsSync(packageFileName)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(packageFileName, "utf8"));
    } catch (err) {
      io.stderr(
        `wslpolicy init: ${shown("package.json")}: not valid JSON (${err instanceof Error ? err.message : String(err)}); nothing was written\n`,
      );
      return EXIT.error;
    }
    if (!isRecord(parsed)) {
      io.stderr(`wslpolicy init: ${shown("package.json")}: expected a JSON object; nothing was written\n`);
      return EXIT.error;
    }
    currentPackage = parsed;
  }
  let nextPackage: UnknownRecord;
  try {
    nextPackage = platformPackageJson(currentPackage, name, version, shown("package.json"));
  } catch (err) {
    io.stderr(`wslpolicy init: ${err instanceof Error ? err.message : String(err)}; nothing was written\n`);
    return EXIT.error;
  }
  const files = TEMPLATE_FILES.map((f) => ({
    target: f.target,
    text: f.binary
      ? readFileSync(packageFile(`templates/init/${f.template}`))
      : fill(readTemplate(f.template), { name, version }),
  }));
  const gitignoreFile = path.join(root, ".gitignore");
  const currentGitignore = existsSync(gitignoreFile) ? readFileSync(gitignoreFile, "utf8") : undefined;
  const gitignoreLines = readTemplate(GITIGNORE_TEMPLATE)
    .split("\n")
    .filter((line) => line !== "");
  const missingIgnores = gitignoreLines.filter((line) => !(currentGitignore ?? "").split(/\r?\n/).includes(line));

  const done: string[] = [];
  for (const f of files) {
    writeFile(path.join(root, f.target), f.text, force);
    done.push(`${existing.some((e) => e.target === f.target) ? "replaced" : "created"} ${shown(f.target)}`);
  }
  writeFile(packageFileName, `${JSON.stringify(nextPackage, null, 2)}\n`, true);
  done.push(`${currentPackage ? "updated" : "created"} ${shown("package.json")} (wslpolicy ${version})`);
  if (missingIgnores.length > 0) {
    const base =
      currentGitignore === undefined || currentGitignore === "" || currentGitignore.endsWith("\n")
        ? (currentGitignore ?? "")
        : `${currentGitignore}\n`;
    writeFile(gitignoreFile, `${base}${missingIgnores.join("\n")}\n`, true);
    done.push(`${currentGitignore === undefined ? "created" : "updated"} ${shown(".gitignore")}`);
  }

  io.stdout(`${done.map((line) => `${line}\n`).join("")}\nNext:\n`);
  const cd = root === path.resolve(io.cwd) ? "" : `cd ${displayPath(io, root)} && `;
  io.stdout(`  ${cd}npm install          # if wslpolicy ${version} is not installed yet\n`);
  io.stdout(`  npx wslpolicy validate\n  npx wslpolicy plan     # against the embedded demo tenant (stack local)\n`);
  io.stdout(
    `  then set your tenant id in stacks/Pulumi.prod.yaml and run \`npx wslpolicy plan --stack prod\` or \`pulumi preview --stack prod\`\n`,
  );
  return EXIT.ok;
}

export const initCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("init")
      .description(
        "Write a platform repo into DIR (default: the current folder): an example policy, the local and prod stacks, the Pulumi project, package.json with wslpolicy pinned, tsconfig.json and the plan/drift CI workflows. Refuses to overwrite existing files unless --force; package.json is updated in place.",
      )
      .argument("[dir]", "folder of the platform repo (created when missing)")
      .addOption(new Option("--name <name>", "Pulumi project name (default: the folder's name)"))
      .option("--force", "replace files that already exist")
      .action((dir: string | undefined, opts: InitOptions) => {
        setExit(runInit(dir, opts, io));
      });
  },
};
