// Setting conflicts: policies in the tenant (ours, another stack's or portal-made) that set the same setting
// to different values for overlapping targets. Intune applies neither value on a device two of them reach,
// so a reviewer must see every policy involved, the setting and each value. Pure.
import { pinnedCatalog, type Catalog } from "../catalog";
import {
  groupConflicts,
  isComparableLeaf,
  leafValueKey,
  PENDING_RING_PREFIX,
  type ConflictCandidate,
  type SettingLeaf,
  type TargetKey,
  type TargetSet,
  type WalkedSetting,
} from "../intune";
import { compareText } from "../model";
import type { CanonicalJson } from "./canonical-value";
import { assignmentLabel, groupLabel, leafDisplay, settingLabel, type NameIndex } from "./labels";
import type { CanonicalAssignment } from "./normalise";
import type { Conflict, ConflictPolicy } from "./plan-schema";

/** A configuration policy as it will be after the apply: declared by this stack, or left as it is. */
export interface ConflictParticipant {
  name: string;
  /** This stack's policy id; null for objects the stack does not declare. */
  policyId: string | null;
  liveId: string | null;
  /** `stack/policyId` of another stack's marker; null for portal-made objects and for ours. */
  managedBy: string | null;
  ours: boolean;
  /** Its settings as walked (src/intune/setting-paths.ts): path, value and the device node each lands on. */
  settings: readonly WalkedSetting[];
  assignments: readonly CanonicalAssignment[];
}

/** The compiler's target key for a canonical assignment (groups by id; rings not created yet by name). */
function targetKeyOf(a: CanonicalAssignment): TargetKey | undefined {
  if (a.target === "allDevices" || a.target === "allUsers") return a.target;
  if (a.target !== "group" || !a.groupId) return undefined;
  return a.groupId.startsWith(PENDING_RING_PREFIX)
    ? `name:${a.groupId.slice(PENDING_RING_PREFIX.length)}`
    : `id:${a.groupId}`;
}

/**
 * The assignments as target keys. Overlap follows the compiler's rule (target-overlap.ts): a common
 * target, exclusions applied, is certain; different included groups neither side excludes are possible,
 * since membership (dynamic rules, nesting) is not known here and a reviewer is told rather than
 * reassured. Filters only narrow; they are treated as matching.
 */
function targetSet(list: readonly CanonicalAssignment[]): TargetSet {
  const set: TargetSet = { include: [], exclude: [] };
  for (const a of list) {
    const key = targetKeyOf(a);
    if (key) (a.mode === "include" ? set.include : set.exclude).push(key);
  }
  return set;
}

function targetKeyLabel(key: TargetKey, names: NameIndex): string {
  if (key === "allDevices") return "all devices";
  if (key === "allUsers") return "all users";
  if (key.startsWith("name:")) return groupLabel(`${PENDING_RING_PREFIX}${key.slice(5)}`, names);
  return groupLabel(key.slice(3), names);
}

interface Use {
  p: ConflictParticipant;
  path: string;
  leaf: SettingLeaf;
}

/**
 * Every conflict involving one of our policies: per setting, the policies that set it to different values
 * for overlapping targets, one conflict per set of policies meeting on the same targets (a conflict lists
 * every policy of it, not one pair at a time). Each value is serialised once.
 */
export function findConflicts(
  participants: readonly ConflictParticipant[],
  names: NameIndex,
  catalog: Catalog = pinnedCatalog,
): Conflict[] {
  // Only settings one of our policies sets can be our conflict: the others are not indexed at all.
  const bySetting = new Map<string, ConflictCandidate<Use>[]>();
  for (const p of participants) {
    if (!p.ours) continue;
    for (const { leaf, node } of p.settings) if (node !== undefined && isComparableLeaf(leaf)) bySetting.set(node, []);
  }
  // Thousands of policies set the same few values: one copy of each value's text, not one per policy.
  const valueKeys = new Map<string, string>();
  const valueKeyOf = (leaf: SettingLeaf) => {
    const key = leafValueKey(leaf);
    const seen = valueKeys.get(key);
    if (seen !== undefined) return seen;
    valueKeys.set(key, key);
    return key;
  };
  for (const p of participants) {
    const targets = targetSet(p.assignments);
    const seen = new Set<string>();
    for (const { path, leaf, node } of p.settings) {
      if (node === undefined || !isComparableLeaf(leaf) || seen.has(node) || !bySetting.has(node)) continue;
      seen.add(node);
      const candidate = { item: { p, path, leaf }, valueKey: valueKeyOf(leaf), ours: p.ours, targets };
      bySetting.get(node)!.push(candidate);
    }
  }

  const assignmentLabels = new Map<ConflictParticipant, string[]>();
  const labelsOf = (p: ConflictParticipant) => {
    let labels = assignmentLabels.get(p);
    if (!labels) {
      labels = p.assignments.map((a) => assignmentLabel(a, names)).sort(compareText);
      assignmentLabels.set(p, labels);
    }
    return labels;
  };
  const out: Conflict[] = [];
  for (const candidates of bySetting.values()) {
    if (candidates.length < 2) continue;
    for (const group of groupConflicts(candidates, { possible: true })) {
      const uses = group.members.map((m) => m.item).sort(byPolicy);
      const first = uses[0]!;
      out.push({
        definitionId: first.leaf.definitionId,
        path: first.path,
        setting: settingLabel(first.path, catalog),
        overlap: group.overlap,
        targets: group.at.map((k) => targetKeyLabel(k, names)).sort(compareText),
        overlaps: group.meets
          .map((meet) => meet.map((k) => targetKeyLabel(k, names)))
          .sort((x, y) => compareText(x.join("\u0000"), y.join("\u0000"))),
        policies: uses.map((u) => ({ ...ref(u.p, u.leaf, catalog), assignments: labelsOf(u.p) })),
      });
    }
  }
  return out.sort(
    (x, y) =>
      compareText(x.setting, y.setting) ||
      compareText(x.overlap, y.overlap) ||
      compareText(x.targets.join("\u0000"), y.targets.join("\u0000")) ||
      compareText(x.policies.map((q) => q.name).join("\u0000"), y.policies.map((q) => q.name).join("\u0000")),
  );
}

/** Ours first, then by name and id. */
function byPolicy(x: Use, y: Use): number {
  return (
    Number(y.p.ours) - Number(x.p.ours) ||
    compareText(x.p.name, y.p.name) ||
    compareText(x.p.policyId ?? x.p.liveId ?? "", y.p.policyId ?? y.p.liveId ?? "")
  );
}

function ref(p: ConflictParticipant, leaf: SettingLeaf, catalog: Catalog): Omit<ConflictPolicy, "assignments"> {
  return {
    name: p.name,
    policyId: p.policyId,
    liveId: p.liveId,
    managedBy: p.managedBy,
    value: leafDisplay(leaf, catalog) ?? "",
    rawValue: leaf.value as CanonicalJson,
  };
}
