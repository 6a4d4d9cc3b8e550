// The commands of the `wslpolicy` CLI. Each lives in its own file and exports a `CommandSpec`; adding a
// command is one file plus one line here. A command's module is loaded only when that command runs (or
// when the whole program is listed, for --help): `validate` and `compile` never load the Graph client,
// the credentials, the emulator or Pulumi, which only `plan`, `drift`, `export`, `import` and `emulator` use.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is what this file is for */
import type { Command } from "commander";
import type { CliIO } from "../io";

export interface CommandSpec {
  /** Adds the command to the program; its action resolves to the process exit code. */
  register(program: Command, io: CliIO, setExit: (code: number) => void): void;
}

export interface CommandEntry {
  name: string;
  load(): CommandSpec;
}

export const commands: CommandEntry[] = [
  { name: "init", load: () => (require("./init") as typeof import("./init")).initCommand },
  { name: "validate", load: () => (require("./validate") as typeof import("./validate")).validateCommand },
  { name: "compile", load: () => (require("./compile") as typeof import("./compile")).compileCommand },
  { name: "export", load: () => (require("./export") as typeof import("./export")).exportCommand },
  { name: "import", load: () => (require("./import") as typeof import("./import")).importCommand },
  { name: "emulator", load: () => (require("./emulator") as typeof import("./emulator")).emulatorCommand },
  { name: "plan", load: () => (require("./plan") as typeof import("./plan")).planCommand },
  { name: "drift", load: () => (require("./drift") as typeof import("./drift")).driftCommand },
  { name: "package", load: () => (require("./package") as typeof import("./package")).packageCommand },
  { name: "rollout", load: () => (require("./rollout") as typeof import("./rollout")).rolloutCommand },
];

/** The commands a command line needs: the one it names, or all of them (help, a mistyped name). */
export function commandsFor(argv: readonly string[]): CommandSpec[] {
  const named = commands.find((c) => c.name === argv[2]);
  return (named ? [named] : commands).map((c) => c.load());
}
