// Reads the live state a plan needs into a tenant snapshot (src/model/snapshot.ts), with as few requests
// as the API allows (https://learn.microsoft.com/graph/throttling-limits):
//   - each kind's collection is listed with the query its descriptor gives (src/kinds/: `$expand=assignments`,
//     one request per page instead of one per object; configuration policies 100 per page);
//   - settings are NOT expanded on the list (the service then shrinks pages to 1–2 policies); each
//     policy's `/settings` is read through `$batch`, 20 per request, following every `@odata.nextLink`;
//   - an object that came back without `assignments` has them read the same way.
// Any failure fails the whole read: a partial snapshot would look like deleted policies (drift) later.
import { KINDS, kindSpec, OBJECT_KINDS, type ObjectKind } from "../kinds";
import {
  COLLECTIONS,
  formatDataPath,
  MAX_DOCUMENT_DEPTH,
  odataKind,
  parseSnapshotInPlace,
  settingSchema,
  tooDeepAt,
  type TenantSnapshot,
  type UnknownRecord,
} from "../model";
import {
  chunk,
  GraphError,
  innerUrl,
  MissingPermissionsError,
  toGraphError,
  type BatchRequest,
  type GraphClient,
} from "../graph";
import { readScriptContent, skippedByKind } from "./read-content";
import { shareStrings, type SharedStrings } from "./shared-strings";

export interface ReadProgress {
  phase: string;
  /** Objects read so far in this phase. */
  items: number;
  /** HTTP requests sent so far by the client. */
  requests: number;
}

export interface ReadTenantOptions {
  onProgress?: (p: ReadProgress) => void;
  /** Only these kinds are read (the others come back empty): the program's ring gates need apps only. */
  kinds?: readonly ObjectKind[];
  /**
   * Which settings of each settings-catalog policy the caller needs (undefined: all; a predicate: those it
   * accepts); the others are dropped as their page arrives, so they are never all held at once
   * (src/diff/needed-settings.ts); only the depth of a dropped one is checked, not its shape. The snapshot
   * is then not the tenant's whole state: only for callers that look at nothing else (plan, drift), never
   * to be saved.
   */
  keepSettings?: (kind: ObjectKind, policy: Readonly<UnknownRecord>) => ((setting: unknown) => boolean) | undefined;
}

/** Reads groups and filters need besides the managed kinds (whose list queries are in their descriptors). */
const DIRECTORY_QUERIES = {
  groups: `${COLLECTIONS.groups}?$select=id,displayName,groupTypes,membershipRule,description,securityEnabled,mailEnabled&$top=999`,
  assignmentFilters: COLLECTIONS.assignmentFilters,
} as const;

