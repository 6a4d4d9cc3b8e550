// What the Intune dynamic providers do, as plain async functions. The serialized provider objects
// (providers.ts) only forward to these, loaded from the installed package in the provider host, so this
// code — not a copy frozen into state — runs on every preview, up, refresh and destroy.
//   check   validates and normalises the inputs (no network: research/pulumi.md §2.6);
//   diff    compares canonical forms (src/diff/normalise.ts, the normaliser plan and drift use), replaces
//           only what Graph refuses to change in place, and names the changed settings;
//   create  adopts an object carrying this stack's marker (or the policy's `adoptId`) instead of a twin;
//   read    returns the live object in state form as props and inputs, so `refresh` shows portal drift;
//   update  PUTs the whole document only when it differs, and assigns the full list when that differs;
//   remove  deletes only objects that carry this stack's marker; 404 is "already gone".
import { z } from "zod";
import { normaliseObject, type CanonicalObject } from "../diff/normalise";
import { canonicalJson, projectOnto, jsonKey, type CanonicalJson } from "../diff/canonical-value";
import { formatMarker, isOwnedBy, POLICY_ID, STACK_NAME, type DesiredObject, type JsonObject, type JsonValue, type ObjectKind } from "../model";
import { assignObject, createObject, deleteObject, readObject, updateObject } from "../tenant/writer";
import { graphFromEnvironment } from "./connection";
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
   * Setting-level paths that differ (`document.settings.<definitionId>`, `assignments.<key>`, …). The
   * 3.248 host does not forward it to the engine (research §2.1); `preview --diff` gets the same paths
   * from the state form instead (state-form.ts). Kept for direct callers and tests.
   */
  detailedDiff: Record<string, { kind: "add" | "delete" | "update" }>;
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
      if (typeof groupId === "string" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(groupId)) {
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

// ---- comparing ------------------------------------------------------------------------------------

function asInputs(props: Props): IntuneObjectInputs {
  return props as unknown as IntuneObjectInputs;
}

function canonical(kind: ObjectKind, inputs: IntuneObjectInputs): CanonicalObject {
  return normaliseObject(kind, toGraphDocument(kind, inputs.document ?? {}), toAssignmentBodies(inputs.assignments ?? {}));
}

/** Fields Graph refuses to change in place (research/graph-api.md §9): a change means a new object. */
function replacements(before: CanonicalObject, after: CanonicalObject): string[] {
  const out: string[] = [];
  if (before.odataType !== after.odataType) out.push("document.@odata.type");
  if (after.kind === "configurationPolicy") {
    if (before.platforms.join() !== after.platforms.join()) out.push("document.platforms");
    if (before.technologies.join() !== after.technologies.join()) out.push("document.technologies");
    if (before.templateId !== after.templateId) out.push("document.templateReference");
  }
  return out;
}

function keyedChanges(prefix: string, before: Record<string, unknown>, after: Record<string, unknown>, into: ProviderDiff["detailedDiff"], top = (k: string) => k): void {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (a !== undefined && b !== undefined && jsonKey(a) === jsonKey(b)) continue;
    const kind = a === undefined ? "add" : b === undefined ? "delete" : "update";
    const path = `${prefix}.${top(key)}`;
    // Several leaves of one setting (children, group entries) fold into one path; mixed kinds are an update.
    const previous = into[path]?.kind;
    into[path] = { kind: previous === undefined || previous === kind ? kind : "update" };
  }
}

/**
 * Properties as compared: without `scheduledActionsForRule` (a navigation property set only at create and
 * never returned by a plain GET; the writer never PATCHes it) and without `@odata.type` inside lists of
 * complex values (Graph omits it on non-derived types such as wslDistributionConfiguration, so the
 * compiled request and the GET differ only by that annotation).
 */
function comparableProperties(properties: Record<string, CanonicalJson>): Record<string, CanonicalJson> {
  const strip = (value: CanonicalJson): CanonicalJson =>
    Array.isArray(value)
      ? value.map((item) => (typeof item === "object" && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => k !== "@odata.type")) : item))
      : value;
  const out: Record<string, CanonicalJson> = {};
  for (const [key, value] of Object.entries(properties)) if (key !== "scheduledActionsForRule") out[key] = strip(value);
  return out;
}

