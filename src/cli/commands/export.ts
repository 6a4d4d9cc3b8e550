// `wslpolicy export [--stack NAME] --out FILE`: reads the stack's tenant (real Graph or the emulator) and
// writes a tenant snapshot (docs/snapshot-format.md). On failure nothing is written — never a partial
// snapshot — and the error (redacted) goes to stderr with exit 1.
import path from "node:path";
import { Command, Option } from "commander";
import { KINDS, OBJECT_KINDS } from "../../kinds";
import { COLLECTIONS, type TenantSnapshot } from "../../model";
import { describeError } from "../../graph";
import { printable } from "../../model";
import { writeSnapshotFile } from "../../tenant";
import { EXIT, type CliIO } from "../io";
import { colors, displayPath, plural, resolveProject, stackOption } from "../options";
import { readStackTenant } from "../read-tenant";
import type { CommandSpec } from "./registry";

interface ExportOptions {
  stack: string;
  out: string;
}

export async function runExport(opts: ExportOptions, io: CliIO): Promise<number> {
  const c = colors(io);
  try {
    const project = resolveProject(io, { stack: opts.stack });
    const live = await readStackTenant(io, project);
    const out = path.resolve(io.cwd, opts.out);
    writeSnapshotFile(out, live.snapshot);
    io.stdout(`${c.green("✔")} exported ${live.tenant.label} to ${displayPath(io, out)}: ${summary(live.snapshot)}\n`);
    io.stdout(
      `${plural(live.requestCount ?? 0, "Graph request")}${live.throttled ? `, ${plural(live.throttled, "throttled response")}` : ""}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} export failed, nothing written: ${printable(describeError(err))}\n`);
    return EXIT.error;
  }
}

function summary(s: TenantSnapshot): string {
  return [
    ...OBJECT_KINDS.map((kind) => plural(s[KINDS[kind].collection].length, KINDS[kind].label, KINDS[kind].labelPlural)),
    plural(s[COLLECTIONS.groups].length, "group"),
    plural(s[COLLECTIONS.assignmentFilters].length, "assignment filter"),
  ].join(", ");
}

export const exportCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    program
      .command("export")
      .description(
        "Read the stack's tenant and write a tenant snapshot (usable with --snapshot and as an emulator seed).",
      )
      .addOption(stackOption())
      .addOption(new Option("--out <file>", "snapshot file to write").makeOptionMandatory())
      .action(async (opts: ExportOptions) => {
        setExit(await runExport(opts, io));
      });
  },
};
