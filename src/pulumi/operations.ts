// What the Intune dynamic providers do, as plain async functions. The serialized provider objects
// (providers.ts) only forward to these, loaded from the installed package in the provider host, so this
// code — not a copy frozen into state — runs on every preview, up, refresh and destroy.
//   check   validates and normalises the inputs (no network; docs/pulumi.md);
//   diff    is plan's diff (src/diff/diff-object.ts via provider-diff.ts) of the inputs against the state:
//           replaces only what Graph refuses to change in place, and names the changed settings;
//   create  adopts an object carrying this stack's marker (or the policy's `adoptId`) instead of a twin;
//   read    returns the live object in state form as props and inputs, so `refresh` shows portal drift —
//           exactly the drift plan's diff finds (unchanged parts keep their stored spelling);
//   update  PUTs the whole document only when plan's diff finds it differs, and assigns the full list when that
//           differs;
//   remove  deletes only objects that carry this stack's marker; 404 is "already gone".
import type { CheckFailure, CheckResult, DiffResult } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { CLOUDS, type CloudName } from "../config";
import type { GraphClient } from "../graph";
import { KINDS, kindSpec, OBJECT_KINDS } from "../kinds";
import {
  formatMarker,
  GUID_PATTERN,
  isOwnedBy,
  POLICY_ID,
  STACK_NAME,
  type JsonObject,
  type JsonValue,
  type ObjectKind,
  type UnknownRecord,
} from "../model";
import { fingerprintSecrets, insertSecrets, mapScriptFields } from "../intune";
import { assignObject, createOrAdopt, deleteObject, readKnownObject, updateObject } from "../tenant";
import { ensureAppContent } from "./app-content";
import { sharedGraph } from "./connection";
import {
  compareInputs,
  desiredObject,
  detailedDiff,
  documentChanged,
  reconcileState,
  replacePaths,
  stateAsLive,
  type DiffKind,
} from "./provider-diff";
import { INPUT_KEYS, PROVIDER_KEY, type IntuneObjectInputs, type IntuneObjectOutputs } from "./resource-inputs";
import { assignmentKey, toAssignmentBodies, toGraphDocument, toStateAssignments, toStateDocument } from "./state-form";
import { containsUnknown, isUnknown, UNKNOWN } from "./unknowns";

/** The dynamic provider's own result types (@pulumi/pulumi/dynamic), with the fields `diff` always sets. */
export interface ProviderDiff extends Required<Pick<DiffResult, "changes" | "replaces" | "deleteBeforeReplace">> {
  /**
   * What plan's diff found, as input paths (`document.settings["<setting path>"]`, `assignments["<key>"]`,
   * `document.<field>`; provider-diff.ts). The
   * 3.248 host does not forward it to the engine (docs/pulumi.md); `preview --diff` gets the same paths
   * from the state form instead (state-form.ts). Kept for direct callers and tests.
   */
  detailedDiff: Record<string, { kind: DiffKind }>;
}

const jsonValue: z.ZodType<JsonValue> = z.json() as z.ZodType<JsonValue>;
const jsonObject = z.record(z.string(), jsonValue);

/** A field of the inputs that may also be Pulumi's unknown sentinel during a preview (unknowns.ts). */
const orUnknown = <T extends z.ZodType>(schema: T) => z.union([z.literal(UNKNOWN), schema]);

