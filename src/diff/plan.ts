// The plan: every declared object matched to its live twin (by `adoptId`, else by this stack's ownership
// marker), diffed in canonical form; managed objects no longer declared are deletes; conflicts with every
// other policy in the tenant and the risks of each change are attached. Pure: the live state is data.
import { directoryFrom, walkDocument, walkSettings, type Directory } from "../intune";
import { KINDS, OBJECT_KINDS } from "../kinds";
import {
  COLLECTIONS,
  compareText,
  parseMarker,
  type DesiredObject,
  type DesiredState,
  type TenantRef,
  type TenantSnapshot,
  type UnknownRecord,
} from "../model";
import { findConflicts, type ConflictParticipant } from "./conflicts";
import { compareObject, type ObjectComparison } from "./diff-object";
import { nameIndex } from "./labels";
import { declaredNodes } from "./needed-settings";
import { normaliseObject } from "./normalise";
import { PLAN_SCHEMA_VERSION, type ObjectChange, type Plan, type Risk } from "./plan-schema";
import { inboundAllowRuleRisks, risksOf } from "./risks";

export interface PlanInput {
  desired: DesiredState;
  live: TenantSnapshot;
  tenant: TenantRef;
  /** Graph requests the read took (null/absent for a snapshot file). */
  requestCount?: number | null;
  /** Ring group ids the stack already created (Pulumi outputs), by display name. */
  ringIds?: ReadonlyMap<string, string>;
  knownSecretHashes?: Readonly<Record<string, string>>;
}

/** The analysis both plan and drift start from. */
export interface Analysis {
  comparisons: ObjectComparison[];
  participants: ConflictParticipant[];
  directory: Directory;
  errors: string[];
  warnings: string[];
  pendingRings: string[];
}

export function analyse(input: PlanInput): Analysis {
  const { desired, live } = input;
  const stack = desired.stack;
  const base = directoryFrom(live[COLLECTIONS.groups], live[COLLECTIONS.assignmentFilters]);
  const directory: Directory = input.ringIds ? { ...base, ringIds: input.ringIds } : base;
  const ctx = { directory, stack, ...(input.knownSecretHashes ? { knownSecretHashes: input.knownSecretHashes } : {}) };
  const errors: string[] = [];
  const warnings: string[] = [];
  const comparisons: ObjectComparison[] = [];
  const claimed = new Set<Readonly<UnknownRecord>>();

  for (const kind of OBJECT_KINDS) {
    const docs = (live[KINDS[kind].collection] ?? []) as Readonly<UnknownRecord>[];
    const byId = new Map(docs.filter((o) => typeof o.id === "string").map((o) => [(o.id as string).toLowerCase(), o]));
    const byMarker = new Map<string, Readonly<UnknownRecord>[]>();
    for (const o of docs) {
      const m = parseMarker(typeof o.description === "string" ? o.description : undefined);
      if (m?.stack === stack) byMarker.set(m.policyId, [...(byMarker.get(m.policyId) ?? []), o]);
    }

    for (const object of desired.objects.filter((o) => o.kind === kind)) {
      const match = matchLive(object, byId, byMarker, stack, errors, warnings);
      if (match) claimed.add(match);
      comparisons.push(compareObject(object, match, ctx));
    }
    // This stack's managed objects nobody declares any more are deleted; never anyone else's.
    for (const [policyId, list] of byMarker) {
      for (const o of list) {
        if (claimed.has(o)) continue;
        // a duplicate: reported above
        if (desired.objects.some((d) => d.kind === kind && d.policyId === policyId)) continue;
        claimed.add(o);
        comparisons.push(compareObject(undefined, o, { ...ctx, kind }));
      }
    }
  }

  // Conflicts (two policies setting one setting) are judged on the tenant as it will be: our declared
  // objects, plus everything we leave alone, of every settings-catalog kind.
  const participants: ConflictParticipant[] = [];
  const declared = new Map(desired.objects.map((o) => [`${o.kind}/${o.policyId}`, o]));
  for (const c of comparisons) {
    const object = declared.get(c.change.key);
    if (!KINDS[c.change.kind].settingsCatalog || !c.desired || !object) continue;
    participants.push({
      name: c.desired.name,
      policyId: c.change.policyId,
      liveId: c.change.liveId,
      managedBy: null,
      ours: true,
      settings: walkDocument(object.document),
      assignments: Object.values(c.desired.assignments),
    });
  }
  // Of the objects we leave alone only the settings our policies set can conflict: the rest is not kept
  // (and a read for this plan may have dropped it already: ./needed-settings.ts).
  const ourNodes = declaredNodes(desired);
  const settingsKinds = OBJECT_KINDS.filter((kind) => KINDS[kind].settingsCatalog);
  for (const [kind, o] of settingsKinds.flatMap((kind) =>
    ((live[KINDS[kind].collection] ?? []) as Readonly<UnknownRecord>[]).map((o) => [kind, o] as const),
  )) {
    if (claimed.has(o)) continue;
    const marker = parseMarker(typeof o.description === "string" ? o.description : undefined);
    // Only the name and assignments of the canonical form are needed here: the settings are walked once,
    // below, for the conflict index (normalising them too walked every unmanaged policy twice).
    const l = normaliseObject(kind, { ...o, settings: [] });
    participants.push({
      name: l.name,
      policyId: null,
      liveId: typeof o.id === "string" ? o.id.toLowerCase() : null,
      managedBy: marker ? `${marker.stack}/${marker.policyId}` : null,
      ours: false,
      settings: walkSettings(o.settings).filter((w) => w.node !== undefined && ourNodes.has(w.node)),
      assignments: Object.values(l.assignments),
    });
  }

  for (const c of comparisons) errors.push(...c.change.errors);
  const pendingRings = desired.rings
    .map((r) => r.name)
    .filter((name) => !directory.ringIds?.has(name) && (directory.groupsByName.get(name)?.length ?? 0) === 0)
    .sort(compareText);
  return { comparisons, participants, directory, errors, warnings, pendingRings };
}

