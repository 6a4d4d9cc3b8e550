// Setting conflicts: another policy in the tenant (managed or not) that sets the same setting to a
// different value for an overlapping target. Intune applies neither value on a device both reach, so a
// reviewer must see both policy names, the setting and both values. Pure.
import { pinnedCatalog, type Catalog } from "../catalog";
import { cmp, jsonKey, type CanonicalJson } from "./canonical-value";
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
 * Where a setting lands on the device, independent of how a policy nests it: the definition id plus the
 * names of the group entries it sits in (`…_localportranges` of rule "SSH"). Unnamed entries (the one
 * Hyper-V VM-creator block) and choice parents do not change the node the value is written to.
 */
export function conflictKey(path: string, leaf: SettingLeaf): string {
  const named = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!).filter((k) => !/^\d+$/.test(k));
  return `${leaf.definitionId}${named.length ? `@${named.join("/")}` : ""}`;
}

interface Overlap {
  overlap: "certain" | "possible";
  targets: string[];
}

/**
 * Whether two assignment sets can reach the same device or user. Same group, or all devices/users on
 * either side: certain. Two different groups: possible, because membership (dynamic rules, nesting) is not
 * known here. A group excluded by the other policy removes that pair; filters only narrow, so they are
 * treated as matching.
 */
export function targetOverlap(a: readonly CanonicalAssignment[], b: readonly CanonicalAssignment[], names: NameIndex): Overlap | undefined {
  const excluded = (list: readonly CanonicalAssignment[]) => new Set(list.filter((x) => x.mode === "exclude" && x.groupId).map((x) => x.groupId!));
  const exA = excluded(a);
  const exB = excluded(b);
  let best: Overlap["overlap"] | undefined;
  const targets = new Set<string>();
  for (const x of a.filter((i) => i.mode === "include")) {
    if (x.groupId && exB.has(x.groupId)) continue;
    for (const y of b.filter((i) => i.mode === "include")) {
      if (y.groupId && exA.has(y.groupId)) continue;
      const broad = (t: CanonicalAssignment) => t.target === "allDevices" || t.target === "allUsers";
      const certain = broad(x) || broad(y) || (x.groupId !== undefined && x.groupId === y.groupId);
      if (certain) best = "certain";
      else best ??= "possible";
      const lx = targetLabel(x, names);
      const ly = targetLabel(y, names);
      targets.add(lx === ly ? lx : `${lx} ∩ ${ly}`);
    }
  }
  return best ? { overlap: best, targets: [...targets].sort(cmp) } : undefined;
}

function comparable(leaf: SettingLeaf): boolean {
  return leaf.type !== "group" && leaf.type !== "secret";
}

/** Every conflict between one of our policies and any other participant (each pair reported once). */
export function findConflicts(participants: readonly ConflictParticipant[], names: NameIndex, catalog: Catalog = pinnedCatalog): Conflict[] {
  const indexed = participants.map((p) => {
    const byKey = new Map<string, { path: string; leaf: SettingLeaf }>();
    for (const [path, leaf] of Object.entries(p.settings)) {
      if (!comparable(leaf)) continue;
      const key = conflictKey(path, leaf);
      if (!byKey.has(key)) byKey.set(key, { path, leaf });
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
  return out.sort((x, y) => cmp(`${x.policy.name}\u0000${x.other.name}\u0000${x.setting}`, `${y.policy.name}\u0000${y.other.name}\u0000${y.setting}`));
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
