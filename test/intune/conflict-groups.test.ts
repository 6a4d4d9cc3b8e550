// The grouped conflict engine finds exactly the conflicting pairs the pairwise rule finds: on thousands of
// random small inputs (seeded, so a failure repeats), the pairs read out of the groups equal the pairs of
// a plain loop over every two policies with findOverlap (certain) and the "different groups nobody
// excludes" rule (possible), and every policy a group lists is in one of those pairs.
import { describe, expect, it } from "vitest";
import { findOverlap, groupConflicts, type ConflictCandidate, type TargetSet } from "../../src/intune";

/** mulberry32: a small deterministic generator, so the inputs are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["allDevices", "allUsers", "id:g1", "id:g2", "id:g3", "name:Ring A"];

function randomInput(next: () => number): ConflictCandidate<number>[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const count = 2 + Math.floor(next() * 6);
  return Array.from({ length: count }, (_, i) => {
    const targets: TargetSet = { include: [], exclude: [] };
    const includes = Math.floor(next() * 3);
    for (let k = 0; k < includes; k++)
      targets.include.push(next() < 0.2 ? pick(KEYS.slice(0, 2)) : pick(KEYS.slice(2)));
    if (next() < 0.4) targets.exclude.push(pick(KEYS.slice(2)));
    return { item: i, valueKey: pick(["A", "B", "C"]), ours: next() < 0.6, targets };
  });
}

type Pair = string;
const pairOf = (a: number, b: number, overlap: string): Pair => `${Math.min(a, b)}-${Math.max(a, b)} ${overlap}`;

/** The rule written pair by pair, as the engine before the index judged it. */
function possibleByPair(a: TargetSet, b: TargetSet): boolean {
  const usable = (own: TargetSet, other: TargetSet) =>
    own.include.filter((k) => !k.startsWith("all") && !own.exclude.includes(k) && !other.exclude.includes(k));
  return usable(a, b).length > 0 && usable(b, a).length > 0;
}

function referencePairs(input: readonly ConflictCandidate<number>[]): Set<Pair> {
  const out = new Set<Pair>();
  for (let i = 0; i < input.length; i++) {
    for (let j = i + 1; j < input.length; j++) {
      const a = input[i]!;
      const b = input[j]!;
      if (a.valueKey === b.valueKey || !(a.ours || b.ours)) continue;
      if (findOverlap(a.targets, b.targets)) out.add(pairOf(a.item, b.item, "certain"));
      else if (possibleByPair(a.targets, b.targets)) out.add(pairOf(a.item, b.item, "possible"));
    }
  }
  return out;
}

/** Pairs a reader takes from the groups: certain ones are cliques; possible ones hold their members' possible pairs. */
function pairsOfGroups(input: readonly ConflictCandidate<number>[]): { pairs: Set<Pair>; listed: Set<Pair>[] } {
  const pairs = new Set<Pair>();
  const listed: Set<Pair>[] = [];
  for (const g of groupConflicts(input, { possible: true })) {
    const mine = new Set<Pair>();
    for (const a of g.members) {
      for (const b of g.members) {
        if (a.item >= b.item || a.valueKey === b.valueKey || !(a.ours || b.ours)) continue;
        if (g.overlap === "certain") mine.add(pairOf(a.item, b.item, "certain"));
        else if (!findOverlap(a.targets, b.targets) && possibleByPair(a.targets, b.targets))
          mine.add(pairOf(a.item, b.item, "possible"));
      }
    }
    for (const p of mine) pairs.add(p);
    listed.push(new Set(g.members.map((m) => String(m.item))));
  }
  return { pairs, listed };
}

