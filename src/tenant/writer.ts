// Writes to the tenant, one managed object at a time, as plain Graph calls (the Pulumi providers call
// these, many at once; nothing here knows Pulumi). The rules (README, "Ownership"):
//   - a create first looks for an object carrying this stack's marker (or the adopted id) and adopts it;
//     it looks in the run's one listing of the collection (marker-listing.ts), which holds what this run
//     created and deleted, not in a new listing per create;
//   - a POST create is never retried blindly: after an ambiguous failure (timeout, reset, 5xx — including
//     a 504 returned after the write was committed) it looks for the marker again before trying again, so
//     faults cannot make twins;
//   - a marker found in a list means the object exists, even while reads by id still 404: a create never
//     POSTs again after that;
//   - an object may 404 for a while after it was created or changed (eventual consistency): reads and writes
//     by id that expect the object retry 404s within a bounded window (VISIBILITY_WINDOW_MS) before
//     concluding that it is gone — one 404 is never taken as "deleted";
//   - updates are whole documents (PUT or PATCH with `@odata.type`, as the kind's descriptor says; what PATCH
//     refuses goes through the kind's action, e.g. a compliance policy's `scheduleActionsForRules`),
//     assignments a full-list replace through `/assign`.
import { KINDS } from "../kinds";
import { isOwnedBy, parseMarker, type DesiredObject, type JsonObject, type JsonValue, type ObjectKind } from "../model";
import { GraphError, type GraphClient } from "../graph";
import { forgetObject, listIdsAndDescriptions, markedIds, rememberMarked } from "./marker-listing";

export interface LiveObject {
  kind: ObjectKind;
  id: string;
  /** The object as Graph returns it, with `settings` (configuration policies) and `assignments`. */
  document: JsonObject;
}

/**
 * How long a by-id request that expects the object keeps retrying 404s (eventual consistency), in Graph
 * client time (scaled like every wait). Replicas usually agree within seconds; a minute bounds the rest.
 */
export const VISIBILITY_WINDOW_MS = 60_000;
const VISIBILITY_DELAY_MS = 1_000;
const VISIBILITY_MAX_DELAY_MS = 5_000;
/** How many POSTs one create may send in all (each after the marker was not found). */
const CREATE_ATTEMPTS = 4;

const path = (kind: ObjectKind, id?: string) =>
  id ? `${KINDS[kind].collection}/${encodeURIComponent(id)}` : KINDS[kind].collection;

/**
 * The object of `kind` whose description ends with `[wslpolicy:<stack>/<policyId>]`, or undefined. Two
 * objects with the same marker are an error for a person to resolve, not a guess. The object is read in
 * full (settings, assignments) unless `read: false`; `document` is absent when the list shows the marker but
 * reads by id still 404 after the visibility window: the object exists all the same.
 */
export async function findByMarker(
  graph: GraphClient,
  kind: ObjectKind,
  stack: string,
  policyId: string,
  opts: { read?: boolean } = {},
): Promise<{ id: string; document?: JsonObject } | undefined> {
  const items = await listIdsAndDescriptions(graph, kind);
  const owned = items.flatMap((i) =>
    typeof i.id === "string" && isOwnedBy(i.description, stack, policyId) ? [i.id] : [],
  );
  return foundByMarker(graph, kind, stack, policyId, owned, opts);
}

async function foundByMarker(
  graph: GraphClient,
  kind: ObjectKind,
  stack: string,
  policyId: string,
  owned: string[],
  opts: { read?: boolean },
): Promise<{ id: string; document?: JsonObject } | undefined> {
  if (owned.length > 1) {
    throw new Error(
      `${owned.length} ${kind} objects carry the marker [wslpolicy:${stack}/${policyId}] (${owned.join(", ")}); delete the extra ones`,
    );
  }
  const id = owned[0];
  if (!id) return undefined;
  if (opts.read === false) return { id };
  const live = await readObject(graph, kind, id, { expectExists: true });
  return live ? { id, document: live.document } : { id };
}

export interface CreateResult {
  id: string;
  /** True when an existing object (marker or adoptId) was taken over instead of creating one. */
  adopted: boolean;
}

