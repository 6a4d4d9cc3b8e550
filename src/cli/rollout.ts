// Ring gates for the commands that compare with a tenant (plan, drift, rollout status): read each gated
// app's install report while the tenant is open, leave out the assignments of rings whose gate is closed
// (src/compile/rollout-gates.ts, the same filter the Pulumi program applies) and say why in the plan.
import { gateRollouts, waitingLine, type GatedState, type RolloutInput } from "../compile";
import type { Plan } from "../diff";
import type { DesiredState } from "../model";
import { readRolloutInputs } from "../tenant";
import type { ReadMore } from "./read-tenant";

export interface RolloutReads {
  more: ReadMore;
  /** After the read: the gated desired state (call once the tenant was read). */
  gated(now: number): GatedState & { inputs: Map<string, RolloutInput> };
}

export function rolloutReads(desired: DesiredState): RolloutReads {
  let inputs = new Map<string, RolloutInput>();
  return {
    more: async (graph, snapshot) => {
      inputs = await readRolloutInputs(graph, desired, snapshot);
    },
    gated: (now) => ({ ...gateRollouts(desired, inputs, now), inputs }),
  };
}

/** Adds "ring 'X' waits: …" to the notes of each gated app's change. */
export function addRolloutNotes(plan: Plan, gated: GatedState): void {
  for (const change of plan.changes) {
    const verdicts = change.policyId ? gated.verdicts.get(change.policyId) : undefined;
    for (const v of verdicts ?? []) if (v.state === "waits") change.notes.push(waitingLine(v));
  }
}
