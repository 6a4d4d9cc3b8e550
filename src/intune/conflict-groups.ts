// Setting conflicts of one setting, found through an index instead of pair by pair, and reported as
// groups instead of pairs: the policies that all reach one target and set the setting to different values
// are one conflict, however many they are. Intune applies neither value on a device two of them reach
// ("Intune generates an error and doesn't apply either setting",
// https://learn.microsoft.com/mem/intune-service/industry/education/tutorial-school-deployment/manage-avoid-policy-conflicts),
// so two members conflict exactly when their values differ and the targets overlap as
// target-overlap.ts decides. Work and output grow with the policies and their assignments, not with the
// pairs among them (2,000 policies on two shared groups are 2,000,000 pairs).
import { BROAD_TARGETS, type TargetKey, type TargetSet } from "./target-overlap";

export interface ConflictCandidate<T> {
  item: T;
  /** Canonical text of the value: equal values have equal keys. */
  valueKey: string;
  /** A policy of this stack. Conflicts are reported for our policies: a pair needs at least one. */
  ours: boolean;
  /** Read once per set (candidates of one policy share theirs); not to be changed afterwards. */
  targets: TargetSet;
}

export interface ConflictGroup<T> {
  /**
   * certain: every two members reach common devices (target-overlap.ts), so every two of them with
   * different values (one at least ours) conflict. possible: every two members with different values
   * (one at least ours) that are not certain to overlap include groups the other does not exclude, and
   * whether those groups share members is not known here.
   */
  overlap: "certain" | "possible";
  /**
   * certain: the targets all members reach (several when the same members meet on several);
   * possible: the members' groups.
   */
  at: TargetKey[];
  /**
   * certain: each place the members meet, as the includes that meet there (a reviewer sees why they
   * overlap): a group with the broad targets of members reaching it through all devices or all users, the
   * group alone when every member includes it, or the broad targets among broad members. possible: none.
   */
  meets: TargetKey[][];
  /** Every policy of a conflicting pair in this group, in input order. */
  members: ConflictCandidate<T>[];
}

/** What a target set reaches, computed once per set (policies share theirs across their settings). */
interface Reach {
  /** Included groups the policy does not exclude itself. */
  groups: TargetKey[];
  groupSet: ReadonlySet<TargetKey>;
  /** Whether it includes all devices or all users. */
  broad: boolean;
  broadKeys: TargetKey[];
  excluded: ReadonlySet<TargetKey>;
  /** Identifies equal target sets (possibleMembers). */
  signature: string;
}

interface Member<T> {
  c: ConflictCandidate<T>;
  order: number;
  r: Reach;
}

const reaches = new WeakMap<TargetSet, Reach>();

function reachOf(targets: TargetSet): Reach {
  let r = reaches.get(targets);
  if (!r) {
    const excluded = new Set(targets.exclude);
    const effective = [...new Set(targets.include.filter((k) => !excluded.has(k)))];
    const groups = effective.filter((k) => !BROAD_TARGETS.has(k));
    const broadKeys = effective.filter((k) => BROAD_TARGETS.has(k));
    const signature = [broadKeys.sort().join(","), [...groups].sort().join(","), [...excluded].sort().join(",")].join(
      "|",
    );
    r = { groups, groupSet: new Set(groups), broad: broadKeys.length > 0, broadKeys, excluded, signature };
    reaches.set(targets, r);
  }
  return r;
}

/** findOverlap's rule (target-overlap.ts) on precomputed reaches. */
function certainOverlap(a: Reach, b: Reach): boolean {
  if (a.broad && b.broad) return true;
  if (a.broad && b.groups.some((y) => !a.excluded.has(y))) return true;
  if (b.broad && a.groups.some((x) => !b.excluded.has(x))) return true;
  return a.groups.some((x) => b.groupSet.has(x));
}

/** Both include a group the other does not exclude (and are not certain to overlap). */
function possibleOverlap(a: Reach, b: Reach): boolean {
  return !certainOverlap(a, b) && a.groups.some((x) => !b.excluded.has(x)) && b.groups.some((y) => !a.excluded.has(y));
}

/** Counts of values (and of our policies' values) in a set of reaches. */
class Tally {
  private readonly all = new Map<string, number>();
  private readonly ours = new Map<string, number>();
  private total = 0;
  private oursTotal = 0;

  add(r: Member<unknown>): void {
    this.all.set(r.c.valueKey, (this.all.get(r.c.valueKey) ?? 0) + 1);
    this.total++;
    if (r.c.ours) {
      this.ours.set(r.c.valueKey, (this.ours.get(r.c.valueKey) ?? 0) + 1);
      this.oursTotal++;
    }
  }