export async function readTenant(graph: GraphClient, opts: ReadTenantOptions = {}): Promise<TenantSnapshot> {
  const progress = (phase: string, items: number) => opts.onProgress?.({ phase, items, requests: graph.requestCount });

  // One copy of each repeated string for the whole read (./shared-strings.ts); dropped with the read.
  const strings: SharedStrings = new Map();
  // Settings are read per policy of a settings-catalog kind, 20 per `$batch`, from the moment a list page
  // names the policies: the list's later pages (one after another) and these reads overlap.
  const settingsReads: Promise<Map<string, UnknownRecord[]>>[] = [];
  const keepOf = new Map<string, ((setting: unknown) => boolean) | undefined>();
  let settingsDone = 0;
  const readSettingsOf = (kind: ObjectKind, owners: UnknownRecord[]) => {
    const collection = KINDS[kind].collection;
    const sources: { key: string; url: string }[] = [];
    for (const owner of owners) {
      const path = `${collection}/${idOf(owner, collection)}`;
      // a page handed over as it came and again with the whole list (or a list read again without $expand)
      if (keepOf.has(path)) continue;
      keepOf.set(path, opts.keepSettings?.(kind, owner));
      sources.push({ key: path, url: `/${path}/settings?$top=1000` });
    }
    if (sources.length === 0) return;
    let reported = 0;
    // Each page of settings is checked as it arrives, so the raw page is garbage at once instead of staying
    // alive beside its parsed copy until the whole tenant is read (the settings are most of a tenant); what
    // the caller does not need is dropped there too.
    const read = readAllPages(
      graph,
      sources,
      (n) => {
        settingsDone += n - reported;
        reported = n;
        progress("settings", settingsDone);
      },
      SETTINGS_NOT_FOUND_RETRY,
      (item, url, key) => {
        const keep = keepOf.get(key);
        // A setting the caller does not need is only walked (safe once its depth is known), not copied by
        // the schema: its copy would be garbage at once, and a read of 10,000 policies makes a lot of it.
        if (keep) {
          checkDepth(item, url);
          if (!keep(item)) return undefined;
        }
        return shareStrings(parseSetting(item, url), strings);
      },
    );
    // Awaited once the lists are in; a failure before then is not unhandled.
    read.catch(() => undefined);
    settingsReads.push(read);
  };

  const listKind = async (kind: ObjectKind): Promise<[ObjectKind, UnknownRecord[]]> => {
    if (opts.kinds && !opts.kinds.includes(kind)) return [kind, []];
    const spec = kindSpec(kind);
    // A collection of an abstract type may hold other types than the one the filter asked for.
    const only = spec.read.onlyType;
    const accept = (items: UnknownRecord[]) =>
      (only === undefined ? items : items.filter((i) => odataKind(i["@odata.type"]) === only)).filter(
        (i) => !skippedByKind(kind, i),
      );
    const catalog = KINDS[kind].settingsCatalog;
    const onPage = catalog ? (page: UnknownRecord[]) => readSettingsOf(kind, accept(page)) : undefined;
    const items = accept(
      await listPhase(graph, spec.labelPlural, `${spec.collection}?${spec.read.list}`, progress, undefined, onPage),
    );
    if (catalog) readSettingsOf(kind, items);
    return [kind, items];
  };
  const lists = await allOrEveryPermission<[ObjectKind, UnknownRecord[]] | UnknownRecord[]>([
    ...OBJECT_KINDS.map(listKind),
    listPhase(graph, "groups", DIRECTORY_QUERIES.groups, progress, "v1.0"),
    listPhase(graph, "assignment filters", DIRECTORY_QUERIES.assignmentFilters, progress),
  ]);
  const kinds = lists.slice(0, OBJECT_KINDS.length) as [ObjectKind, UnknownRecord[]][];
  const [groups, filters] = lists.slice(OBJECT_KINDS.length) as [UnknownRecord[], UnknownRecord[]];
  const objects = new Map(kinds);
  const settings = new Map<string, UnknownRecord[]>();
  for (const read of await Promise.all(settingsReads)) for (const [key, value] of read) settings.set(key, value);
  const withSettings = OBJECT_KINDS.filter((k) => KINDS[k].settingsCatalog).flatMap((k) =>
    objects.get(k)!.map((owner) => ({ owner, collection: KINDS[k].collection })),
  );
  // A place for them (so the snapshot's key order stays Graph's), filled once the objects are checked.
  for (const m of withSettings) m.owner.settings = [];

  const missing: { owner: UnknownRecord; collection: string }[] = [];
  for (const kind of OBJECT_KINDS) {
    for (const item of objects.get(kind)!)
      if (!Array.isArray(item.assignments)) missing.push({ owner: item, collection: KINDS[kind].collection });
  }
  if (missing.length > 0) {
    const assignments = await readAllPages(
      graph,
      missing.map((m) => ({
        key: `${m.collection}/${idOf(m.owner, m.collection)}`,
        url: `/${m.collection}/${idOf(m.owner, m.collection)}/assignments`,
      })),
      (n) => progress("assignments", n),
    );
    for (const m of missing)
      m.owner.assignments = assignments.get(`${m.collection}/${idOf(m.owner, m.collection)}`) ?? [];
  }

  await readScriptContent(graph, objects, (n) => progress("script content", n));

  const snapshot: Record<string, UnknownRecord[]> = {
    ...Object.fromEntries(OBJECT_KINDS.map((kind) => [KINDS[kind].collection, objects.get(kind)!])),
    [COLLECTIONS.groups]: groups,
    [COLLECTIONS.assignmentFilters]: filters,
  };
  const deep = tooDeepAt(snapshot);
  if (deep)
    throw new Error(
      `the tenant returned an object wslpolicy cannot read: ${formatDataPath(deep)}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    );
  shareStrings(snapshot, strings);
  // Checked object by object in place: the read's objects become the snapshot's, with no second copy;
  // the settings, checked already, join their policies afterwards.
  const parsed = parseSnapshotInPlace(snapshot);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`the tenant returned an object wslpolicy cannot read: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  for (const kind of OBJECT_KINDS.filter((k) => KINDS[k].settingsCatalog)) {
    const collection = KINDS[kind].collection;
    for (const owner of (parsed.data[collection] ?? []) as UnknownRecord[])
      owner.settings = settings.get(`${collection}/${idOf(owner, collection)}`) ?? [];
  }
  progress(
    "done",
    Object.values(snapshot).reduce((n, items) => n + items.length, 0),
  );
  return parsed.data;
}

/** An item nested too deeply fails the read (before anything walks it). */
function checkDepth(item: UnknownRecord, url: string): void {
  // The item sits four levels below the snapshot's root (collection, policy, `settings`, item).
  const deep = tooDeepAt(item, MAX_DOCUMENT_DEPTH - 4);
  if (deep)
    throw new Error(
      `the tenant returned an object wslpolicy cannot read: GET ${url}: ${formatDataPath(deep)}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    );
}

/** One settings item as the schema reads it; an item nested too deeply or of the wrong shape fails the read. */
function parseSetting(item: UnknownRecord, url: string): UnknownRecord {
  checkDepth(item, url);
  const parsed = settingSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the tenant returned an object wslpolicy cannot read: GET ${url}: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data as UnknownRecord;
}

/**
 * Like Promise.all, but when several reads are refused with 403 the error names every missing
 * permission, not only the one whose read failed first (issue 12).
 */
async function allOrEveryPermission<T>(reads: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(reads);
  const failures = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length === 0) return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  const refused = failures.filter((e): e is GraphError => e instanceof GraphError && e.status === 403);
  if (refused.length > 0) throw new MissingPermissionsError(refused);
  throw failures[0];
}

/**
 * A policy created a moment ago can be listed before its `/settings` can be read (eventual consistency,
 * https://learn.microsoft.com/en-us/graph/best-practices-concept#handling-expected-errors): a 404 there
 * is read again for about 15 s (model time) before it is an error, never a result.
 */
export const SETTINGS_NOT_FOUND_RETRY = { attempts: 5, firstDelayMs: 1_000 };

async function listPhase(
  graph: GraphClient,
  phase: string,
  path: string,
  progress: (phase: string, items: number) => void,
  version?: "v1.0" | "beta",
  onPage?: (items: UnknownRecord[]) => void,
): Promise<UnknownRecord[]> {
  const opts = { ...(version ? { version } : {}), ...(onPage ? { onPage } : {}) };
  let items: UnknownRecord[];
  try {
    items = await graph.list<UnknownRecord>(path, opts);
  } catch (err) {
    // `$expand=assignments` is documented for configuration policies; should a collection refuse
    // it, read the list plainly and let the batched `/assignments` reads below fill them in.
    if (!(err instanceof GraphError) || err.status !== 400 || !path.includes("$expand=assignments")) throw err;
    items = await graph.list<UnknownRecord>(withoutExpand(path), opts);
  }
  progress(phase, items.length);
  return items;
}

/** `x?$top=1&$expand=assignments` → `x?$top=1`. */
export function withoutExpand(path: string): string {
  const [base, query = ""] = path.split("?", 2) as [string, string?];
  const kept = query.split("&").filter((p) => p && !p.startsWith("$expand="));
  return kept.length > 0 ? `${base}?${kept.join("&")}` : base;
}

function idOf(item: UnknownRecord, collection: string): string {
  if (typeof item.id !== "string" || item.id === "") throw new Error(`an object in ${collection} has no id`);
  return item.id;
}

/**
 * GETs many collections through `$batch` and follows each one's `@odata.nextLink` (also batched) until
 * every collection is complete. Any item that fails fails the whole read, naming the URL. Each `$batch`
 * of 20 is handled as soon as its answer arrives, so the pages of a large read are never all held at
 * once before they are parsed (the client bounds how many are in flight).
 */
export async function readAllPages(
  graph: GraphClient,
  sources: { key: string; url: string }[],
  onItems?: (done: number) => void,
  notFoundRetry?: { attempts: number; firstDelayMs: number },
  /** Applied to each item as its page arrives: check and replace, or drop it (undefined). */
  parseItem?: (item: UnknownRecord, url: string, key: string) => UnknownRecord | undefined,
): Promise<Map<string, UnknownRecord[]>> {
  const out = new Map<string, UnknownRecord[]>();
  const pages = new Map<string, number>();
  // Items the service returned per collection, dropped ones included (the item limit counts what came).
  const counted = new Map<string, number>();
  for (const s of sources) out.set(s.key, []);
  // A service that hands out the same nextLink again would otherwise be read forever (client.list has
  // the same guard).
  const followed = new Set<string>();
  let done = 0;

  const readChunk = async (first: { key: string; url: string; notFound?: number }[]): Promise<void> => {
    let pending = first;
    while (pending.length > 0) {
      const requests: BatchRequest[] = pending.map((p, i) => ({ id: String(i + 1), method: "GET", url: p.url }));
      const responses = await graph.batch(requests);
      const next: { key: string; url: string; notFound?: number }[] = [];
      let wait = 0;
      responses.forEach((res, i) => {
        const src = pending[i]!;
        if (res.status === 404 && notFoundRetry && (src.notFound ?? 0) < notFoundRetry.attempts - 1) {
          const seen = (src.notFound ?? 0) + 1;
          wait = Math.max(wait, notFoundRetry.firstDelayMs * 2 ** (seen - 1));
          next.push({ ...src, notFound: seen });
          return;
        }
        if (res.status !== 200) {
          const err = toGraphError("GET", src.url, res, Date.now());
          if (res.status === 404 && notFoundRetry)
            err.message += ` — still 404 after ${notFoundRetry.attempts} reads over ${(notFoundRetry.firstDelayMs * (2 ** (notFoundRetry.attempts - 1) - 1)) / 1000} s; the object was listed a moment ago (created or deleted while this ran?): run again`;
          throw err;
        }
        const count = (pages.get(src.key) ?? 0) + 1;
        pages.set(src.key, count);
        if (count > graph.limits.maxPages)
          throw new Error(
            `GET ${src.url} (in $batch): the service returned more than ${graph.limits.maxPages} pages; stopped reading. ${graph.limits.settings.maxPages} raises the limit`,
          );
        const body = res.body as { value?: unknown; "@odata.nextLink"?: unknown };
        if (!Array.isArray(body?.value)) throw new Error(`GET ${src.url} (in $batch): expected a collection`);
        const items = out.get(src.key)!;
        const returned = (counted.get(src.key) ?? 0) + body.value.length;
        counted.set(src.key, returned);
        for (const item of body.value as UnknownRecord[]) {
          const kept = parseItem ? parseItem(item, src.url, src.key) : item;
          if (kept !== undefined) items.push(kept);
        }
        if (returned > graph.limits.maxItems)
          throw new Error(
            `GET ${src.url} (in $batch): the service returned more than ${graph.limits.maxItems} items; stopped reading. ${graph.limits.settings.maxItems} raises the limit`,
          );
        const link = body["@odata.nextLink"];
        if (typeof link === "string") {
          const url = innerUrl(link);
          if (followed.has(url))
            throw new Error(`GET ${src.url} (in $batch): the service returned the same @odata.nextLink twice`);
          followed.add(url);
          next.push({ key: src.key, url });
        } else done++;
      });
      onItems?.(done);
      if (wait > 0) await graph.wait(wait);
      pending = next;
    }
  };
  await Promise.all(chunk(sources).map(readChunk));
  return out;
}