/** Setting-level differences between two canonical objects; live properties are projected onto desired. */
export function canonicalDiff(before: CanonicalObject, after: CanonicalObject): ProviderDiff["detailedDiff"] {
  const out: ProviderDiff["detailedDiff"] = {};
  if (before.name !== after.name) out[after.kind === "configurationPolicy" ? "document.name" : "document.displayName"] = { kind: "update" };
  if (before.description !== after.description) out["document.description"] = { kind: "update" };
  if (before.roleScopeTagIds.join() !== after.roleScopeTagIds.join()) out["document.roleScopeTagIds"] = { kind: "update" };
  // Settings compare per leaf path; the display path is the top-level setting (the state-form key).
  keyedChanges("document.settings", before.settings, after.settings, out, (path) => path.split(/[/[]/)[0] ?? path);
  const desiredProps = comparableProperties(after.properties);
  const projected = projectOnto(canonicalJson(comparableProperties(before.properties)) ?? {}, canonicalJson(desiredProps) ?? {}) as Record<string, CanonicalJson> | undefined;
  keyedChanges("document", projected ?? {}, desiredProps, out);
  keyedChanges("assignments", before.assignments, after.assignments, out);
  return out;
}

export async function diff(kind: ObjectKind, _id: string, olds: Props, news: Props): Promise<ProviderDiff> {
  const before = asInputs(olds);
  const after = asInputs(news);
  const a = canonical(kind, before);
  const b = canonical(kind, after);
  const replaces = replacements(a, b);
  const detailedDiff = canonicalDiff(a, b);
  // Where the object lives is part of its identity: another endpoint or stack is another object.
  if (before.graphEndpoint !== after.graphEndpoint) replaces.push("graphEndpoint");
  if (before.stack !== after.stack) replaces.push("stack");
  if (before.tenant !== after.tenant) replaces.push("tenant");
  if ((before.adoptId ?? "") !== (after.adoptId ?? "")) detailedDiff.adoptId = { kind: "update" };
  return {
    changes: replaces.length > 0 || Object.keys(detailedDiff).length > 0,
    replaces,
    // The replacement would otherwise find the old object by its marker and adopt it.
    deleteBeforeReplace: replaces.length > 0,
    detailedDiff,
  };
}

// ---- Graph operations -----------------------------------------------------------------------------

function desiredObject(kind: ObjectKind, inputs: IntuneObjectInputs): DesiredObject {
  const document = toGraphDocument(kind, inputs.document);
  const displayName = typeof document.name === "string" ? document.name : typeof document.displayName === "string" ? document.displayName : inputs.policyId;
  return {
    kind,
    policyId: inputs.policyId,
    resourceName: inputs.policyId,
    displayName,
    sourceFile: "",
    ...(inputs.adoptId ? { adoptId: inputs.adoptId } : {}),
    document,
    assignments: [],
  };
}

/** A live Graph object (assignments expanded) in state form, projected onto the shape of `like`. */
export function liveState(kind: ObjectKind, live: JsonObject, like: IntuneObjectInputs): IntuneObjectInputs {
  const state = toStateDocument(kind, live);
  const document: JsonObject = {};
  for (const key of Object.keys(like.document)) {
    const value = state[key];
    if (value !== undefined) document[key] = value;
  }
  const bodies = (Array.isArray(live.assignments) ? live.assignments : []).map((a) => stripAssignment(kind, a as JsonObject));
  return { ...like, document, assignments: toStateAssignments(kind, bodies) };
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

function sameDocument(kind: ObjectKind, live: IntuneObjectInputs, desired: IntuneObjectInputs): boolean {
  const d = canonicalDiff(canonical(kind, live), canonical(kind, desired));
  return Object.keys(d).every((path) => path.startsWith("assignments."));
}

function sameAssignments(kind: ObjectKind, live: IntuneObjectInputs, desired: IntuneObjectInputs): boolean {
  const d = canonicalDiff(canonical(kind, live), canonical(kind, desired));
  return !Object.keys(d).some((path) => path.startsWith("assignments."));
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
  const graph = graphFromEnvironment(inputs);
  try {
    const { id, adopted } = await createObject(graph, desiredObject(kind, inputs), inputs.stack);
    const outs: IntuneObjectOutputs = { ...inputs, adopted };
    try {
      const live = adopted ? await readObject(graph, kind, id, { expectExists: true }) : undefined;
      if (adopted && live) {
        const current = liveState(kind, live.document, inputs);
        if (!sameDocument(kind, current, inputs)) await updateObject(graph, kind, id, toGraphDocument(kind, inputs.document));
        if (!sameAssignments(kind, current, inputs)) await assignObject(graph, kind, id, toAssignmentBodies(inputs.assignments));
      } else {
        // A new object: Graph creates policies without assignments; the app exists before it is assigned.
        await assignObject(graph, kind, id, toAssignmentBodies(inputs.assignments));
      }
    } catch (e) {
      throw new PartiallyCreated(`${kind} ${inputs.policyId} (${id}) was created but not fully set up: ${(e as Error).message}`, id, outs as unknown as Props);
    }
    return { id, outs: outs as unknown as Props };
  } finally {
    await graph.close();
  }
}

export async function read(kind: ObjectKind, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  const stored = asInputs(ownInputs(props));
  const graph = graphFromEnvironment(stored);
  try {
    const live = await readObject(graph, kind, id);
    // Deleted in the portal: an empty id tells the engine the resource is gone (research §2.1).
    if (!live) return { id: "" };
    const state = liveState(kind, live.document, stored);
    const outputs: IntuneObjectOutputs = { ...state, adopted: (props.adopted as boolean | undefined) ?? false };
    // Returning inputs too makes a later `preview --diff` compare against the live values (research §2.1).
    return { id, props: outputs as unknown as Props, inputs: state as unknown as Props };
  } finally {
    await graph.close();
  }
}

export async function update(kind: ObjectKind, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const desired = asInputs(ownInputs(news));
  const graph = graphFromEnvironment(desired);
  try {
    const live = await readObject(graph, kind, id);
    if (!live) throw new Error(`${kind} ${desired.policyId} (${id}) no longer exists in the tenant; run \`pulumi refresh\` to forget it, then \`pulumi up\` to create it again`);
    const current = liveState(kind, live.document, desired);
    // Writes are whole documents, and never sent when the normalised diff is empty (DESIGN.md).
    if (!sameDocument(kind, current, desired)) await updateObject(graph, kind, id, toGraphDocument(kind, desired.document));
    if (!sameAssignments(kind, current, desired)) await assignObject(graph, kind, id, toAssignmentBodies(desired.assignments));
    const outs: IntuneObjectOutputs = { ...desired, adopted: (olds.adopted as boolean | undefined) ?? false };
    return { outs: outs as unknown as Props };
  } finally {
    await graph.close();
  }
}

export async function remove(kind: ObjectKind, id: string, props: Props): Promise<void> {
  const stored = asInputs(ownInputs(props));
  const graph = graphFromEnvironment(stored);
  try {
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
  } finally {
    await graph.close();
  }
}
