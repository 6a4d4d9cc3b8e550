// Which live settings a plan or drift of a desired state can ever look at, known before the tenant is read:
// every setting of an object the stack manages (its marker) or adopts (its id), and of the policies it
// leaves alone only the settings on a device node one of its own policies sets (the only ones that can
// conflict, ./plan.ts). The read drops the rest as each page arrives (src/tenant/read.ts `keepSettings`),
// so a tenant of 10,000 unmanaged policies is not held whole in memory to compare none of it. Pure.
import { walkDocument, walkSettings } from "../intune";
import { KINDS, type ObjectKind } from "../kinds";
import { isOwnedBy, type DesiredState, type UnknownRecord } from "../model";

/** The device nodes the declared settings-catalog objects set: where a policy left alone can conflict. */
export function declaredNodes(desired: DesiredState): Set<string> {
  const nodes = new Set<string>();
  for (const o of desired.objects) {
    if (!KINDS[o.kind].settingsCatalog) continue;
    for (const w of walkDocument(o.document)) if (w.node !== undefined) nodes.add(w.node);
  }
  return nodes;
}

/** True when one of the setting's values lands on one of `nodes`. */
export function setsAnyNode(setting: unknown, nodes: ReadonlySet<string>): boolean {
  return walkSettings([setting]).some((w) => w.node !== undefined && nodes.has(w.node));
}

/**
 * For each live policy of a settings-catalog kind: undefined when all its settings are needed, else the
 * predicate that says which are.
 */
export function neededSettings(
  desired: DesiredState,
): (kind: ObjectKind, policy: Readonly<UnknownRecord>) => ((setting: unknown) => boolean) | undefined {
  const nodes = declaredNodes(desired);
  const adopted = new Set(desired.objects.flatMap((o) => (o.adoptId ? [`${o.kind}/${o.adoptId.toLowerCase()}`] : [])));
  const some = (setting: unknown) => setsAnyNode(setting, nodes);
  const none = () => false;
  return (kind, policy) => {
    const description = typeof policy.description === "string" ? policy.description : undefined;
    if (isOwnedBy(description, desired.stack)) return undefined;
    if (typeof policy.id === "string" && adopted.has(`${kind}/${policy.id.toLowerCase()}`)) return undefined;
    return nodes.size === 0 ? none : some;
  };
}
