// Drift: how the tenant departs from the declared state of this stack. Same analysis as the plan, read the
// other way round — `before` is what the policies declare, `after` what the tenant holds — so "Allow the
// Windows Subsystem for Linux: Disabled → Enabled" says what someone changed in the portal. Actions keep
// the plan's names (update: changed outside the tool; create: missing from the tenant; delete: managed
// but no longer declared). Unmanaged objects that conflict with managed settings are drift too. Pure.
import { compareText } from "../model";
import { findConflicts } from "./conflicts";
import { nameIndex } from "./labels";
import { analyse, comparisonRisks, planDocument, type PlanInput } from "./plan";
import type { AssignmentChange, ObjectChange, Plan, SettingChange } from "./plan-schema";

const flip = { added: "removed", removed: "added", changed: "changed" } as const;

/** The plan change read from the declared side: what the tenant has relative to what is declared. */
function invertChange(change: ObjectChange): ObjectChange {
  return {
    ...change,
    metadata: change.metadata.map((m) => ({ field: m.field, before: m.after, after: m.before })),
    properties: change.properties.map((m) => ({ field: m.field, before: m.after, after: m.before })),
    settings: change.settings.map((s): SettingChange => ({
      ...s,
      change: flip[s.change],
      before: s.after,
      after: s.before,
      beforeValue: s.afterValue,
      afterValue: s.beforeValue,
    })),
    assignments: change.assignments.map((a): AssignmentChange => ({
      ...a,
      change: flip[a.change],
      before: a.after,
      after: a.before,
    })),
  };
}

export type Drift = Plan;

export function computeDrift(input: PlanInput): Drift {
  const a = analyse(input);
  const pairs = a.comparisons.map((c) => ({ c, change: invertChange(c.change) }));
  const changes = pairs.map((p) => p.change).sort((x, y) => compareText(x.key, y.key));
  const risks = pairs.flatMap(({ c, change }) => comparisonRisks(c, change, c.live, c.desired, "drift"));
  // Only objects the tenant actually holds can conflict today; a missing managed object is reported as such.
  const participants = a.participants.filter((p) => !p.ours || p.liveId !== null);
  const conflicts = findConflicts(participants, nameIndex(a.directory));
  return planDocument("drift", input, a, { changes, conflicts, risks });
}
