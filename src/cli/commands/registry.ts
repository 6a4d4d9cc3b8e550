// The commands of the `wslpolicy` CLI. Each lives in its own file and exports a `CommandSpec`; adding a
// command is one file plus one line here. A command's module is loaded only when that command runs (or
// when the whole program is listed, for --help): `validate` and `compile` never load the Graph client,
// the credentials, the emulator or Pulumi, which only `plan`, `drift`, `export`, `import`,
// `rollout`, `scripts` and `emulator` use.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is what this file is for */
import type { Command } from "commander";
import type { CliIO } from "../io";

export interface CommandSpec {
  /** Adds the command to the program; its action resolves to the process exit code. */
  register(program: Command, io: CliIO, setExit: (code: number) => void): void;
}

export interface CommandEntry {
  name: string;
  load(): Promise<CommandSpec>;
}

/**
 * A module loaded on first use. `require` where it can load this file's siblings (the compiled package,
 * or the sources under tsx's require hook, as bin/wslpolicy.js runs them); `import()` under a runner that
 * transforms the TypeScript itself and has no require hook for it (vitest). Both name the same module.
 */
function lazy<M>(viaRequire: () => M, viaImport: () => Promise<M>): () => Promise<M> {
  const requireWorks = __filename.endsWith(".js") || ".ts" in require.extensions;
  return requireWorks ? () => Promise.resolve(viaRequire()) : viaImport;
}

const entry = <M>(name: string, viaRequire: () => M, viaImport: () => Promise<M>, pick: (m: M) => CommandSpec) => {
  const load = lazy(viaRequire, viaImport);
  return { name, load: async () => pick(await load()) };
};

export const commands: CommandEntry[] = [
  entry(
    "init",
    () => require("./init") as typeof import("./init"),
    () => import("./init.js"),
    (m) => m.initCommand,
  ),
  entry(
    "validate",
    () => require("./validate") as typeof import("./validate"),
    () => import("./validate.js"),
    (m) => m.validateCommand,
  ),
  entry(
    "compile",
    () => require("./compile") as typeof import("./compile"),
    () => import("./compile.js"),
    (m) => m.compileCommand,
  ),
  entry(
    "export",
    () => require("./export") as typeof import("./export"),
    () => import("./export.js"),
    (m) => m.exportCommand,
  ),
  entry(
    "import",
    () => require("./import") as typeof import("./import"),
    () => import("./import.js"),
    (m) => m.importCommand,
  ),
  entry(
    "emulator",
    () => require("./emulator") as typeof import("./emulator"),
    () => import("./emulator.js"),
    (m) => m.emulatorCommand,
  ),
  entry(
    "plan",
    () => require("./plan") as typeof import("./plan"),
    () => import("./plan.js"),
    (m) => m.planCommand,
  ),
  entry(
    "drift",
    () => require("./drift") as typeof import("./drift"),
    () => import("./drift.js"),
    (m) => m.driftCommand,
  ),
  entry(
    "package",
    () => require("./package") as typeof import("./package"),
    () => import("./package.js"),
    (m) => m.packageCommand,
  ),
  entry(
    "rollout",
    () => require("./rollout") as typeof import("./rollout"),
    () => import("./rollout.js"),
    (m) => m.rolloutCommand,
  ),
  entry(
    "scripts",
    () => require("./scripts") as typeof import("./scripts"),
    () => import("./scripts.js"),
    (m) => m.scriptsCommand,
  ),
];

/** The commands a command line needs: the one it names, or all of them (help, a mistyped name). */
export async function commandsFor(argv: readonly string[]): Promise<CommandSpec[]> {
  const named = commands.find((c) => c.name === argv[2]);
  return Promise.all((named ? [named] : commands).map((c) => c.load()));
}
