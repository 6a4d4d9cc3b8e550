// `wslpolicy validate`: load every policy file and check it (policy schema, pinned catalog, conflicts,
// guardrails). Prints one line per finding naming the file and field, then a summary. Exit 0 valid, 1 invalid.
import { Command } from "commander";
import type { Diagnostic } from "../../model";
import { buildDesiredState } from "../../project";
import { EXIT, type CliIO } from "../io";
import {
  colors,
  countBySeverity,
  displayPath,
  formatOption,
  plural,
  policiesOption,
  renderDiagnostic,
  resolveProject,
  stackOption,
} from "../options";
import type { CommandSpec } from "./registry";

interface ValidateOptions {
  policies?: string;
  stack: string;
  format: "text" | "json";
}

export async function runValidate(opts: ValidateOptions, io: CliIO): Promise<number> {
  const project = resolveProject(io, opts);
  const result = await buildDesiredState({
    policiesDir: project.policiesDir,
    stack: project.stack,
    guardrails: project.guardrails,
  });
  const counts = countBySeverity(result.diagnostics);
  const dir = displayPath(io, project.policiesDir);
  if (opts.format === "json") {
    io.stdout(
      `${JSON.stringify(
        {
          ok: result.ok,
          stack: project.stack,
          policiesDir: dir,
          policies: result.policies.map((p) => ({
            id: p.policy.id,
            kind: p.policy.kind,
            file: p.file,
            exportName: p.exportName,
          })),
          diagnostics: result.diagnostics satisfies Diagnostic[],
          ...counts,
        },
        null,
        2,
      )}\n`,
    );
    return result.ok ? EXIT.ok : EXIT.error;
  }
  const c = colors(io);
  for (const d of result.diagnostics) io.stdout(`${renderDiagnostic(d, c)}\n`);
  const findings = `${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}`;
  if (result.ok) {
    io.stdout(
      `${c.green("✔")} ${plural(result.policies.length, "policy", "policies")} in ${dir}: valid (${findings}, stack ${project.stack})\n`,
    );
  } else {
    io.stdout(`${c.red("✖")} ${dir} is invalid: ${findings} (stack ${project.stack})\n`);
  }
  return result.ok ? EXIT.ok : EXIT.error;
}

export const validateCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("validate")
      .description(
        "Load and check every policy file: the policy schema, the pinned Settings Catalog, conflicts between policies and the guardrails; exit 0 when valid, 1 on any error.",
      )
      .addOption(policiesOption())
      .addOption(stackOption())
      .addOption(formatOption(["text", "json"], "text"))
      .action(async (opts: ValidateOptions) => {
        setExit(await runValidate(opts, io));
      });
  },
};
