// What a file handed to `--snapshot`/`--seed` holds before it is validated as a tenant snapshot
// (docs/snapshot-format.md): a snapshot keyed by collection path, a Graph list response (`value` with an
// `@odata.context` naming the collection), or one object as Graph or IntuneManagement exports it (what
// admins usually have: SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/*/*.json, each one GET
// by id with `@odata.context` `…$metadata#deviceManagement/configurationPolicies(…)/$entity`). The last two
// are wrapped into their collection; anything else is refused with how to wrap it, so a file of the wrong
// shape is never read as an empty tenant. Duplicate object ids are refused too. Pure.
import { COLLECTIONS, isRecord, type UnknownRecord } from "../model";
import { KINDS, kindOfOdataType } from "../kinds";

const KNOWN: readonly string[] = Object.values(COLLECTIONS);

/** The collection an `@odata.context` names (`…$metadata#deviceManagement/configurationPolicies(…)/$entity`). */
function contextCollection(context: unknown): { collection: string; entity: boolean } | undefined {
  if (typeof context !== "string") return undefined;
  const m = /\$metadata#([^()]+?)(?:\(.*\))?(\/\$entity)?$/.exec(context);
  if (!m) return undefined;
  const collection = KNOWN.find((k) => k.toLowerCase() === m[1]!.toLowerCase());
  return collection ? { collection, entity: m[2] !== undefined } : undefined;
}

/** The collection of a single exported object: its `@odata.context`, else its `@odata.type`, else its shape. */
function singleObjectCollection(data: UnknownRecord): string | undefined {
  const context = contextCollection(data["@odata.context"]);
  if (context?.entity) return context.collection;
  const kind = kindOfOdataType(data["@odata.type"]);
  if (kind) return KINDS[kind].collection;
  // IntuneManagement writes settings-catalog policies with their expanded `settings`.
  if (typeof data.name === "string" && typeof data.platforms === "string" && Array.isArray(data.settings))
    return COLLECTIONS.configurationPolicies;
  return undefined;
}

export interface SnapshotShape {
  data: UnknownRecord;
  /** How the file was read, when it was not a snapshot: for error messages. */
  readAs?: string;
}

/** The file's data as a snapshot object; throws, naming the file, when it is none of the shapes above. */
export function snapshotShape(data: UnknownRecord, file: string): SnapshotShape {
  if (Object.keys(data).length === 0 || KNOWN.some((k) => k in data)) return { data };
  const context = contextCollection(data["@odata.context"]);
  if (context && !context.entity && Array.isArray(data.value))
    return { data: { [context.collection]: data.value }, readAs: `a Graph list of ${context.collection}` };
  const collection = singleObjectCollection(data);
  if (collection) return { data: { [collection]: [data] }, readAs: `one object of ${collection}` };
  throw new Error(
    `${file}: not a tenant snapshot: none of its keys is a collection path (${KNOWN.join(", ")}), and it is not ` +
      `one object Graph or IntuneManagement exported (no @odata.context or @odata.type naming its kind). ` +
      `To load a single object, wrap it in its collection: {"${COLLECTIONS.configurationPolicies}": [ <the object> ]} ` +
      `(docs/snapshot-format.md)`,
  );
}

/** Errors for object ids that occur twice in one collection (GUIDs compared without case), naming both places. */
export function duplicateIds(snapshot: UnknownRecord): string[] {
  const out: string[] = [];
  for (const collection of KNOWN) {
    const list = snapshot[collection];
    if (!Array.isArray(list)) continue;
    const first = new Map<string, number>();
    list.forEach((doc, i) => {
      if (!isRecord(doc) || typeof doc.id !== "string" || doc.id === "") return;
      const key = doc.id.toLowerCase();
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else out.push(`${collection}[${i}].id: duplicate object id '${doc.id}' (also ${collection}[${earlier}])`);
    });
  }
  return out;
}