  /** Whether the set holds a partner of `r`: another value, set by one of ours unless `r` is ours. */
  hasPartnerFor(r: Member<unknown>): boolean {
    const v = r.c.valueKey;
    return r.c.ours ? this.total - (this.all.get(v) ?? 0) > 0 : this.oursTotal - (this.ours.get(v) ?? 0) > 0;
  }
}

function tally(list: readonly Member<unknown>[]): Tally {
  const t = new Tally();
  for (const r of list) t.add(r);
  return t;
}

/**
 * The conflicts among the policies that set one setting. Certain ones, one per set of members: per
 * target, the policies including it and the broad policies not excluding it (any two of them overlap);
 * broad policies also among themselves. Possible ones (when `possible`): one group of every policy with a
 * possible pair, found by looking for one partner per policy among the distinct target sets.
 */
export function groupConflicts<T>(
  candidates: readonly ConflictCandidate<T>[],
  opts: { possible: boolean },
): ConflictGroup<T>[] {
  if (!candidates.some((c) => c.ours) || new Set(candidates.map((c) => c.valueKey)).size < 2) return [];
  const members = candidates.map((c, order): Member<T> => ({ c, order, r: reachOf(c.targets) }));
  const broad = members.filter((m) => m.r.broad);
  const direct = new Map<TargetKey, Member<T>[]>();
  for (const r of members) {
    for (const g of r.r.groups) {
      const list = direct.get(g);
      if (list) list.push(r);
      else direct.set(g, [r]);
    }
  }

  const found: { at: TargetKey; meet: TargetKey[]; members: Member<T>[] }[] = [];
  const broadKeysOf = (list: readonly Member<T>[]) => [...new Set(list.flatMap((m) => m.r.broadKeys))].sort();
  const broadTally = tally(broad);
  const broadMembers = broad.filter((r) => broadTally.hasPartnerFor(r));
  if (broadMembers.length) {
    found.push({ at: broadKeysOf(broad).join("\u0000"), meet: broadKeysOf(broadMembers), members: broadMembers });
  }
  for (const [target, ds] of direct) {
    const bs = broad.filter((b) => !b.r.excluded.has(target));
    // Pairs of two broad policies are the broad conflict's; here only pairs with a policy including the group.
    const everyone = tally(ds);
    for (const b of bs) everyone.add(b);
    const directOnly = tally(ds);
    const reaching = bs.filter((b) => directOnly.hasPartnerFor(b));
    const members = [...ds.filter((d) => everyone.hasPartnerFor(d)), ...reaching];
    // A member including the group is always among them (two broad members are the broad conflict's).
    if (members.length) found.push({ at: target, meet: [target, ...broadKeysOf(reaching)], members });
  }

  // The same members meeting on several targets are one conflict listing those targets.
  const byMembers = new Map<string, ConflictGroup<T>>();
  for (const f of found) {
    const members = [...f.members].sort((x, y) => x.order - y.order);
    const key = members.map((m) => m.order).join(",");
    const at = f.at.split("\u0000");
    const known = byMembers.get(key);
    if (known) {
      known.at.push(...at);
      known.meets.push(f.meet);
    } else byMembers.set(key, { overlap: "certain", at, meets: [f.meet], members: members.map((m) => m.c) });
  }
  const groups = [...byMembers.values()];
  for (const g of groups) g.at.sort();

  if (opts.possible) {
    const possible = possibleMembers(members);
    if (possible.length) {
      groups.push({
        overlap: "possible",
        at: [...new Set(possible.flatMap((m) => m.r.groups))].sort(),
        meets: [],
        members: possible.map((m) => m.c),
      });
    }
  }
  return groups;
}

/**
 * The policies with at least one possible pair. Policies with the same value, side and targets are
 * interchangeable as partners, so each policy looks through the distinct kinds of partner only, and stops
 * at the first that fits.
 */
function possibleMembers<T>(members: readonly Member<T>[]): Member<T>[] {
  const withGroups = members.filter((m) => m.r.groups.length > 0);
  const kinds = new Map<string, Map<string, Member<T>>>();
  for (const m of withGroups) {
    const signature = `${m.c.ours}|${m.r.signature}`;
    const byValue = kinds.get(m.c.valueKey) ?? new Map<string, Member<T>>();
    if (!byValue.has(signature)) byValue.set(signature, m);
    kinds.set(m.c.valueKey, byValue);
  }
  return withGroups.filter((m) => {
    for (const [value, partners] of kinds) {
      if (value === m.c.valueKey) continue;
      for (const p of partners.values()) if ((m.c.ours || p.c.ours) && possibleOverlap(m.r, p.r)) return true;
    }
    return false;
  });
}