const inputsSchema = z.strictObject({
  kind: orUnknown(z.enum(OBJECT_KINDS)),
  stack: orUnknown(z.string().regex(STACK_NAME, "a Pulumi stack name")),
  policyId: orUnknown(z.string().regex(POLICY_ID, "a kebab-case policy id")),
  tenant: orUnknown(z.union([z.literal("emulator"), z.uuid()], { error: "'emulator' or an Entra tenant id" })),
  cloud: orUnknown(z.enum(Object.keys(CLOUDS) as [CloudName, ...CloudName[]])).optional(),
  graphEndpoint: orUnknown(z.url({ protocol: /^https$/, error: "an https URL" })),
  adoptId: orUnknown(z.string().min(1)).optional(),
  policy: orUnknown(z.object({ sourceFile: z.string(), intents: orUnknown(z.array(orUnknown(jsonObject))) })),
  document: orUnknown(jsonObject),
  assignments: orUnknown(z.record(z.string(), orUnknown(jsonObject))),
  content: orUnknown(
    z.strictObject({ msi: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex SHA-256") }),
  ).optional(),
});

/** Inputs from the engine, without the engine's own keys. */
function ownInputs(props: UnknownRecord): UnknownRecord {
  const out: UnknownRecord = {};
  for (const [k, v] of Object.entries(props)) if (k !== PROVIDER_KEY && k !== "adopted") out[k] = v;
  return out;
}

function failure(property: string, reason: string): CheckFailure {
  return { property, reason };
}

const known = <T>(value: T | typeof UNKNOWN): value is T => !isUnknown(value);

/**
 * Secret slots of script fields in the fingerprint form (src/intune/script-secrets.ts): what Pulumi
 * inputs and state hold. A value the environment has becomes its fingerprint; a secret read back from
 * Graph, too.
 */
function secretsAsFingerprints(kind: ObjectKind, document: JsonObject, env?: NodeJS.ProcessEnv): JsonObject {
  return mapScriptFields(document, kindSpec(kind).scriptContent ?? [], (text) => fingerprintSecrets(text, env));
}

/** The inputs as sent to Graph: secrets from the provider host's environment; throws before any write. */
function withSecretValues(kind: ObjectKind, inputs: IntuneObjectInputs): IntuneObjectInputs {
  const fields = kindSpec(kind).scriptContent ?? [];
  if (fields.length === 0) return inputs;
  const document = mapScriptFields(inputs.document, fields, (text) =>
    insertSecrets(text, process.env, inputs.policy.sourceFile),
  );
  return { ...inputs, document };
}

/** The document in state form; a document that holds unknowns is passed through as it came. */
function checkDocument(kind: ObjectKind, document: JsonObject, failures: CheckFailure[]): JsonObject {
  if (containsUnknown(document)) return document;
  try {
    // Idempotent: the program already sends the state form; a plain Graph document is accepted too.
    return toStateDocument(
      kind,
      secretsAsFingerprints(
        kind,
        Array.isArray(document.settings) ? document : toGraphDocument(kind, document),
        process.env,
      ),
    );
  } catch (e) {
    failures.push(failure("document", (e as Error).message));
    return document;
  }
}

/** Assignments keyed by their set key; bodies that hold unknowns keep the key the program gave them. */
function checkAssignments(
  kind: ObjectKind,
  assignments: Record<string, JsonObject | typeof UNKNOWN>,
  failures: CheckFailure[],
): Record<string, JsonValue> {
  const pending: Record<string, JsonValue> = {};
  const bodies: JsonObject[] = [];
  for (const [key, body] of Object.entries(assignments)) {
    if (!known(body) || containsUnknown(body)) {
      pending[key] = body;
      continue;
    }
    try {
      const actual = assignmentKey(body);
      if (actual !== key)
        failures.push(failure(`assignments.${key}`, `keyed as '${key}' but the body targets '${actual}'`));
      const groupId = (body.target as JsonObject | undefined)?.groupId;
      if (typeof groupId === "string" && !GUID_PATTERN.test(groupId)) {
        failures.push(
          failure(
            `assignments.${key}`,
            `group id '${groupId}' is not an object id (a ring group that does not exist yet?)`,
          ),
        );
      }
      bodies.push(body);
    } catch (e) {
      failures.push(failure(`assignments.${key}`, (e as Error).message));
    }
  }
  try {
    return { ...toStateAssignments(bodies), ...pending };
  } catch (e) {
    failures.push(failure("assignments", (e as Error).message));
    return { ...pending };
  }
}

/**
 * Validates and normalises what is known. Values Pulumi does not know yet during a preview (unknowns.ts)
 * pass through unchanged, at the top level or nested: a preview must not fail because a ring group that
 * the same run creates has no object id yet.
 */
export async function check(
  kind: ObjectKind,
  _olds: UnknownRecord,
  news: UnknownRecord,
): Promise<CheckResult<UnknownRecord>> {
  const parsed = inputsSchema.safeParse(ownInputs(news));
  if (!parsed.success) {
    const knownKeys = new Set<string>(INPUT_KEYS);
    return {
      failures: parsed.error.issues.map((i) =>
        i.code === "unrecognized_keys"
          ? failure(i.keys.filter((k) => !knownKeys.has(k)).join(", "), "unknown input")
          : failure(i.path.join(".") || "(inputs)", i.message),
      ),
    };
  }
  const inputs = parsed.data;
  const failures: CheckFailure[] = [];
  if (known(inputs.kind) && inputs.kind !== kind)
    failures.push(failure("kind", `this provider manages ${kind} objects, not ${inputs.kind}`));
  const description = known(inputs.document) ? inputs.document.description : UNKNOWN;
  if (known(inputs.stack) && known(inputs.policyId) && !isUnknown(description)) {
    if (!isOwnedBy(typeof description === "string" ? description : undefined, inputs.stack, inputs.policyId)) {
      failures.push(
        failure(
          "document.description",
          `must end with the ownership marker ${formatMarker({ stack: inputs.stack, policyId: inputs.policyId })}`,
        ),
      );
    }
  }
  const document = known(inputs.document) ? checkDocument(kind, inputs.document, failures) : UNKNOWN;
  const assignments = known(inputs.assignments) ? checkAssignments(kind, inputs.assignments, failures) : UNKNOWN;
  if (failures.length > 0) return { failures };
  const out: UnknownRecord = {
    kind,
    stack: inputs.stack,
    policyId: inputs.policyId,
    tenant: inputs.tenant,
    ...(inputs.cloud !== undefined ? { cloud: inputs.cloud } : {}),
    graphEndpoint: inputs.graphEndpoint,
    ...(inputs.adoptId ? { adoptId: inputs.adoptId } : {}),
    policy: inputs.policy,
    document,
    assignments,
    ...(inputs.content !== undefined ? { content: inputs.content } : {}),
  };
  return { inputs: out };
}

// ---- comparing: the diff module's verdict, translated (provider-diff.ts) ----------------------------

function asInputs(props: UnknownRecord): IntuneObjectInputs {
  return props as unknown as IntuneObjectInputs;
}

/** Where the object lives is part of its identity: another endpoint, stack, tenant or cloud is another object. */
function identityChanges(before: IntuneObjectInputs, after: IntuneObjectInputs): string[] {
  const out: string[] = [];
  for (const key of ["graphEndpoint", "stack", "tenant"] as const)
    if (known(after[key]) && before[key] !== after[key]) out.push(key);
  if (known(after.cloud ?? "global") && (before.cloud ?? "global") !== (after.cloud ?? "global")) out.push("cloud");
  return out;
}

export async function diff(
  kind: ObjectKind,
  _id: string,
  olds: UnknownRecord,
  news: UnknownRecord,
): Promise<ProviderDiff> {
  const before = asInputs(olds);
  const after = asInputs(news);
  const replaces = identityChanges(before, after);
  if (containsUnknown(ownInputs(news))) {
    // A preview with values not known yet (unknowns.ts): whatever is unknown may change, so "changes".
    // What is known still decides a replace: the document alone, compared with the stored assignments.
    if (!containsUnknown(after.document) && !containsUnknown(after.stack) && !containsUnknown(after.policyId)) {
      replaces.push(
        ...replacePaths(
          compareInputs(kind, { ...after, assignments: before.assignments }, stateAsLive(kind, before), before),
        ),
      );
    }
    return { changes: true, replaces, deleteBeforeReplace: replaces.length > 0, detailedDiff: {} };
  }
  // The state stands for the live object: the same comparison as `wslpolicy plan` of news against it.
  const change = compareInputs(kind, after, stateAsLive(kind, before), before);
  replaces.push(...replacePaths(change));
  const details = detailedDiff(change);
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
  const bodies = (Array.isArray(live.assignments) ? live.assignments : []).map((a) =>
    stripAssignment(kind, a as JsonObject),
  );
  // A secret Graph returns in a script is kept in state as its fingerprint only.
  return {
    ...like,
    document: toStateDocument(kind, secretsAsFingerprints(kind, live)),
    assignments: toStateAssignments(bodies),
  };
}

function stripAssignment(kind: ObjectKind, assignment: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(assignment)) {
    if (k === "id" || k === "source" || k === "sourceId" || (k.startsWith("@odata.") && k !== "@odata.type")) continue;
    // Only an app assignment carries more than its target (intent, settings).
    if (!KINDS[kind].assignmentIntent && !(kindSpec(kind).assignmentSchedule && k === "runSchedule") && k !== "target")
      continue;
    out[k] = v;
  }
  return out;
}

/**
 * Brings a live object to the desired inputs: a whole-document write and/or the full assignment list, only where the
 * diff says so.
 */
async function converge(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  live: JsonObject,
  desired: IntuneObjectInputs,
  written?: IntuneObjectInputs,
): Promise<void> {
  const change = compareInputs(kind, desired, live, written);
  // Writes are whole documents, and never sent when the normalised diff is empty (README, "One normaliser").
  if (documentChanged(change)) await updateObject(graph, kind, id, toGraphDocument(kind, desired.document));
  if (change.assignments.length > 0) await assignObject(graph, kind, id, toAssignmentBodies(desired.assignments));
}

/** An error the host reports as "created but not initialised", so the engine keeps the id in state. */
class PartiallyCreated extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: UnknownRecord,
  ) {
    super(message);
  }
}

