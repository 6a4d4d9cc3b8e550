// Apply through the provider layer (src/pulumi/operations.ts: what `pulumi up` runs for every resource):
// create, then update (a renamed document: one PUT each), then delete N objects, `parallel` operations at
// once as the engine runs them, all on the providers' one shared Graph client and budget.
import { directoryFrom, resolveAssignments, type Directory } from "../../src/intune";
import type { DesiredObject, UnknownRecord } from "../../src/model";
import { create, remove, update } from "../../src/pulumi/operations";
import { toStateAssignments, toStateDocument } from "../../src/pulumi/state-form";
import type { BenchEmulator } from "./emulator-process";

/** The inputs stacks/index.ts gives an Intune resource, its groups looked up in `directory`. */
export function resourceInputs(
  obj: DesiredObject,
  stack: string,
  graphEndpoint: string,
  directory: Directory,
): UnknownRecord {
  const { resolved, unresolved } = resolveAssignments(obj.kind, obj.assignments, directory);
  if (unresolved.length > 0) throw new Error(`${obj.policyId}: unresolved assignment targets`);
  return {
    kind: obj.kind,
    stack,
    policyId: obj.policyId,
    tenant: "emulator",
    graphEndpoint,
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

export async function createAll(
  emulator: BenchEmulator,
  objects: readonly DesiredObject[],
  stack: string,
  parallel: number,
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  const directory = directoryFrom(await emulator.groups());
  await pool(objects, parallel, async (obj) => {
    const inputs = resourceInputs(obj, stack, emulator.baseUrl, directory);
    const { id, outs } = await create(obj.kind, inputs);
    applied.push({ id, inputs, outs });
  });
  const owned = await emulator.ownedPolicies(stack);
  if (owned !== objects.length)
    throw new Error(`after create: ${owned} objects carry the marker, expected ${objects.length}`);
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
  emulator: BenchEmulator,
  applied: readonly AppliedObject[],
  stack: string,
  parallel: number,
): Promise<void> {
  await pool(applied, parallel, (a) => remove(a.inputs.kind as DesiredObject["kind"], a.id, a.outs));
  const owned = await emulator.ownedPolicies(stack);
  if (owned !== 0) throw new Error(`after delete: ${owned} objects still carry the marker`);
}
