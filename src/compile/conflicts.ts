// Managed policies that set the same setting (the same device node: src/intune/setting-paths.ts) to
// different values for overlapping targets: Intune applies neither value on the devices
// where they meet, so this is an error before anything reaches a tenant. The policies meeting on the same
// targets are one conflict (src/intune/conflict-groups.ts), however many they are.
import { KINDS } from "../kinds";
import { pinnedCatalog, type Catalog } from "../catalog";
import { byText, compareText, type DesiredObject, type Diagnostic } from "../model";
import {
  describeTargetKey,
  findOverlap,
  groupConflicts,
  isComparableLeaf,
  leafDisplay,
  leafValueKey,
  targetSetOf,
  walkDocument,
} from "../intune";
import type { ConflictCandidate, TargetKey, WalkedSetting } from "../intune";

export interface SettingConflict {
  path: string;
  settingDefinitionId: string;
  /** Display name from the catalog. */
  setting: string;
  /** Every policy involved, by policy id, with its value; any two with different values conflict. */
  policies: { object: DesiredObject; value: string }[];
  /** The targets all of them reach. */
  at: TargetKey[];
  /** For two policies, how their assignments overlap (`group "Devs" in both`). */
  overlap: string;
}

/** Conflicts between the configuration policies among `objects`, ordered by policy ids then path. */
export function findSettingConflicts(
  objects: readonly DesiredObject[],
  catalog: Catalog = pinnedCatalog,
): SettingConflict[] {
  const policies = objects.filter((o) => KINDS[o.kind].settingsCatalog).sort(byText((o) => o.policyId));
  // device node (src/intune/setting-paths.ts) → the objects that set it (the first value of each), with their targets.
  const byNode = new Map<string, ConflictCandidate<{ object: DesiredObject; flat: WalkedSetting }>[]>();
  for (const object of policies) {
    const targets = targetSetOf(object.assignments);
    const seen = new Set<string>();
    for (const flat of walkDocument(object.document)) {
      if (flat.node === undefined || !isComparableLeaf(flat.leaf) || seen.has(flat.node)) continue;
      seen.add(flat.node);
      const candidate = { item: { object, flat }, valueKey: leafValueKey(flat.leaf), ours: true, targets };
      const list = byNode.get(flat.node);
      if (list) list.push(candidate);
      else byNode.set(flat.node, [candidate]);
    }
  }
  const conflicts: SettingConflict[] = [];
  for (const uses of byNode.values()) {
    if (uses.length < 2) continue;
    for (const group of groupConflicts(uses, { possible: false })) {
      const members = group.members;
      const first = members[0]!.item.flat;
      const overlap =
        members.length === 2
          ? findOverlap(members[0]!.targets, members[1]!.targets)!.description
          : group.at.map(describeTargetKey).join(", ");
      conflicts.push({
        path: first.path,
        settingDefinitionId: first.leaf.definitionId,
        setting: catalog.displayName(first.leaf.definitionId),
        policies: members.map((m) => ({ object: m.item.object, value: leafDisplay(m.item.flat.leaf, catalog) ?? "" })),
        at: group.at,
        overlap,
      });
    }
  }
  const ids = (c: SettingConflict) => c.policies.map((p) => p.object.policyId).join("\u0000");
  return conflicts.sort((x, y) => compareText(ids(x), ids(y)) || compareText(x.path, y.path));
}

/** One error per conflict, on the first policy's file, naming every policy, its file and value, and the setting. */
export function conflictDiagnostics(
  conflicts: readonly SettingConflict[],
  exportNames: ReadonlyMap<string, string> = new Map(),
): Diagnostic[] {
  const advice =
    "Intune applies neither value where they meet — make the targets disjoint (exclude one from the other) or agree on one value";
  return conflicts.map((c) => {
    const [a, ...rest] = c.policies;
    const message =
      rest.length === 1
        ? `policy '${a!.object.policyId}' sets "${c.setting}" to ${a!.value} but policy '${rest[0]!.object.policyId}' (${rest[0]!.object.sourceFile}) sets it to ${rest[0]!.value}, ` +
          `and their assignments overlap (${c.overlap}); ${advice}`
        : `policies ${c.policies.map((p) => `'${p.object.policyId}' (${p.object.sourceFile}) ${p.value}`).join(", ")} set "${c.setting}" to different values, ` +
          `and their assignments all reach ${c.overlap}; ${advice}`;
    return {
      code: "setting-conflict",
      severity: "error",
      file: a!.object.sourceFile,
      path: exportNames.get(a!.object.policyId) ?? a!.object.policyId,
      message,
    };
  });
}
