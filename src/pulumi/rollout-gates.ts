// The program's side of ring gates: before anything is declared, read the tenant's apps and each gated app's
// install report, and leave out the assignments of rings whose gate is closed — the same filter
// `wslpolicy plan` applies (src/compile/rollout-gates.ts), so `pulumi up` declares exactly the rings
// plan shows. A stack without gated rings reads nothing. Waiting rings are logged with their reason.
import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "../config";
import { gateRollouts, waitingLine } from "../compile";
import type { DesiredState } from "../model";
import { readRolloutInputs, readTenant } from "../tenant";
import { sharedGraph } from "./connection";

export async function gatedDesiredState(
  desired: DesiredState,
  target: { tenant: string; graphEndpoint: string; cloud: CloudName },
  now = Date.now(),
): Promise<DesiredState> {
  if (!desired.objects.some((o) => o.rollout?.rings.some((r) => r.gate))) return desired;
  const graph = sharedGraph(target);
  // Only apps (with their assignments) and groups: a gate needs nothing else, and the program should not
  // read every policy's settings at each preview.
  const snapshot = await readTenant(graph, { kinds: ["mobileApp"] });
  const gated = gateRollouts(desired, await readRolloutInputs(graph, desired, snapshot), now);
  for (const [policyId, verdicts] of gated.verdicts) {
    for (const v of verdicts) if (v.state === "waits") void pulumi.log.info(`${policyId}: ${waitingLine(v)}`);
  }
  return gated.desired;
}
