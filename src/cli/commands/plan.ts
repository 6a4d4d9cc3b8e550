// `wslpolicy plan [--stack NAME] [--snapshot FILE] [--policies DIR] [--format text|markdown|json]
// [--out FILE] [--detailed-exitcode]`: diff the declared policies against the stack's tenant (or a
// snapshot file) and report. Exit 0; with --detailed-exitcode 0 no changes, 2 changes, 1 error. Any read
// or build error is exit 1 with its cause — never reported as "no changes".
// `drift` shares everything here but the model it computes and its exit codes.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { computeDrift } from "../../diff";
import { computePlan, neededSettings, type PlanInput } from "../../diff";
import type { Plan } from "../../diff";
import { describeError } from "../../graph";
import { printable } from "../../model";
import { buildDesiredState } from "../../project";
import { renderReport, REPORT_FORMATS, summaryLine, type ReportFormat } from "../../report";
import { EXIT, type CliIO } from "../io";
import {
  colors,
  displayPath,
  formatOption,
  policiesOption,
  renderDiagnostic,
  resolveProject,
  stackOption,
} from "../options";
import { readLiveTenant } from "../read-tenant";
import { addRolloutNotes, rolloutReads } from "../rollout";
import type { CommandSpec } from "./registry";

export interface PlanOptions {
  stack: string;
  snapshot?: string;
  policies?: string;
  format: ReportFormat;
  out?: string;
  detailedExitcode?: boolean;
}

/** plan and drift: build, read, compute, render, write; resolves to the exit code. */
export async function runPlanLike(mode: "plan" | "drift", opts: PlanOptions, io: CliIO): Promise<number> {
  const c = colors(io);
  let stage = "reading the stack configuration";
  try {
    const project = resolveProject(io, opts);
    stage = "building the desired state";
    const built = await buildDesiredState({
      policiesDir: project.policiesDir,
      stack: project.stack,
      guardrails: project.guardrails,
      secretEnv: io.env,
    });
    if (!built.ok) {
      for (const d of built.diagnostics.filter((x) => x.severity === "error")) io.stderr(`${renderDiagnostic(d, c)}\n`);
      io.stderr(
        `${c.red("✖")} ${mode} failed: the policies in ${displayPath(io, project.policiesDir)} are invalid (run \`wslpolicy validate\`)\n`,
      );
      return EXIT.error;
    }
    for (const d of built.diagnostics.filter((x) => x.code === "secret-not-set"))
      io.stderr(`${renderDiagnostic(d, c)}\n`);
    stage = opts.snapshot ? `reading the snapshot ${opts.snapshot}` : "reading the tenant";
    const rollout = rolloutReads(built.desired);
    // Only what the plan can look at is kept of the tenant's settings (src/diff/needed-settings.ts).
    const live = await readLiveTenant(io, project, opts.snapshot, rollout.more, {
      keepSettings: neededSettings(built.desired),
    });
    stage = `computing the ${mode}`;
    // Rings whose health gate is closed are not part of what an apply would assign.
    const gated = rollout.gated(Date.now());
    const input: PlanInput = {
      desired: gated.desired,
      live: live.snapshot,
      tenant: live.tenant,
      requestCount: live.requestCount,
    };
    const plan: Plan = mode === "plan" ? computePlan(input) : computeDrift(input);
    addRolloutNotes(plan, gated);
    const report = renderReport(plan, opts.format, { color: opts.format === "text" && !opts.out && io.isTTY });
    if (opts.out) {
      const out = path.resolve(io.cwd, opts.out);
      writeFileSync(out, report);
      io.stdout(`${summaryLine(plan)} Report written to ${displayPath(io, out)}.\n`);
    } else {
      io.stdout(report);
    }
    if (plan.errors.length) {
      io.stderr(`${c.red("✖")} ${mode} failed: ${printable(plan.errors.join("; "))}\n`);
      return EXIT.error;
    }
    if (mode === "drift") return plan.summary.hasChanges ? EXIT.changes : EXIT.ok;
    return opts.detailedExitcode && plan.summary.hasChanges ? EXIT.changes : EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} ${mode} failed while ${stage}: ${printable(describeError(err))}\n`);
    return EXIT.error;
  }
}

/** The options plan and drift share. */
export function addPlanOptions(command: Command): Command {
  return command
    .addOption(stackOption())
    .addOption(
      new Option("--snapshot <file>", "read the tenant from a snapshot file (wslpolicy export) instead of Graph"),
    )
    .addOption(policiesOption())
    .addOption(formatOption(REPORT_FORMATS, "text"))
    .addOption(new Option("--out <file>", "write the report to a file (stdout gets the one-line summary)"));
}

export const planCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    addPlanOptions(
      program
        .command("plan")
        .description(
          "Diff the policies against the stack's tenant: what an apply would create, update, replace or delete, with conflicts and risks.",
        ),
    )
      .addOption(new Option("--detailed-exitcode", "exit 0 when there are no changes, 2 when there are, 1 on error"))
      .action(async (opts: PlanOptions) => {
        setExit(await runPlanLike("plan", opts, io));
      });
  },
};