export async function create(kind: ObjectKind, props: UnknownRecord): Promise<{ id: string; outs: UnknownRecord }> {
  const inputs = asInputs(ownInputs(props));
  const sending = withSecretValues(kind, inputs);
  const graph = sharedGraph(inputs);
  // An adopted object comes back as it was read while adopting: converged against that, not read again.
  const { id, adopted, live } = await createOrAdopt(graph, desiredObject(kind, sending), inputs.stack);
  const outs: IntuneObjectOutputs = { ...inputs, adopted };
  try {
    // A Win32 app gets its content first: Graph assigns only published apps (app-content.ts).
    const current = await ensureAppContent(graph, kind, id, inputs, live);
    if (current) {
      await converge(graph, kind, id, current, sending);
    } else if (adopted) {
      // Listed with this stack's marker but not readable by id yet (eventual consistency): write it whole.
      await updateObject(graph, kind, id, toGraphDocument(kind, sending.document));
      await assignObject(graph, kind, id, toAssignmentBodies(inputs.assignments));
    } else {
      // A new object: Graph creates policies without assignments; the app exists before it is assigned.
      await assignObject(graph, kind, id, toAssignmentBodies(inputs.assignments));
    }
  } catch (e) {
    // The host stores these properties as the resource's state AS IS (it adds `__provider` only on
    // success), and `refresh`/`destroy` rebuild the provider from the state's `__provider`: without it
    // they fail with "code must be a string" and the half-made object can never be deleted.
    const state = { ...outs, [PROVIDER_KEY]: props[PROVIDER_KEY] };
    throw new PartiallyCreated(
      `${kind} ${inputs.policyId} (${id}) was created but not fully set up: ${(e as Error).message}`,
      id,
      state,
    );
  }
  return { id, outs: outs as unknown as UnknownRecord };
}

