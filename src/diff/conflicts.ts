// Setting conflicts: another policy in the tenant (managed or not) that sets the same setting to a
// different value for an overlapping target. Intune applies neither value on a device both reach, so a
// reviewer must see both policy names, the setting and both values. Pure.
import { pinnedCatalog, type Catalog } from "../catalog";
import { PENDING_RING_PREFIX } from "../intune";
import { findOverlap, type TargetKey, type TargetSet } from "../intune";
import { compareText } from "../model";
import { jsonKey, type CanonicalJson } from "./canonical-value";
import { leafDisplay, settingLabel, targetLabel, type NameIndex } from "./labels";
import type { CanonicalAssignment, CanonicalSettings, SettingLeaf } from "./normalise";
import type { Conflict } from "./plan-schema";

/** A configuration policy as it will be after the apply: declared by this stack, or left as it is. */
export interface ConflictParticipant {
  name: string;
  /** This stack's policy id; null for objects the stack does not declare. */
  policyId: string | null;
  liveId: string | null;
  /** `stack/policyId` of another stack's marker; null for portal-made objects and for ours. */
  managedBy: string | null;
  ours: boolean;
  settings: CanonicalSettings;
  assignments: readonly CanonicalAssignment[];
}

/**
 * Where a setting lands on the device, independent of how a policy nests it (choice parents do not change
 * the CSP node a value is written to). Undefined for values inside named group entries or later entries:
 * each Hyper-V firewall rule is its own CSP instance with a server-generated `{FirewallRuleName}`
 * (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp), so rules of two policies never collide, while the single
 * VM-creator block (maximumCount 1, one node per VM creator) does.
 */
function conflictKey(path: string, leaf: SettingLeaf): string | undefined {
  const entries = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  if (entries.some((k) => k !== "0")) return undefined;
  return leaf.definitionId;
}

interface Overlap {
  overlap: "certain" | "possible";
  targets: string[];
}

/** The compiler's target key for a canonical assignment (groups by id; rings not created yet by name). */
function targetKeyOf(a: CanonicalAssignment): TargetKey | undefined {
  if (a.target === "allDevices" || a.target === "allUsers") return a.target;
  if (a.target !== "group" || !a.groupId) return undefined;
  return a.groupId.startsWith(PENDING_RING_PREFIX)
    ? `name:${a.groupId.slice(PENDING_RING_PREFIX.length)}`
    : `id:${a.groupId}`;
}

function targetSet(list: readonly CanonicalAssignment[]): TargetSet {
  const set: TargetSet = { include: [], exclude: [] };
  for (const a of list) {
    const key = targetKeyOf(a);
    if (key) (a.mode === "include" ? set.include : set.exclude).push(key);
  }
  return set;
}

/**
 * Whether two assignment sets can reach the same device or user. Certain when the compiler's overlap
 * rule finds a common target (same group, all devices/users, exclusions applied). Possible when both
 * include different groups not excluded by the other: membership (dynamic rules, nesting) is not known
 * here, so a reviewer is told rather than reassured. Filters only narrow; they are treated as matching.
 */
function targetOverlap(
  a: readonly CanonicalAssignment[],
  b: readonly CanonicalAssignment[],
  names: NameIndex,
): Overlap | undefined {
  const certain = findOverlap(targetSet(a), targetSet(b));
  const label = (key: TargetKey) => {
    const hit = [...a, ...b].find((x) => targetKeyOf(x) === key);
    return hit ? targetLabel(hit, names) : key;
  };
  if (certain)
    return {
      overlap: "certain",
      targets: [certain.a === certain.b ? label(certain.a) : `${label(certain.a)} ∩ ${label(certain.b)}`],
    };
  const excluded = (list: readonly CanonicalAssignment[]) =>
    new Set(list.filter((x) => x.mode === "exclude" && x.groupId).map((x) => x.groupId!));
  const exA = excluded(a);
  const exB = excluded(b);
  const targets = new Set<string>();
  for (const x of a.filter((i) => i.mode === "include" && i.groupId && !exA.has(i.groupId) && !exB.has(i.groupId))) {
    for (const y of b.filter((i) => i.mode === "include" && i.groupId && !exB.has(i.groupId) && !exA.has(i.groupId))) {
      targets.add(`${targetLabel(x, names)} ∩ ${targetLabel(y, names)}`);
    }
  }
  return targets.size ? { overlap: "possible", targets: [...targets].sort(compareText) } : undefined;
}

function comparable(leaf: SettingLeaf): boolean {
  return leaf.type !== "group" && leaf.type !== "secret";
}

/** Every conflict between one of our policies and any other participant (each pair reported once). */
export function findConflicts(
  participants: readonly ConflictParticipant[],
  names: NameIndex,
  catalog: Catalog = pinnedCatalog,
): Conflict[] {
  const indexed = participants.map((p) => {
    const byKey = new Map<string, { path: string; leaf: SettingLeaf }>();
    for (const [path, leaf] of Object.entries(p.settings)) {
      if (!comparable(leaf)) continue;
      const key = conflictKey(path, leaf);
      if (key !== undefined && !byKey.has(key)) byKey.set(key, { path, leaf });
    }
    return { p, byKey };
  });

  const out: Conflict[] = [];
  indexed.forEach((a, i) => {
    if (!a.p.ours) return;
    indexed.forEach((b, j) => {
      if (i === j || (b.p.ours && j < i)) return;
      let overlap: Overlap | undefined | null = null;
      for (const [key, mine] of a.byKey) {
        const theirs = b.byKey.get(key);
        if (!theirs || jsonKey(theirs.leaf.value) === jsonKey(mine.leaf.value)) continue;
        if (overlap === null) overlap = targetOverlap(a.p.assignments, b.p.assignments, names);
        if (!overlap) return;
        out.push({
          definitionId: mine.leaf.definitionId,
          path: mine.path,
          setting: settingLabel(mine.path, catalog),
          policy: ref(a.p, mine.leaf, catalog),
          other: ref(b.p, theirs.leaf, catalog),
          overlap: overlap.overlap,
          targets: overlap.targets,
        });
      }
    });
  });
  return out.sort((x, y) =>
    compareText(
      `${x.policy.name}\u0000${x.other.name}\u0000${x.setting}`,
      `${y.policy.name}\u0000${y.other.name}\u0000${y.setting}`,
    ),
  );
}

function ref(p: ConflictParticipant, leaf: SettingLeaf, catalog: Catalog): Conflict["policy"] {
  return {
    name: p.name,
    policyId: p.policyId,
    liveId: p.liveId,
    managedBy: p.managedBy,
    value: leafDisplay(leaf, catalog) ?? "",
    rawValue: leaf.value as CanonicalJson,
  };
}