/**
 * What `createOrAdopt` found: `live` is the adopted object as read while adopting. An adopted object without
 * `live` exists (its marker is listed) but could not be read by id yet: the caller writes it whole.
 */
export interface CreateOrAdoptResult extends CreateResult {
  live?: JsonObject;
}

export async function createObject(graph: GraphClient, obj: DesiredObject, stack: string): Promise<CreateResult> {
  const { id, adopted } = await createOrAdopt(graph, obj, stack);
  return { id, adopted };
}

/**
 * `createObject`, also handing back the object it adopted as read while adopting (settings and assignments
 * included), so a caller that converges an adopted object need not read it a second time.
 */
export async function createOrAdopt(
  graph: GraphClient,
  obj: DesiredObject,
  stack: string,
): Promise<CreateOrAdoptResult> {
  const marker = parseMarker(typeof obj.document.description === "string" ? obj.document.description : undefined);
  if (!marker || marker.stack !== stack || marker.policyId !== obj.policyId) {
    // Without its marker a create could not be found again after a fault.
    throw new Error(
      `${obj.sourceFile}: the document of '${obj.policyId}' must end its description with [wslpolicy:${stack}/${obj.policyId}]`,
    );
  }
  if (obj.adoptId) {
    const adopted = await readObject(graph, obj.kind, obj.adoptId, { expectExists: true });
    if (!adopted)
      throw new Error(
        `${obj.sourceFile}: '${obj.policyId}' adopts ${obj.kind} ${obj.adoptId}, which does not exist in the tenant`,
      );
    return { id: adopted.id, adopted: true, live: adopted.document };
  }
  const existing = await foundByMarker(
    graph,
    obj.kind,
    stack,
    obj.policyId,
    await markedIds(graph, obj.kind, stack, obj.policyId),
    {},
  );
  if (existing) return { id: existing.id, adopted: true, ...(existing.document ? { live: existing.document } : {}) };

  let lastError: unknown;
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    try {
      const created = await graph.post<{ id?: unknown }>(path(obj.kind), withoutAssignments(obj.document), {
        idempotent: false,
      });
      if (typeof created?.id !== "string") throw new Error(`POST ${path(obj.kind)} returned no id`);
      await rememberMarked(graph, obj.kind, stack, obj.policyId, created.id);
      return { id: created.id, adopted: false };
    } catch (err) {
      if (!(err instanceof GraphError) || !err.ambiguous) throw err;
      lastError = err;
      // The create may have happened. Look before sending it again; give a committed object a moment to
      // show up in lists. Listed means created: its id is all this needs, readable by id or not yet.
      for (let look = 0; look < 2; look++) {
        const found = await findByMarker(graph, obj.kind, stack, obj.policyId, { read: false });
        if (found) return { id: found.id, adopted: false };
        await graph.wait(VISIBILITY_DELAY_MS * (look + 1));
      }
    }
  }
  throw lastError;
}

/** Replaces the object's document (never its assignments). */
export async function updateObject(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  document: JsonObject,
): Promise<void> {
  const spec = KINDS[kind];
  const body = withoutAssignments(document);
  delete body.id;
  if (spec.update === "PUT") {
    await whenVisible(graph, () => graph.put(path(kind, id), body));
    return;
  }
  // PATCH refuses navigation properties (they go through the kind's action), and an abstract type needs its
  // `@odata.type`.
  const byAction = spec.writtenByAction
    .filter(({ field }) => body[field] !== undefined)
    .map((a) => ({ ...a, value: body[a.field]! }));
  for (const { field } of spec.writtenByAction) delete body[field];
  if (spec.abstract && typeof body["@odata.type"] !== "string")
    throw new Error(`updating a ${kind} needs '@odata.type' in the document`);
  await whenVisible(graph, () => graph.patch(path(kind, id), body));
  // The action replaces the whole list, so sending it again is harmless: it may be retried like a PUT.
  for (const { action, bodyKey, value } of byAction) {
    await whenVisible(graph, () =>
      graph.post(`${path(kind, id)}/${action}`, { [bodyKey]: value }, { idempotent: true }),
    );
  }
}

