// The commands of the `wslpolicy` CLI. Each lives in its own file and exports a `CommandSpec`; adding a
// command is one file plus one line here.
import type { Command } from "commander";
import type { CliIO } from "../io";
import { compileCommand } from "./compile";
import { driftCommand } from "./drift";
import { emulatorCommand } from "./emulator";
import { exportCommand } from "./export";
import { importCommand } from "./import";
import { initCommand } from "./init";
import { packageCommand } from "./package";
import { rolloutCommand } from "./rollout";
import { planCommand } from "./plan";
import { validateCommand } from "./validate";

export interface CommandSpec {
  /** Adds the command to the program; its action resolves to the process exit code. */
  register(program: Command, io: CliIO, setExit: (code: number) => void): void;
}

export const commands: CommandSpec[] = [initCommand, validateCommand, compileCommand, exportCommand, importCommand, emulatorCommand, planCommand, driftCommand, packageCommand, rolloutCommand];
