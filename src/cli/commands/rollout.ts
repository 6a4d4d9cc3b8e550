// `wslpolicy rollout status [--stack NAME] [--policies DIR] [--format text|json]`: per rollout app of the
// policies, the app's install counts from getAppStatusOverviewReport, and per ring whether it is
// assigned, would be assigned by the next apply, or waits for its health gate (and why), with each gate
// condition. The counts are the app's across its assigned rings: the report has no per-group breakdown.
import { Command } from "commander";
import {
  evaluateRollout,
  liveAppOf,
  reporting,
  type AppInstallCounts,
  type RingVerdict,
  type RolloutInput,
} from "../../compile";
import { describeError } from "../../graph";
import type { DesiredObject } from "../../model";
import { buildDesiredState } from "../../project";
import { readRolloutInputs } from "../../tenant";
import { EXIT, type CliIO } from "../io";
import { colors, formatOption, policiesOption, renderDiagnostic, resolveProject, stackOption } from "../options";
import { readStackTenant } from "../read-tenant";
import type { CommandSpec } from "./registry";

interface StatusOptions {
  stack: string;
  policies?: string;
  format: "text" | "json";
}

interface RolloutStatus {
  policyId: string;
  displayName: string;
  appId: string | null;
  publishingState: string | null;
  counts: (AppInstallCounts & { reporting: number }) | null;
  rings: Array<RingVerdict & { start: string | null; deadline: string | null; gated: boolean }>;
}

const STATE_TEXT: Record<RingVerdict["state"], string> = {
  assigned: "assigned",
  assign: "assigned by the next apply",
  waits: "waits",
};

function statusOf(
  object: DesiredObject,
  app: { id?: string; publishingState?: unknown } | undefined,
  counts: AppInstallCounts | undefined,
  assigned: ReadonlySet<string>,
  now: number,
): RolloutStatus {
  const verdicts = evaluateRollout(object, { assigned, ...(counts ? { counts } : {}) }, now);
  return {
    policyId: object.policyId,
    displayName: object.displayName,
    appId: app?.id ? String(app.id) : null,
    publishingState: typeof app?.publishingState === "string" ? app.publishingState : null,
    counts: counts ? { ...counts, reporting: reporting(counts) } : null,
    rings: verdicts.map((v, i) => {
      const ring = object.rollout!.rings[i]!;
      return { ...v, start: ring.start ?? null, deadline: ring.deadline ?? null, gated: ring.gate !== undefined };
    }),
  };
}

function text(s: RolloutStatus, c: ReturnType<typeof colors>): string[] {
  const lines = [
    `${c.bold(s.displayName)} (${s.policyId}) — ${s.appId ? `app ${s.appId}, ${s.publishingState ?? "unknown publishing state"}` : "not in the tenant yet"}`,
  ];
  lines.push(
    s.counts
      ? `  devices (all assigned rings): ${s.counts.installed} installed, ${s.counts.failed} failed, ${s.counts.pending} pending, ${s.counts.notInstalled} not installed, ${s.counts.notApplicable} not applicable`
      : "  devices: no install report",
  );
  for (const r of s.rings) {
    const window = r.start || r.deadline ? ` [${r.start ?? "now"} → ${r.deadline ?? "no deadline"}]` : "";
    const state =
      r.state === "waits"
        ? c.yellow(`waits: ${r.reason ?? ""}`)
        : r.state === "assigned"
          ? c.green(STATE_TEXT[r.state])
          : STATE_TEXT[r.state];
    lines.push(`  ring '${r.ring}'${window}: ${state}`);
    for (const check of r.checks) lines.push(`      gate ${check.passed ? c.green("✔") : c.red("✖")} ${check.text}`);
  }
  return lines;
}

export async function runRolloutStatus(opts: StatusOptions, io: CliIO): Promise<number> {
  const c = colors(io);
  try {
    const project = resolveProject(io, opts);
    const built = await buildDesiredState({
      policiesDir: project.policiesDir,
      stack: project.stack,
      guardrails: project.guardrails,
    });
    if (!built.ok) {
      for (const d of built.diagnostics.filter((x) => x.severity === "error")) io.stderr(`${renderDiagnostic(d, c)}\n`);
      io.stderr(`${c.red("✖")} rollout status failed: the policies are invalid (run \`wslpolicy validate\`)\n`);
      return EXIT.error;
    }
    let inputs = new Map<string, RolloutInput>();
    const live = await readStackTenant(io, project, "", async (graph, snapshot) => {
      inputs = await readRolloutInputs(graph, built.desired, snapshot, { all: true });
    });
    const now = Date.now();
    const statuses = built.desired.objects
      .filter((o) => o.rollout)
      .map((o) => {
        const input = inputs.get(o.policyId) ?? { assigned: new Set<string>() };
        return statusOf(
          o,
          liveAppOf(o, built.desired.stack, live.snapshot) as { id?: string; publishingState?: unknown } | undefined,
          input.counts,
          input.assigned,
          now,
        );
      });
    if (opts.format === "json") {
      io.stdout(
        `${JSON.stringify({ stack: project.stack, tenant: live.tenant.label, rollouts: statuses }, null, 2)}\n`,
      );
    } else {
      const lines = [`wslpolicy rollout status — stack ${project.stack}`, `Tenant: ${live.tenant.label}`, ""];
      for (const s of statuses) lines.push(...text(s, c), "");
      if (statuses.length === 0) lines.push("No defenderPluginRollout in the policies.", "");
      io.stdout(lines.join("\n"));
    }
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} rollout status failed: ${describeError(err)}\n`);
    return EXIT.error;
  }
}

export const rolloutCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("rollout")
      .description("Rollouts in rings.")
      .command("status")
      .description(
        "Per rollout app: install counts, and per ring whether it is assigned or waits for its health gate, and why.",
      )
      .addOption(stackOption())
      .addOption(policiesOption())
      .addOption(formatOption(["text", "json"], "text"))
      .action(async (opts: StatusOptions) => setExit(await runRolloutStatus(opts, io)));
  },
};
