// Entry point of the `wslpolicy` CLI: builds the commander program from the command registry and runs it.
import { Command, CommanderError } from "commander";
import { commandsFor } from "./commands/registry";
import { EXIT, processIO, type CliIO } from "./io";

/** The program with the commands `argv` needs (all of them when no known command is named). */
export async function buildProgram(
  io: CliIO,
  setExit: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = new Command("wslpolicy")
    .description("WSL posture for an Intune-managed Windows fleet, as code")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const spec of await commandsFor(argv)) spec.register(program, io, setExit);
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = await buildProgram(
    io,
    (c) => {
      code = c;
    },
    argv,
  );
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; usage mistakes are exit 1.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    io.stderr(`wslpolicy: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
  return code;
}
