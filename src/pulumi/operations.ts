// What the Intune dynamic providers do, as plain async functions. The serialized provider objects
// (providers.ts) only forward to these, loaded from the installed package in the provider host, so this
// code — not a copy frozen into state — runs on every preview, up, refresh and destroy.
//   check   validates and normalises the inputs (no network: research/pulumi.md §2.6);
//   diff    is plan's diff (src/diff/diff-object.ts via provider-diff.ts) of the inputs against the state:
//           replaces only what Graph refuses to change in place, and names the changed settings;
//   create  adopts an object carrying this stack's marker (or the policy's `adoptId`) instead of a twin;
//   read    returns the live object in state form as props and inputs, so `refresh` shows portal drift —
//           exactly the drift plan's diff finds (unchanged parts keep their stored spelling);
//   update  PUTs the whole document only when plan's diff finds it differs, and assigns the full list when that differs;
//   remove  deletes only objects that carry this stack's marker; 404 is "already gone".
import { z } from "zod";
import type { GraphClient } from "../graph";
import { formatMarker, GUID_PATTERN, isOwnedBy, POLICY_ID, STACK_NAME, type JsonObject, type JsonValue, type ObjectKind } from "../model";
import { assignObject, createOrAdopt, deleteObject, readObject, updateObject } from "../tenant/writer";
import { sharedGraph } from "./connection";
import { compareInputs, desiredObject, detailedDiff, documentChanged, reconcileState, replacePaths, stateAsLive, type DiffKind } from "./provider-diff";
import { INPUT_KEYS, PROVIDER_KEY, type IntuneObjectInputs, type IntuneObjectOutputs } from "./resource-inputs";
import { assignmentKey, toAssignmentBodies, toGraphDocument, toStateAssignments, toStateDocument } from "./state-form";

type Props = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ProviderDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /**
   * What plan's diff found, as input paths (`document.settings["<setting path>"]`, `assignments["<key>"]`,
   * `document.<field>`; provider-diff.ts). The
   * 3.248 host does not forward it to the engine (research §2.1); `preview --diff` gets the same paths
   * from the state form instead (state-form.ts). Kept for direct callers and tests.
   */
  detailedDiff: Record<string, { kind: DiffKind }>;
}

const jsonValue: z.ZodType<JsonValue> = z.json() as z.ZodType<JsonValue>;
const jsonObject = z.record(z.string(), jsonValue);

const inputsSchema = z.strictObject({
  kind: z.enum(["configurationPolicy", "compliancePolicy", "mobileApp"]),
  stack: z.string().regex(STACK_NAME, "a Pulumi stack name"),
  policyId: z.string().regex(POLICY_ID, "a kebab-case policy id"),
  tenant: z.union([z.literal("emulator"), z.uuid()], { error: "'emulator' or an Entra tenant id" }),
  graphEndpoint: z.url({ protocol: /^https$/, error: "an https URL" }),
  adoptId: z.string().min(1).optional(),
  policy: z.object({ sourceFile: z.string(), intents: z.array(jsonObject) }),
  document: jsonObject,
  assignments: z.record(z.string(), jsonObject),
});

/** Inputs from the engine, without the engine's own keys. */
function ownInputs(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) if (k !== PROVIDER_KEY && k !== "adopted") out[k] = v;
  return out;
}

function failure(property: string, reason: string): CheckFailure {
  return { property, reason };
}

