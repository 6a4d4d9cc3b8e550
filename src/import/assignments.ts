// Live assignments → the `assignments` block of an imported policy. Groups are named when the id maps to
// exactly one group in the snapshot (`group("Kiosk Devices")`), by id otherwise (a group the read did not
// return, or a display name two groups share, like the demo's two "Contractors"); all devices / all users
// come with `broad: true`, since the tenant already assigns that widely; filters keep their id and mode.
import type { Directory } from "../intune";
import { normaliseAssignment } from "../diff";
import { byText, type AssignmentTarget } from "../model";
import { Expr, type SourceValue } from "./source-text";

/** Group display names that identify exactly one group, by lowercase id. */
export type GroupNames = ReadonlyMap<string, string>;

/** From the directory plan resolves group names against, so a name import writes resolves back to its id. */
export function uniqueGroupNames(directory: Directory): GroupNames {
  const names = new Map<string, string>();
  for (const [name, ids] of directory.groupsByName)
    if (ids.length === 1 && name.trim() !== "") names.set(ids[0]!, name);
  return names;
}

/** `group("Name")` or `group({ id: "…" })` for an existing group id. */
export function groupExpr(groupId: string, names: GroupNames): Expr {
  const id = groupId.toLowerCase();
  const name = names.get(id);
  return name !== undefined
    ? new Expr(`group(${JSON.stringify(name)})`, { kind: "group", name })
    : new Expr(`group({ id: ${JSON.stringify(id)} })`, { kind: "groupId", id });
}

export const allDevicesExpr = new Expr("allDevices", { kind: "allDevices" });
export const allUsersExpr = new Expr("allUsers", { kind: "allUsers" });

/** One live target, classified; `filter` only for includes that carry one. */
export type ClassifiedTarget =
  | {
      mode: "include" | "exclude";
      kind: "group";
      groupId: string;
      filter?: { id: string; mode: "include" | "exclude" };
    }
  | { mode: "include"; kind: "allDevices" | "allUsers"; filter?: { id: string; mode: "include" | "exclude" } }
  | { kind: "unsupported"; reason: string };

/**
 * Read through the canonical form plan and drift compare (src/diff/normalise.ts), so import sees a target
 * (filter defaults, virtual group ids, exclusions without filters) exactly as the diff of the adopted
 * policy will.
 */
export function classifyTarget(target: AssignmentTarget): ClassifiedTarget {
  const n = normaliseAssignment({ target });
  const filter = n?.filter ? { filter: n.filter } : {};
  if (n?.target === "group" && n.groupId) return { mode: n.mode, kind: "group", groupId: n.groupId, ...filter };
  if (n?.target === "allDevices" || n?.target === "allUsers") return { mode: "include", kind: n.target, ...filter };
  return {
    kind: "unsupported",
    reason: `assignment target ${String(target["@odata.type"])} has no wslpolicy equivalent`,
  };
}

/** The include entry for a classified include target: the target, or `{ target, filter }`. */
export function includeEntry(t: Exclude<ClassifiedTarget, { kind: "unsupported" }>, names: GroupNames): SourceValue {
  const target =
    t.kind === "group" ? groupExpr(t.groupId, names) : t.kind === "allDevices" ? allDevicesExpr : allUsersExpr;
  if (!t.filter) return target;
  const code = `filter({ id: ${JSON.stringify(t.filter.id)} }${t.filter.mode === "exclude" ? ', "exclude"' : ""})`;
  return { target, filter: new Expr(code, { id: t.filter.id, mode: t.filter.mode }) };
}

export interface ImportedAssignments {
  value: { [key: string]: SourceValue };
  /** Why the assignments cannot be expressed (the object is then skipped: leaving one out would unassign it). */
  problems: string[];
}

/** A configuration or compliance policy's `assignments` block, includes then exclusions, each in a stable order. */
export function policyAssignments(
  assignments: readonly { target: AssignmentTarget }[] | undefined,
  names: GroupNames,
): ImportedAssignments {
  const include: { sort: string; value: SourceValue }[] = [];
  const exclude: { sort: string; value: SourceValue }[] = [];
  const problems: string[] = [];
  let broad = false;
  for (const a of assignments ?? []) {
    const t = classifyTarget(a.target);
    if (t.kind === "unsupported") {
      problems.push(t.reason);
      continue;
    }
    const sort = `${t.kind}|${t.kind === "group" ? (names.get(t.groupId) ?? `~${t.groupId}`) : ""}|${t.filter?.id ?? ""}`;
    if (t.mode === "exclude" && t.kind === "group") exclude.push({ sort, value: groupExpr(t.groupId, names) });
    else {
      if (t.kind !== "group") broad = true;
      include.push({ sort, value: includeEntry(t, names) });
    }
  }
  const order = byText((x: { sort: string }) => x.sort);
  const value: { [key: string]: SourceValue } = { include: include.sort(order).map((e) => e.value) };
  if (exclude.length) value.exclude = exclude.sort(order).map((e) => e.value);
  if (broad) value.broad = true;
  return { value, problems };
}