export async function read(
  kind: ObjectKind,
  id: string,
  props: UnknownRecord,
): Promise<{ id: string; props?: UnknownRecord; inputs?: UnknownRecord }> {
  const stored = asInputs(ownInputs(props));
  const graph = sharedGraph(stored);
  // An id in state is an object that existed: one 404 may be a lagging replica, not a deletion.
  const live = await readKnownObject(graph, kind, id);
  // Deleted in the portal: an empty id tells the engine the resource is gone (pulumi/pulumi
  // sdk/nodejs/cmd/dynamic-provider/index.js `read`: the id is passed on as returned).
  if (!live) return { id: "" };
  // Only what the diff finds changed is taken from the live object (provider-diff.ts, reconcileState).
  const state = reconcileState(
    kind,
    stored,
    liveState(kind, live.document, stored),
    compareInputs(kind, stored, live.document, stored),
  );
  const outputs: IntuneObjectOutputs = { ...state, adopted: (props.adopted as boolean | undefined) ?? false };
  // Returning inputs too makes a later `preview --diff` compare against the live values (@pulumi/pulumi
  // dynamic ReadResult.inputs: "the input properties to use for subsequent diffs").
  return { id, props: outputs as unknown as UnknownRecord, inputs: state as unknown as UnknownRecord };
}

export async function update(
  kind: ObjectKind,
  id: string,
  olds: UnknownRecord,
  news: UnknownRecord,
): Promise<{ outs: UnknownRecord }> {
  const desired = asInputs(ownInputs(news));
  const sending = withSecretValues(kind, desired);
  const graph = sharedGraph(desired);
  const live = await readKnownObject(graph, kind, id);
  if (!live)
    throw new Error(
      `${kind} ${desired.policyId} (${id}) no longer exists in the tenant; run \`pulumi refresh\` to forget it, then \`pulumi up\` to create it again`,
    );
  const current = (await ensureAppContent(graph, kind, id, desired, live.document)) ?? live.document;
  await converge(graph, kind, id, current, sending, asInputs(ownInputs(olds)));
  const outs: IntuneObjectOutputs = { ...desired, adopted: (olds.adopted as boolean | undefined) ?? false };
  return { outs: outs as unknown as UnknownRecord };
}

export async function remove(kind: ObjectKind, id: string, props: UnknownRecord): Promise<void> {
  const stored = asInputs(ownInputs(props));
  const graph = sharedGraph(stored);
  // Gone only after the visibility window: a 404 from a lagging replica must not leave a marked, assigned
  // object behind that the stack then forgets.
  const live = await readKnownObject(graph, kind, id);
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