export async function check(kind: ObjectKind, _olds: Props, news: Props): Promise<{ inputs?: Props; failures?: CheckFailure[] }> {
  const parsed = inputsSchema.safeParse(ownInputs(news));
  if (!parsed.success) {
    const known = new Set<string>(INPUT_KEYS);
    return {
      failures: parsed.error.issues.map((i) =>
        i.code === "unrecognized_keys" ? failure(i.keys.filter((k) => !known.has(k)).join(", "), "unknown input") : failure(i.path.join(".") || "(inputs)", i.message),
      ),
    };
  }
  const inputs = parsed.data;
  const failures: CheckFailure[] = [];
  if (inputs.kind !== kind) failures.push(failure("kind", `this provider manages ${kind} objects, not ${inputs.kind}`));
  const marker = formatMarker({ stack: inputs.stack, policyId: inputs.policyId });
  const description = inputs.document.description;
  if (!isOwnedBy(typeof description === "string" ? description : undefined, inputs.stack, inputs.policyId)) {
    failures.push(failure("document.description", `must end with the ownership marker ${marker}`));
  }
  let document: JsonObject = inputs.document;
  let assignments: Record<string, JsonObject> = {};
  try {
    // Idempotent: the program already sends the state form; a plain Graph document is accepted too.
    document = toStateDocument(kind, Array.isArray(inputs.document.settings) ? inputs.document : toGraphDocument(kind, inputs.document));
  } catch (e) {
    failures.push(failure("document", (e as Error).message));
  }
  for (const [key, body] of Object.entries(inputs.assignments)) {
    try {
      const actual = assignmentKey(kind, body);
      if (actual !== key) failures.push(failure(`assignments.${key}`, `keyed as '${key}' but the body targets '${actual}'`));
      const groupId = (body.target as JsonObject | undefined)?.groupId;
      if (typeof groupId === "string" && !GUID_PATTERN.test(groupId)) {
        failures.push(failure(`assignments.${key}`, `group id '${groupId}' is not an object id (a ring group that does not exist yet?)`));
      }
    } catch (e) {
      failures.push(failure(`assignments.${key}`, (e as Error).message));
    }
  }
  try {
    assignments = toStateAssignments(kind, Object.values(inputs.assignments));
  } catch (e) {
    failures.push(failure("assignments", (e as Error).message));
  }
  if (failures.length > 0) return { failures };
  const out: IntuneObjectInputs = {
    kind,
    stack: inputs.stack,
    policyId: inputs.policyId,
    tenant: inputs.tenant,
    graphEndpoint: inputs.graphEndpoint,
    ...(inputs.adoptId ? { adoptId: inputs.adoptId } : {}),
    policy: inputs.policy as unknown as IntuneObjectInputs["policy"],
    document,
    assignments,
  };
  return { inputs: out as unknown as Props };
}

// ---- comparing: the diff module's verdict, translated (provider-diff.ts) ----------------------------

function asInputs(props: Props): IntuneObjectInputs {
  return props as unknown as IntuneObjectInputs;
}

export async function diff(kind: ObjectKind, _id: string, olds: Props, news: Props): Promise<ProviderDiff> {
  const before = asInputs(olds);
  const after = asInputs(news);
  // The state stands for the live object: the same comparison as `wslpolicy plan` of news against it.
  const change = compareInputs(kind, after, stateAsLive(kind, before), before);
  const replaces = replacePaths(change);
  const details = detailedDiff(change);
  // Where the object lives is part of its identity: another endpoint or stack is another object.
  for (const key of ["graphEndpoint", "stack", "tenant"] as const) if (before[key] !== after[key]) replaces.push(key);
  if ((before.adoptId ?? "") !== (after.adoptId ?? "")) details.adoptId = { kind: "update" };
  return {
    changes: change.action !== "unchanged" || replaces.length > 0 || details.adoptId !== undefined,
    replaces,
    // The replacement would otherwise find the old object by its marker and adopt it.
    deleteBeforeReplace: replaces.length > 0,
    detailedDiff: details,
  };
}

// ---- Graph operations -----------------------------------------------------------------------------

/** A live Graph object (assignments expanded) in state form, with the stored inputs' other fields. */
function liveState(kind: ObjectKind, live: JsonObject, like: IntuneObjectInputs): IntuneObjectInputs {
  const bodies = (Array.isArray(live.assignments) ? live.assignments : []).map((a) => stripAssignment(kind, a as JsonObject));
  return { ...like, document: toStateDocument(kind, live), assignments: toStateAssignments(kind, bodies) };
}

function stripAssignment(kind: ObjectKind, assignment: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(assignment)) {
    if (k === "id" || k === "source" || k === "sourceId" || k.startsWith("@odata.") && k !== "@odata.type") continue;
    if (kind !== "mobileApp" && k !== "target") continue;
    out[k] = v;
  }
  return out;
}