function matchLive(
  object: DesiredObject,
  byId: Map<string, Readonly<UnknownRecord>>,
  byMarker: Map<string, Readonly<UnknownRecord>[]>,
  stack: string,
  errors: string[],
  warnings: string[],
): Readonly<UnknownRecord> | undefined {
  if (object.adoptId) {
    const hit = byId.get(object.adoptId.toLowerCase());
    if (!hit) {
      errors.push(
        `${object.sourceFile}: ${object.policyId}: adopt id ${object.adoptId} not found in ${KINDS[object.kind].collection}`,
      );
      return undefined;
    }
    const m = parseMarker(typeof hit.description === "string" ? hit.description : undefined);
    if (m && (m.stack !== stack || m.policyId !== object.policyId)) {
      warnings.push(
        `${object.sourceFile}: ${object.policyId}: adopts ${object.adoptId}, which carries the marker of ${m.stack}/${m.policyId}`,
      );
    }
    // An earlier apply may have created this policy's object before the adopt id was added: that twin keeps
    // the marker, is neither updated nor deleted, and would otherwise go unmentioned.
    const twins = (byMarker.get(object.policyId) ?? []).filter(
      (o) => String(o.id).toLowerCase() !== object.adoptId!.toLowerCase(),
    );
    if (twins.length > 0) {
      warnings.push(
        `${object.sourceFile}: ${object.policyId}: adopts ${object.adoptId}, but ${twins.map((o) => String(o.id)).join(", ")} also carries the marker [wslpolicy:${stack}/${object.policyId}] and is left as it is; delete it or remove its marker`,
      );
    }
    return hit;
  }
  const list = byMarker.get(object.policyId) ?? [];
  if (list.length > 1) {
    errors.push(
      `${object.policyId}: ${list.length} objects in ${KINDS[object.kind].collection} carry the marker [wslpolicy:${stack}/${object.policyId}] (${list
        .map((o) => String(o.id))
        .join(", ")}); delete the duplicates or adopt one by id`,
    );
  }
  return list[0];
}

/** Risks of one comparison, with `after` the state the change leads to. */
export function comparisonRisks(
  c: ObjectComparison,
  change: ObjectChange,
  after: ObjectComparison["desired"],
  before: ObjectComparison["live"],
  mode: "plan" | "drift",
): Risk[] {
  return [
    ...risksOf({ change, mode, ...(after ? { after } : {}), ...(before ? { before } : {}) }),
    ...(KINDS[c.change.kind].settingsCatalog && after ? inboundAllowRuleRisks(change, after, before) : []),
  ];
}

function summarise(mode: "plan" | "drift", changes: ObjectChange[], conflicts: number, risks: number): Plan["summary"] {
  const count = (a: ObjectChange["action"]) => changes.filter((c) => c.action === a).length;
  const summary = {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    unchanged: count("unchanged"),
    conflicts,
    risks,
  };
  const changed = summary.create + summary.update + summary.replace + summary.delete > 0;
  return { ...summary, hasChanges: mode === "plan" ? changed : changed || conflicts > 0 };
}

/** The plan document (plan-schema.ts) around what one mode found; plan and drift differ only in that. */
export function planDocument(
  mode: Plan["mode"],
  input: PlanInput,
  a: Analysis,
  found: Pick<Plan, "changes" | "conflicts" | "risks">,
): Plan {
  const { changes, conflicts, risks } = found;
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    mode,
    stack: input.desired.stack,
    tenant: input.tenant,
    summary: summarise(mode, changes, conflicts.length, risks.length),
    changes,
    conflicts,
    risks,
    pendingRings: a.pendingRings,
    errors: a.errors,
    warnings: a.warnings,
    graphRequests: input.requestCount ?? null,
  };
}

export function computePlan(input: PlanInput): Plan {
  const a = analyse(input);
  const changes = a.comparisons.map((c) => c.change).sort((x, y) => compareText(x.key, y.key));
  const risks = a.comparisons.flatMap((c) => comparisonRisks(c, c.change, c.desired, c.live, "plan"));
  const conflicts = findConflicts(a.participants, nameIndex(a.directory));
  return planDocument("plan", input, a, { changes, conflicts, risks });
}
