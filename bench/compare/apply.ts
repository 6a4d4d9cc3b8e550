// Apply through the provider layer (src/pulumi/operations.ts: what `pulumi up` runs for every resource):
// create, then update (a renamed document: one PUT each), then delete N objects, `parallel` operations at
// once as the engine runs them, all on the providers' one shared Graph client and budget.
import type { RunningEmulator } from "../../src/emulator";
import { directoryFrom, resolveAssignments } from "../../src/intune";
import { COLLECTIONS, isOwnedBy, type DesiredObject, type UnknownRecord } from "../../src/model";
import { create, remove, update } from "../../src/pulumi/operations";
import { toStateAssignments, toStateDocument } from "../../src/pulumi/state-form";

/** The inputs stacks/index.ts gives an Intune resource. */
export function resourceInputs(obj: DesiredObject, stack: string, emulator: RunningEmulator): UnknownRecord {
  const groups = emulator.state.list(COLLECTIONS.groups) as { id: string; displayName: string }[];
  const { resolved, unresolved } = resolveAssignments(obj.kind, obj.assignments, directoryFrom(groups));
  if (unresolved.length > 0) throw new Error(`${obj.policyId}: unresolved assignment targets`);
  return {
    kind: obj.kind,
    stack,
    policyId: obj.policyId,
    tenant: "emulator",
    graphEndpoint: emulator.baseUrl,
    policy: { sourceFile: obj.sourceFile, intents: obj.assignments },
    document: toStateDocument(obj.kind, obj.document),
    assignments: toStateAssignments(resolved.map((r) => r.body)),
  } as unknown as UnknownRecord;
}

/** Runs `task` over `items`, at most `parallel` at once. */
export async function pool<T>(items: readonly T[], parallel: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export interface AppliedObject {
  id: string;
  inputs: UnknownRecord;
  outs: UnknownRecord;
}

function owned(emulator: RunningEmulator, stack: string): number {
  return emulator.state
    .list(COLLECTIONS.configurationPolicies)
    .filter((p) => isOwnedBy(p.description as string | undefined, stack)).length;
}

export async function createAll(
  emulator: RunningEmulator,
  objects: readonly DesiredObject[],
  stack: string,
  parallel: number,
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  await pool(objects, parallel, async (obj) => {
    const inputs = resourceInputs(obj, stack, emulator);
    const { id, outs } = await create(obj.kind, inputs);
    applied.push({ id, inputs, outs });
  });
  if (owned(emulator, stack) !== objects.length)
    throw new Error(`after create: ${owned(emulator, stack)} objects carry the marker, expected ${objects.length}`);
  return applied;
}

export async function updateAll(applied: AppliedObject[], parallel: number): Promise<void> {
  await pool(applied, parallel, async (a) => {
    const document = {
      ...(a.inputs.document as UnknownRecord),
      name: `${String((a.inputs.document as UnknownRecord).name)} (renamed)`,
    };
    const news = { ...a.inputs, document };
    a.outs = (await update(a.inputs.kind as DesiredObject["kind"], a.id, a.outs, news)).outs;
    a.inputs = news;
  });
}

export async function deleteAll(
  emulator: RunningEmulator,
  applied: readonly AppliedObject[],
  stack: string,
  parallel: number,
): Promise<void> {
  await pool(applied, parallel, (a) => remove(a.inputs.kind as DesiredObject["kind"], a.id, a.outs));
  if (owned(emulator, stack) !== 0)
    throw new Error(`after delete: ${owned(emulator, stack)} objects still carry the marker`);
}