/** Brings a live object to the desired inputs: a whole-document write and/or the full assignment list, only where the diff says so. */
async function converge(graph: GraphClient, kind: ObjectKind, id: string, live: JsonObject, desired: IntuneObjectInputs, written?: IntuneObjectInputs): Promise<void> {
  const change = compareInputs(kind, desired, live, written);
  // Writes are whole documents, and never sent when the normalised diff is empty (DESIGN.md).
  if (documentChanged(change)) await updateObject(graph, kind, id, toGraphDocument(kind, desired.document));
  if (change.assignments.length > 0) await assignObject(graph, kind, id, toAssignmentBodies(desired.assignments));
}

/** An error the host reports as "created but not initialised", so the engine keeps the id in state. */
class PartiallyCreated extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
  ) {
    super(message);
  }
}

export async function create(kind: ObjectKind, props: Props): Promise<{ id: string; outs: Props }> {
  const inputs = asInputs(ownInputs(props));
  const graph = sharedGraph(inputs);
  // An adopted object comes back as it was read while adopting: converged against that, not read again.
  const { id, adopted, live } = await createOrAdopt(graph, desiredObject(kind, inputs), inputs.stack);
  const outs: IntuneObjectOutputs = { ...inputs, adopted };
  try {
    if (live) {
      await converge(graph, kind, id, live, inputs);
    } else {
      // A new object: Graph creates policies without assignments; the app exists before it is assigned.
      await assignObject(graph, kind, id, toAssignmentBodies(inputs.assignments));
    }
  } catch (e) {
    // The host stores these properties as the resource's state AS IS (it adds `__provider` only on
    // success), and `refresh`/`destroy` rebuild the provider from the state's `__provider`: without it
    // they fail with "code must be a string" and the half-made object can never be deleted.
    const state = { ...outs, [PROVIDER_KEY]: props[PROVIDER_KEY] };
    throw new PartiallyCreated(`${kind} ${inputs.policyId} (${id}) was created but not fully set up: ${(e as Error).message}`, id, state);
  }
  return { id, outs: outs as unknown as Props };
}

export async function read(kind: ObjectKind, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  const stored = asInputs(ownInputs(props));
  const graph = sharedGraph(stored);
  const live = await readObject(graph, kind, id);
  // Deleted in the portal: an empty id tells the engine the resource is gone (research §2.1).
  if (!live) return { id: "" };
  // Only what the diff finds changed is taken from the live object (provider-diff.ts, reconcileState).
  const state = reconcileState(kind, stored, liveState(kind, live.document, stored), compareInputs(kind, stored, live.document, stored));
  const outputs: IntuneObjectOutputs = { ...state, adopted: (props.adopted as boolean | undefined) ?? false };
  // Returning inputs too makes a later `preview --diff` compare against the live values (research §2.1).
  return { id, props: outputs as unknown as Props, inputs: state as unknown as Props };
}

export async function update(kind: ObjectKind, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const desired = asInputs(ownInputs(news));
  const graph = sharedGraph(desired);
  const live = await readObject(graph, kind, id);
  if (!live) throw new Error(`${kind} ${desired.policyId} (${id}) no longer exists in the tenant; run \`pulumi refresh\` to forget it, then \`pulumi up\` to create it again`);
  await converge(graph, kind, id, live.document, desired, asInputs(ownInputs(olds)));
  const outs: IntuneObjectOutputs = { ...desired, adopted: (olds.adopted as boolean | undefined) ?? false };
  return { outs: outs as unknown as Props };
}

export async function remove(kind: ObjectKind, id: string, props: Props): Promise<void> {
  const stored = asInputs(ownInputs(props));
  const graph = sharedGraph(stored);
  const live = await readObject(graph, kind, id);
  if (!live) return;
  const description = typeof live.document.description === "string" ? live.document.description : undefined;
  if (!isOwnedBy(description, stored.stack, stored.policyId)) {
    throw new Error(
      `${kind} ${id} does not carry the marker ${formatMarker({ stack: stored.stack, policyId: stored.policyId })}; wslpolicy deletes only objects it owns. ` +
        "Restore the marker in its description, or remove the resource from state with `pulumi state delete`.",
    );
  }
  await deleteObject(graph, kind, id);
}