/** Replaces ALL assignments of the object with `assignmentBodies` (an empty list clears them). */
export async function assignObject(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  assignmentBodies: JsonObject[],
): Promise<void> {
  const key = KINDS[kind].assignKey;
  // `assign` replaces the whole list, so sending it twice is harmless: it may be retried like a PUT.
  await whenVisible(graph, () =>
    graph.post(`${path(kind, id)}/assign`, { [key]: assignmentBodies }, { idempotent: true }),
  );
}

/** Deletes the object; one that is already gone is fine (callers check it exists first, with `readObject`). */
export async function deleteObject(graph: GraphClient, kind: ObjectKind, id: string): Promise<void> {
  try {
    // A DELETE may 404 on a replica that has not seen the object yet: retried like a read by id.
    await whenVisible(graph, () => graph.delete(path(kind, id)));
    await forgetObject(graph, kind, id);
  } catch (err) {
    if (!(err instanceof GraphError && err.notFound)) throw err;
    // Gone only when the collection agrees; otherwise it is still there and "deleted" would be a lie.
    await mustBeUnlisted(graph, kind, id, "deleted");
  }
}

/**
 * Throws when the collection still lists `id` although reads (or a delete) by id 404ed for the whole
 * visibility window: the object exists, it is only not readable yet, and must not be reported as gone.
 */
async function mustBeUnlisted(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  what: "deleted" | "read",
): Promise<void> {
  const items = await listIdsAndDescriptions(graph, kind);
  if (items.some((i) => i.id === id)) {
    throw new Error(
      `${kind} ${id} is listed in the tenant, but every ${what === "deleted" ? "DELETE" : "read"} by id answered 404 for ${VISIBILITY_WINDOW_MS / 1000} s ` +
        "(Graph has not made it visible everywhere yet); nothing was concluded from that: run the command again later",
    );
  }
}

/**
 * An object the caller knows existed (an id in Pulumi state): read within the visibility window, and
 * undefined (gone) only when the collection no longer lists it either; listed but unreadable is an error.
 */
export async function readKnownObject(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
): Promise<LiveObject | undefined> {
  const live = await readObject(graph, kind, id, { expectExists: true });
  if (!live) await mustBeUnlisted(graph, kind, id, "read");
  return live;
}

/**
 * The object with its settings and assignments, or undefined when it does not exist. With `expectExists`
 * (an id the caller has seen: just created, listed, or in Pulumi state) 404s are retried within the
 * visibility window first, so a replica that lags is not taken for a deletion.
 */
export async function readObject(
  graph: GraphClient,
  kind: ObjectKind,
  id: string,
  opts: { expectExists?: boolean } = {},
): Promise<LiveObject | undefined> {
  const read = async (): Promise<LiveObject> => {
    const document = await graph.get<JsonObject>(`${path(kind, id)}?$expand=${KINDS[kind].read.expand}`);
    if (KINDS[kind].settingsCatalog) {
      // Settings page at 25 like any collection (as real exports show); read them all.
      document.settings = (await graph.list<JsonValue>(`${path(kind, id)}/settings?$top=1000`)) as JsonValue[];
    }
    if (!Array.isArray(document.assignments)) {
      document.assignments = (await graph.list<JsonValue>(`${path(kind, id)}/assignments`)) as JsonValue[];
    }
    return { kind, id, document };
  };
  try {
    return opts.expectExists ? await whenVisible(graph, read) : await read();
  } catch (err) {
    if (err instanceof GraphError && err.notFound) return undefined;
    throw err;
  }
}

/** Retries `fn` on 404 within the visibility window: the object may not be visible to every replica yet. */
export async function whenVisible<T>(graph: GraphClient, fn: () => Promise<T>): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = Math.min(VISIBILITY_DELAY_MS * 2 ** (attempt - 1), VISIBILITY_MAX_DELAY_MS);
      if (!(err instanceof GraphError) || !err.notFound || waited + delay > VISIBILITY_WINDOW_MS) throw err;
      waited += delay;
      await graph.wait(delay);
    }
  }
}

function withoutAssignments(document: JsonObject): JsonObject {
  const copy: JsonObject = { ...document };
  delete copy.assignments;
  return copy;
}
