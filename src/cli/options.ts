// Options and helpers shared by the commands: `--policies`, `--stack`, `--format`, resolving the stack
// file (guardrail severities, policies directory) and printing diagnostics with colour only on a terminal.
import { existsSync } from "node:fs";
import path from "node:path";
import { Option } from "commander";
import pc from "picocolors";
import { loadStackConfig, stackFilePath, type Severity, type StackConfig } from "../config";
import type { Diagnostic } from "../model";
import type { CliIO } from "./io";

export const DEFAULT_STACK = "local";
/** Where stack files live, relative to the working directory (Pulumi.yaml sets `stackConfigDir: stacks`). */
export const STACKS_DIR = "stacks";
export const DEFAULT_POLICIES_DIR = "policies";

export function policiesOption(): Option {
  return new Option(
    "--policies <dir>",
    "policies directory (default: the stack's `wslpolicy:policies`, else policies/)",
  );
}

export function stackOption(): Option {
  return new Option(
    "--stack <name>",
    "stack: its stacks/Pulumi.<name>.yaml sets the tenant, policies directory and guardrail severities",
  ).default(DEFAULT_STACK);
}

export function formatOption(formats: readonly string[], fallback: string): Option {
  return new Option("--format <format>", "output format").choices(formats).default(fallback);
}

/** What the commands that read policy files need from the stack. */
export interface ProjectContext {
  stack: string;
  /** Absolute policies directory. */
  policiesDir: string;
  guardrails: Record<string, Severity>;
  /** The stack file, when there is one. */
  stackConfig?: StackConfig;
}

/**
 * Resolves the stack and policies directory. A missing stack file is fine for the default stack (no
 * guardrail overrides); for a stack named on the command line it is an error, as is an invalid file.
 */
export function resolveProject(io: CliIO, opts: { stack?: string; policies?: string }): ProjectContext {
  const stack = opts.stack ?? DEFAULT_STACK;
  const stacksDir = path.resolve(io.cwd, STACKS_DIR);
  let stackConfig: StackConfig | undefined;
  if (existsSync(stackFilePath(stacksDir, stack)) || stack !== DEFAULT_STACK) {
    stackConfig = loadStackConfig(stacksDir, stack);
  }
  const policies = opts.policies ?? stackConfig?.policies ?? DEFAULT_POLICIES_DIR;
  return {
    stack,
    policiesDir: path.resolve(io.cwd, policies),
    guardrails: stackConfig?.guardrails ?? {},
    ...(stackConfig ? { stackConfig } : {}),
  };
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(io: CliIO, target: string): string {
  const rel = path.relative(io.cwd, target);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : target;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(io: CliIO): Colors {
  return pc.createColors(io.isTTY);
}

/** `error: wsl-off.ts: wslOff.assignments.exclude[0]: … [rule]`, severity coloured on a terminal. */
export function renderDiagnostic(d: Diagnostic, c: Colors): string {
  const severity = d.severity === "error" ? c.red(c.bold("error")) : c.yellow(c.bold("warning"));
  const where = d.path ? `${c.cyan(d.file)}: ${d.path}` : c.cyan(d.file);
  return `${severity}: ${where}: ${d.message}${d.rule ? c.dim(` [${d.rule}]`) : ""}`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings };
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
