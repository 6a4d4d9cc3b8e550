// `wslpolicy drift …same inputs as plan…`: managed objects changed or deleted outside wslpolicy, and
// unmanaged objects that conflict with managed settings. Exit 0 clean, 2 drift, 1 error — a read error is
// never drift and never "clean".
import type { Command } from "commander";
import type { CliIO } from "../io";
import { addPlanOptions, runPlanLike, type PlanOptions } from "./plan";
import type { CommandSpec } from "./registry";

export const driftCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    addPlanOptions(
      program
        .command("drift")
        .description(
          "Check the stack's tenant against the declared policies: exit 0 clean, 2 drift (changed, missing or conflicting), 1 error.",
        ),
    ).action(async (opts: PlanOptions) => {
      setExit(await runPlanLike("drift", opts, io));
    });
  },
};
