// Two managed policies that set the same setting (same context path, nested children and group entries
// included) to different values for overlapping targets: Intune applies neither value on the devices
// where they meet, so this is an error before anything reaches a tenant.
import { KINDS } from "../kinds";
import { pinnedCatalog, type Catalog } from "../catalog";
import { byText, compareText, type DesiredObject, type Diagnostic } from "../model";
import { describeFlatValue, flattenDocument, type FlatSetting } from "../intune";
import { findOverlap, targetSetOf, type Overlap } from "../intune";

export interface SettingConflict {
  a: DesiredObject;
  b: DesiredObject;
  path: string;
  settingDefinitionId: string;
  /** Display name from the catalog. */
  setting: string;
  valueA: string;
  valueB: string;
  overlap: Overlap;
}

/** Conflicts between the configuration policies among `objects`, ordered by policy ids then path. */
export function findSettingConflicts(
  objects: readonly DesiredObject[],
  catalog: Catalog = pinnedCatalog,
): SettingConflict[] {
  const policies = objects.filter((o) => KINDS[o.kind].settingsCatalog).sort(byText((o) => o.policyId));
  // path → the objects that set it, with their value; only paths set to two different values matter.
  const byPath = new Map<string, { object: DesiredObject; flat: FlatSetting }[]>();
  for (const object of policies) {
    for (const flat of flattenDocument(object.document)) {
      const list = byPath.get(flat.path) ?? [];
      list.push({ object, flat });
      byPath.set(flat.path, list);
    }
  }
  const targets = new Map(policies.map((o) => [o.policyId, targetSetOf(o.assignments)]));
  const conflicts: SettingConflict[] = [];
  for (const [path, uses] of byPath) {
    if (new Set(uses.map((u) => u.flat.valueKey)).size < 2) continue;
    for (let i = 0; i < uses.length; i++) {
      for (let j = i + 1; j < uses.length; j++) {
        const a = uses[i]!;
        const b = uses[j]!;
        if (a.flat.valueKey === b.flat.valueKey || a.object === b.object) continue;
        const overlap = findOverlap(targets.get(a.object.policyId)!, targets.get(b.object.policyId)!);
        if (!overlap) continue;
        conflicts.push({
          a: a.object,
          b: b.object,
          path,
          settingDefinitionId: a.flat.settingDefinitionId,
          setting: catalog.displayName(a.flat.settingDefinitionId),
          valueA: describeFlatValue(a.flat.value, catalog),
          valueB: describeFlatValue(b.flat.value, catalog),
          overlap,
        });
      }
    }
  }
  return conflicts.sort(
    (x, y) =>
      compareText(x.a.policyId, y.a.policyId) || compareText(x.b.policyId, y.b.policyId) || compareText(x.path, y.path),
  );
}

/** One error per conflict, on the first policy's file, naming both policies, files, setting and values. */
export function conflictDiagnostics(
  conflicts: readonly SettingConflict[],
  exportNames: ReadonlyMap<string, string> = new Map(),
): Diagnostic[] {
  return conflicts.map((c) => ({
    severity: "error",
    file: c.a.sourceFile,
    path: exportNames.get(c.a.policyId) ?? c.a.policyId,
    message:
      `policy '${c.a.policyId}' sets "${c.setting}" to ${c.valueA} but policy '${c.b.policyId}' (${c.b.sourceFile}) sets it to ${c.valueB}, ` +
      `and their assignments overlap (${c.overlap.description}); Intune applies neither value where they meet — make the targets disjoint (exclude one from the other) or agree on one value`,
  }));
}
