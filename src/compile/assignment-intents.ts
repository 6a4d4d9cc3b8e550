// Assignment intents from a policy's `assignments` block: include targets (with their own filter or the
// block's default filter) and exclusions, in file order. Group references stay names here; ids are
// resolved at the edges (./assignments.ts). Rings become `{ kind: "ring", name }` references; their
// definitions are collected separately (./rings.ts).
import type { AssignmentIntent, FilterRef, TargetRef } from "../model";
import type { AssignmentFilterSpec, ParsedAssignments, Target } from "../policy";

export function targetRef(target: Target | { kind: "ring"; name: string }): TargetRef {
  switch (target.kind) {
    case "group":
      return { kind: "group", name: target.name };
    case "groupId":
      return { kind: "groupId", id: target.id.toLowerCase() };
    case "ring":
      return { kind: "ring", name: target.name };
    case "allDevices":
      return { kind: "allDevices" };
    case "allUsers":
      return { kind: "allUsers" };
  }
}

function filterRef(filter: AssignmentFilterSpec): FilterRef {
  return filter.id !== undefined
    ? { id: filter.id.toLowerCase(), mode: filter.mode }
    : { name: filter.name ?? "", mode: filter.mode };
}

function includeIntent(
  target: Target,
  filter: AssignmentFilterSpec | undefined,
  broad: boolean | undefined,
): AssignmentIntent {
  const intent: AssignmentIntent = { target: targetRef(target), exclude: false };
  if (filter) intent.filter = filterRef(filter);
  // Carried into the compiled intent so the `broad-assignment` guardrail can run on compiled state alone.
  if (broad === true && (target.kind === "allDevices" || target.kind === "allUsers")) intent.broad = true;
  return intent;
}

/** Intents in file order: includes first, then exclusions (which carry no filter). */
export function assignmentIntents(assignments: ParsedAssignments): AssignmentIntent[] {
  const intents: AssignmentIntent[] = [];
  for (const entry of assignments.include) {
    if ("target" in entry) intents.push(includeIntent(entry.target, entry.filter, assignments.broad));
    else intents.push(includeIntent(entry, assignments.filter, assignments.broad));
  }
  for (const target of assignments.exclude) intents.push({ target: targetRef(target), exclude: true });
  return intents;
}