describe("grouped setting conflicts", () => {
  it("find the pairs of the pairwise rule on 5,000 random inputs, and list only policies of those pairs", () => {
    const next = random(15);
    let withConflicts = 0;
    for (let run = 0; run < 5000; run++) {
      const input = randomInput(next);
      const expected = referencePairs(input);
      const { pairs, listed } = pairsOfGroups(input);
      expect([...pairs].sort(), JSON.stringify(input)).toEqual([...expected].sort());
      const involved = new Set([...expected].flatMap((p) => p.split(" ")[0]!.split("-")));
      for (const members of listed) for (const m of members) expect(involved.has(m), JSON.stringify(input)).toBe(true);
      if (expected.size) withConflicts++;
    }
    // The inputs are not all conflict-free (or all conflicting): the comparison says something.
    expect(withConflicts).toBeGreaterThan(1000);
    expect(withConflicts).toBeLessThan(4500);
  });

  it("a certain group is a clique: every two members reach common devices", () => {
    const next = random(10);
    for (let run = 0; run < 2000; run++) {
      const input = randomInput(next);
      for (const g of groupConflicts(input, { possible: false })) {
        for (const a of g.members)
          for (const b of g.members) if (a !== b) expect(findOverlap(a.targets, b.targets)).toBeDefined();
      }
    }
  });

  it("many policies on one group are one conflict listing all of them, not one per pair", () => {
    const input = Array.from({ length: 300 }, (_, i) => ({
      item: i,
      valueKey: i % 2 ? "on" : "off",
      ours: true,
      targets: { include: ["id:devs"], exclude: [] },
    }));
    const groups = groupConflicts(input, { possible: true });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ overlap: "certain", at: ["id:devs"] });
    expect(groups[0]!.members).toHaveLength(300);
  });

  it("the same members meeting on two groups are one conflict naming both groups", () => {
    const both = { include: ["id:g1", "id:g2"], exclude: [] };
    const groups = groupConflicts(
      [
        { item: 0, valueKey: "on", ours: true, targets: both },
        { item: 1, valueKey: "off", ours: false, targets: both },
      ],
      { possible: true },
    );
    expect(groups.map((g) => [g.overlap, g.at, g.members.map((m) => m.item)])).toEqual([
      ["certain", ["id:g1", "id:g2"], [0, 1]],
    ]);
  });

  it("says where the members meet: a group with the broad target reaching it, a group alone, broad targets together", () => {
    const everyone = { include: ["allDevices"], exclude: [] };
    const groups = groupConflicts(
      [
        { item: 0, valueKey: "on", ours: true, targets: { include: ["id:g1", "id:g2"], exclude: [] } },
        { item: 1, valueKey: "off", ours: false, targets: everyone },
      ],
      { possible: true },
    );
    expect(groups.map((g) => g.meets)).toEqual([
      [
        ["id:g1", "allDevices"],
        ["id:g2", "allDevices"],
      ],
    ]);
    const g1 = { include: ["id:g1"], exclude: [] };
    const sameGroup = groupConflicts(
      [
        { item: 0, valueKey: "on", ours: true, targets: g1 },
        { item: 1, valueKey: "off", ours: false, targets: g1 },
      ],
      { possible: true },
    );
    expect(sameGroup.map((g) => g.meets)).toEqual([[["id:g1"]]]);
    const broad = groupConflicts(
      [
        { item: 0, valueKey: "on", ours: true, targets: everyone },
        { item: 1, valueKey: "off", ours: false, targets: { include: ["allUsers"], exclude: [] } },
      ],
      { possible: true },
    );
    expect(broad.map((g) => g.meets)).toEqual([[["allDevices", "allUsers"]]]);
  });

  it("only policies of another owner, or one value, are no conflict", () => {
    const on = { include: ["id:g1"], exclude: [] };
    expect(
      groupConflicts(
        [
          { item: 0, valueKey: "on", ours: false, targets: on },
          { item: 1, valueKey: "off", ours: false, targets: on },
        ],
        { possible: true },
      ),
    ).toEqual([]);
    expect(
      groupConflicts(
        [
          { item: 0, valueKey: "on", ours: true, targets: on },
          { item: 1, valueKey: "on", ours: false, targets: on },
        ],
        { possible: true },
      ),
    ).toEqual([]);
  });
});
