// `wslpolicy scripts status [--stack NAME] [--format text|markdown|json] [--out FILE]`: for each platform
// script and remediation the stack manages in its tenant, the devices whose detection found an issue,
// the remediated, the failed and those that have not run yet, from Intune's run-state endpoints
// (src/tenant/script-runs.ts; report in src/report/script-status.ts). Exit 0, or 1 with the cause when
// the tenant cannot be read — never an empty report in place of an error.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { describeError } from "../../graph";
import { printable } from "../../model";
import {
  renderScriptsStatusJson,
  renderScriptsStatusMarkdown,
  renderScriptsStatusText,
  scriptStatus,
  type ScriptsStatus,
} from "../../report";
import { openTenant, readScriptRuns, type TenantConnection } from "../../tenant";
import { EXIT, type CliIO } from "../io";
import { colors, displayPath, formatOption, resolveProject, stackOption } from "../options";
import type { CommandSpec } from "./registry";

const FORMATS = ["text", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

interface StatusOptions {
  stack: string;
  format: Format;
  out?: string;
}

const RENDER: Record<Format, (s: ScriptsStatus) => string> = {
  text: renderScriptsStatusText,
  markdown: renderScriptsStatusMarkdown,
  json: renderScriptsStatusJson,
};

export async function runScriptsStatus(opts: StatusOptions, io: CliIO): Promise<number> {
  const c = colors(io);
  let connection: TenantConnection | undefined;
  try {
    const project = resolveProject(io, { stack: opts.stack });
    if (!project.stackConfig)
      throw new Error(
        `no stack file for stack '${project.stack}' (stacks/Pulumi.${project.stack}.yaml): it names the tenant to read`,
      );
    connection = await openTenant(project.stackConfig, { env: io.env, deadline: true });
    const runs = await readScriptRuns(connection.graph, project.stack);
    const status: ScriptsStatus = {
      stack: project.stack,
      tenant: connection.info.label,
      scripts: runs.map(scriptStatus),
    };
    const report = RENDER[opts.format](status);
    if (opts.out) {
      const out = path.resolve(io.cwd, opts.out);
      writeFileSync(out, report);
      io.stdout(`${status.scripts.length} script(s) reported to ${displayPath(io, out)}.\n`);
    } else io.stdout(report);
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} scripts status failed: ${printable(describeError(err))}\n`);
    return EXIT.error;
  } finally {
    await connection?.close();
  }
}

export const scriptsCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    const scripts = program.command("scripts").description("Platform scripts and remediations the stack manages.");
    scripts
      .command("status")
      .description(
        "Per script: devices where detection found an issue, remediated, failed, not yet run (Intune's run states).",
      )
      .addOption(stackOption())
      .addOption(formatOption(FORMATS, "text"))
      .addOption(new Option("--out <file>", "write the report to a file"))
      .action(async (opts: StatusOptions) => {
        setExit(await runScriptsStatus(opts, io));
      });
  },
};
