// Test helper: runs the real CLI in-process (`main(argv, io)`) and captures what it prints.
import { main } from "../../src/cli/main";
import type { CliIO } from "../../src/cli/io";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  opts: { cwd: string; isTTY?: boolean; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd,
  };
  const code = await main(["node", "wslpolicy", ...args], io);
  return { code, stdout, stderr };
}
