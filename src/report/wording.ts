// Words shared by every renderer: the one-line summary, action names for plan and drift, the tenant line
// and the closing request count. Kept apart from the layout so text and markdown say the same thing.
import type { Conflict, ConflictPolicy, ObjectAction, ObjectChange, Plan } from "../diff";

export const EMULATOR_NOTICE = "local Graph emulator — not a real tenant";

const PLAN_VERB: Record<ObjectAction, string> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  unchanged: "unchanged",
};

const DRIFT_VERB: Record<ObjectAction, string> = {
  create: "missing from the tenant",
  update: "changed outside wslpolicy",
  replace: "changed outside wslpolicy (type, platform or template)",
  delete: "managed but no longer declared",
  unchanged: "in sync",
};

export function actionWord(plan: Plan, action: ObjectAction): string {
  return (plan.mode === "plan" ? PLAN_VERB : DRIFT_VERB)[action];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `Plan: 5 to create, 1 to update, 1 to delete (2 unchanged); 2 conflicts; 1 risk.` */
export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const extras = [plural(s.conflicts, "conflict"), plural(s.risks, "risk")].join("; ");
  if (plan.errors.length)
    return `${plan.mode === "plan" ? "Plan" : "Drift check"} failed: ${plural(plan.errors.length, "error")}.`;
  if (plan.mode === "plan") {
    if (!s.hasChanges) return `No changes: the tenant matches the policies (${s.unchanged} unchanged); ${extras}.`;
    const parts = [
      `${s.create} to create`,
      `${s.update} to update`,
      `${s.replace} to replace`,
      `${s.delete} to delete`,
    ];
    return `Plan: ${parts.join(", ")} (${s.unchanged} unchanged); ${extras}.`;
  }
  if (!s.hasChanges) return `No drift: the tenant matches the declared state (${s.unchanged} in sync); ${extras}.`;
  const parts = [
    `${s.update + s.replace} changed outside wslpolicy`,
    `${s.create} missing`,
    `${s.delete} no longer declared`,
    plural(s.conflicts, "conflicting unmanaged setting"),
  ];
  return `Drift: ${parts.join(", ")}; ${plural(s.risks, "risk")}.`;
}

/** Which tenant was read; says plainly when it is the emulator. */
export function tenantLine(plan: Plan): string {
  const t = plan.tenant;
  if (t.kind === "emulator") return t.label.includes("not a real tenant") ? t.label : `${t.label} (${EMULATOR_NOTICE})`;
  if (t.kind === "snapshot") return `snapshot file ${t.label} (not read from a live tenant)`;
  return t.label;
}

export function requestsLine(plan: Plan): string {
  if (plan.graphRequests === null) return "Graph requests: 0 (read from a snapshot file).";
  return `Graph requests: ${plan.graphRequests}.`;
}

export function objectTitle(change: ObjectChange): string {
  const id = change.policyId ?? (change.liveId ? `id ${change.liveId}` : "?");
  return `${id} — "${change.displayName}" (${change.kind})`;
}

export function changed(plan: Plan): ObjectChange[] {
  return plan.changes.filter((c) => c.action !== "unchanged");
}

/** Notes on the objects wslpolicy manages (unmanaged ones only say "left alone"), each after its object's id. */
export function changeNotes(plan: Plan): string[] {
  return plan.changes
    .filter((c) => c.ownership !== "unmanaged")
    .flatMap((c) => c.notes.map((n) => `${c.policyId ?? c.liveId}: ${n}`));
}

/** The app content line: `upload DefenderPlugin.msi (sha256 4efcb831…) as a new content version`. */
export function contentLine(ch: ObjectChange): string | undefined {
  const c = ch.content;
  if (!c || ch.action === "delete" || ch.action === "unchanged") return undefined;
  const file = `${c.file} (sha256 ${c.sha256.slice(0, 12)}…)`;
  if (!c.upload) return `content: ${file} is committed already; nothing to upload`;
  return ch.action === "create" || ch.action === "replace"
    ? `content: pack and upload ${file}, then publish, before any assignment`
    : `content: pack and upload ${file} as a new content version of the same app (id and assignments kept)`;
}

/** Who owns a policy of a conflict; `code` sets the marker reference apart (markdown: backticks). */
export function conflictOwner(policy: ConflictPolicy, code: (text: string) => string = (text) => text): string {
  return policy.managedBy
    ? `managed by ${code(policy.managedBy)}`
    : policy.policyId
      ? "this stack"
      : "not managed by wslpolicy";
}

/**
 * Where a conflict's policies overlap, for people: a certain overlap as each place they meet, `A ∩ B`
 * (the includes that meet there, both sides named so a reviewer sees why); a possible one as its groups.
 */
export function conflictOverlaps(conflict: Conflict): string[] {
  return conflict.overlap === "certain" && conflict.overlaps.length
    ? conflict.overlaps.map((meet) => meet.join(" ∩ "))
    : conflict.targets;
}

/** A JSON value in a cell or line: strings as is, the rest as compact JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
