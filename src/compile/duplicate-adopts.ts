// One Intune object, one policy: two policies that `adopt` the same object would both write it (each apply
// undoing the other) and both claim it in plan and drift, so `validate` refuses them, naming both files.
// Object ids are GUIDs, compared without case.
import { compareText, type DesiredObject, type Diagnostic } from "../model";

export function duplicateAdopts(
  objects: readonly DesiredObject[],
  exportNames: ReadonlyMap<string, string>,
): Diagnostic[] {
  const byObject = new Map<string, DesiredObject[]>();
  for (const o of objects) {
    if (o.adoptId === undefined) continue;
    byObject.set(o.adoptId, [...(byObject.get(o.adoptId) ?? []), o]);
  }
  const out: Diagnostic[] = [];
  for (const [objectId, adopters] of byObject) {
    if (adopters.length < 2) continue;
    const sorted = [...adopters].sort(
      (a, b) => compareText(a.sourceFile, b.sourceFile) || compareText(a.policyId, b.policyId),
    );
    const where = (o: DesiredObject) => `${o.sourceFile} (policy '${o.policyId}')`;
    for (const o of sorted) {
      const others = sorted.filter((x) => x !== o).map(where);
      out.push({
        code: "duplicate-adopt",
        severity: "error",
        file: o.sourceFile,
        path: `${exportNames.get(o.policyId) ?? o.policyId}.adopt`,
        message: `object ${objectId} is also adopted by ${others.join(" and ")}; an object can be adopted by one policy only`,
      });
    }
  }
  return out;
}
