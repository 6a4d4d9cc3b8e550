// What a command needs from the process, injectable so tests run commands in-process and read their output.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour, progress). */
  isTTY: boolean;
  /** Whether stderr, where progress is drawn, is a terminal too; absent = no. */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Exit codes of the CLI contract (README, "CLI"): 0 ok/clean, 1 error/invalid, 2 changes/drift. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;
