// The semantic diff of one managed object: desired (compiled) against live (Graph), both in the one
// canonical form of ./normalise. Decides the action (create, update, replace, delete, unchanged) and
// lists what changes per setting, per metadata field and per assignment, with catalog labels and group
// names. Used by plan, drift and the Pulumi providers' `diff`. Pure.
import { pinnedCatalog, type Catalog } from "../catalog";
import { resolveAssignments, type Directory } from "../intune";
import { kindOfOdataType, kindSpec, type ReplaceField } from "../kinds";
import { compareText, contentIsCurrent, parseMarker, type DesiredObject, type ObjectKind } from "../model";
import { canonicalJson, jsonKey, projectOnto, type CanonicalJson, asJsonValue } from "./canonical-value";
import { assignmentLabel, leafDisplay, nameIndex, settingLabel, type NameIndex } from "./labels";
import { normaliseObject, type CanonicalAssignment, type CanonicalObject, type SettingLeaf } from "./normalise";
import type { AssignmentChange, FieldChange, ObjectChange, SettingChange } from "./plan-schema";

export interface DiffContext {
  /** Groups and filters of the tenant (and ring ids once known): assignment bodies and labels. */
  directory: Directory;
  /** The stack doing the diff: only objects carrying its marker may be deleted. */
  stack: string;
  /** Kind of a live-only object (inferred from the document when omitted). */
  kind?: ObjectKind;
  /**
   * Hash (`sha256:…`, see `secretHash`) of each secret as last written, by setting path, when the caller
   * keeps one (Pulumi state). Without it a secret Graph returns encrypted is treated as unchanged.
   */
  knownSecretHashes?: Readonly<Record<string, string>>;
  /**
   * The desired object's assignment bodies when the caller already resolved them to group ids (the Pulumi
   * providers' inputs); the object's intents are then not resolved again against `directory`.
   */
  resolvedAssignments?: readonly unknown[];
  catalog?: Catalog;
}

/** The diff plus the canonical sides it was computed from (for risks and conflicts). */
export interface ObjectComparison {
  change: ObjectChange;
  desired?: CanonicalObject;
  live?: CanonicalObject;
}

/**
 * Kind of a live Graph object, from its `@odata.type`. Settings-catalog policies are written without one
 * (Microsoft365DSC and the Terraform providers omit it), so an object no descriptor recognises is read as one.
 */
export function inferKind(live: Readonly<Record<string, unknown>>): ObjectKind {
  return kindOfOdataType(live["@odata.type"]) ?? "configurationPolicy";
}

export function diffObject(
  desired: DesiredObject | undefined,
  live: Readonly<Record<string, unknown>> | undefined,
  ctx: DiffContext,
): ObjectChange {
  return compareObject(desired, live, ctx).change;
}

/** Resolves the desired assignment intents to Graph bodies; ring groups not created yet stay pending. */
export function desiredAssignmentBodies(
  desired: DesiredObject,
  directory: Directory,
): { bodies: unknown[]; errors: string[] } {
  const resolution = resolveAssignments(desired.kind, desired.assignments, directory, { allowPendingRings: true });
  return {
    bodies: resolution.resolved.map((r) => r.body),
    errors: resolution.unresolved.map(
      (u) => `${desired.sourceFile}: ${desired.policyId}: cannot resolve ${u.label}: ${u.reason}`,
    ),
  };
}

export function compareObject(
  desired: DesiredObject | undefined,
  live: Readonly<Record<string, unknown>> | undefined,
  ctx: DiffContext,
): ObjectComparison {
  if (!desired && !live) throw new Error("diffObject needs a desired or a live object");
  const catalog = ctx.catalog ?? pinnedCatalog;
  const names = nameIndex(ctx.directory);
  const kind = desired?.kind ?? ctx.kind ?? inferKind(live!);
  const liveId = typeof live?.id === "string" ? live.id.toLowerCase() : null;
  const marker = parseMarker(typeof live?.description === "string" ? live.description : undefined);

  let errors: string[] = [];
  let d: CanonicalObject | undefined;
  if (desired) {
    const resolved = ctx.resolvedAssignments
      ? { bodies: ctx.resolvedAssignments, errors: [] }
      : desiredAssignmentBodies(desired, ctx.directory);
    errors = resolved.errors;
    d = normaliseObject(kind, desired.document, resolved.bodies);
  }
  const l = live ? normaliseObject(kind, live) : undefined;

  const base: ObjectChange = {
    key: desired ? `${kind}/${desired.policyId}` : `${kind}/id:${liveId ?? "?"}`,
    action: "unchanged",
    kind,
    policyId: desired?.policyId ?? marker?.policyId ?? null,
    displayName: d?.name ?? l?.name ?? "",
    liveId,
    sourceFile: desired?.sourceFile ?? null,
    ownership: desired ? "declared" : marker?.stack === ctx.stack ? "orphaned" : "unmanaged",
    adopted: Boolean(desired?.adoptId),
    replaceReasons: [],
    metadata: [],
    settings: [],
    properties: [],
    assignments: [],
    notes: [],
    errors,
    diffPaths: [],
    replacePaths: [],
  };

  if (d && !l) {
    base.action = "create";
    fillChanges(base, d, emptyLike(d), names, catalog, ctx);
  } else if (!d && l) {
    if (marker?.stack === ctx.stack) {
      base.action = "delete";
      fillChanges(base, emptyLike(l), l, names, catalog, ctx);
    } else {
      // never touch an object without this stack's marker (README, "Ownership")
      base.notes.push(
        marker
          ? `managed by stack '${marker.stack}', not '${ctx.stack}': left alone`
          : "not managed by wslpolicy: left alone",
      );
    }
  } else if (d && l) {
    const reasons = replaceReasons(d, l);
    base.replaceReasons = reasons.map((r) => r.reason);
    base.replacePaths = reasons.map((r) => r.path);
    fillChanges(base, d, l, names, catalog, ctx);
    const changed = base.metadata.length + base.settings.length + base.properties.length + base.assignments.length > 0;
    base.action = reasons.length ? "replace" : changed ? "update" : "unchanged";
  }
  if (desired?.content && base.action !== "delete") {
    const upload = !(live && contentIsCurrent(live, desired.content.sha256));
    base.content = { file: desired.content.file, sha256: desired.content.sha256, upload };
    if (upload && base.action === "unchanged") base.action = "update";
  }
  base.diffPaths = [...new Set([...base.replacePaths, ...base.diffPaths])].sort(compareText);
  return { change: base, ...(d ? { desired: d } : {}), ...(l ? { live: l } : {}) };
}

function emptyLike(o: CanonicalObject): CanonicalObject {
  return { ...o, name: "", description: "", roleScopeTagIds: [], settings: {}, properties: {}, assignments: {} };
}

/** Graph refuses these in place: the object is deleted and created again. */
function replaceReasons(d: CanonicalObject, l: CanonicalObject): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  const replaceOn: readonly ReplaceField[] = kindSpec(d.kind).replaceOn;
  const differs: Record<ReplaceField, () => string | undefined> = {
    "@odata.type": () =>
      d.odataType.toLowerCase() !== l.odataType.toLowerCase() ? `type ${l.odataType} → ${d.odataType}` : undefined,
    platforms: () =>
      jsonKey(d.platforms) !== jsonKey(l.platforms)
        ? `platforms ${l.platforms.join(",")} → ${d.platforms.join(",")}`
        : undefined,
    technologies: () =>
      jsonKey(d.technologies) !== jsonKey(l.technologies)
        ? `technologies ${l.technologies.join(",")} → ${d.technologies.join(",")}`
        : undefined,
    templateReference: () =>
      d.templateId !== l.templateId ? `template ${l.templateId || "(none)"} → ${d.templateId || "(none)"}` : undefined,
  };
  for (const path of replaceOn) {
    const reason = differs[path]();
    if (reason) out.push({ path, reason });
  }
  return out;
}

function fillChanges(
  change: ObjectChange,
  d: CanonicalObject,
  l: CanonicalObject,
  names: NameIndex,
  catalog: Catalog,
  ctx: DiffContext,
): void {
  const paths = new Set<string>();
  const field = (
    name: string,
    before: CanonicalJson | undefined,
    after: CanonicalJson | undefined,
  ): FieldChange | undefined =>
    jsonKey(before ?? null) === jsonKey(after ?? null)
      ? undefined
      : { field: name, before: asJsonValue(before), after: asJsonValue(after) };

  // A create or a delete names the object in its title; only the description is worth a line.
  const whole = change.action === "create" || change.action === "delete";
  for (const [name, before, after] of [
    ["name", whole ? undefined : l.name || undefined, whole ? undefined : d.name || undefined],
    ["description", l.description || undefined, d.description || undefined],
    [
      "roleScopeTagIds",
      !whole && l.roleScopeTagIds.length ? l.roleScopeTagIds : undefined,
      !whole && d.roleScopeTagIds.length ? d.roleScopeTagIds : undefined,
    ],
  ] as const) {
    const c = field(name, before, after);
    if (c) {
      change.metadata.push(c);
      paths.add(name);
    }
  }

  change.settings = diffSettings(d.settings, l.settings, catalog, ctx, change.notes);
  for (const s of change.settings) paths.add(`settings["${s.path}"]`);

  // Desired declares, Graph fills in: only what the desired document sets is compared (a PATCH never resets
  // what it does not send), so server fields nobody listed still never count. A delete shows everything.
  const deleting = change.action === "delete";
  const navigation = new Set(kindSpec(change.kind).writtenByAction.map((c) => c.field));
  for (const key of Object.keys(deleting ? l.properties : d.properties).sort(compareText)) {
    // A navigation property is compared only when the read expanded it (the kind's descriptor).
    if (navigation.has(key) && l.properties[key] === undefined && change.action !== "create") continue;
    const after = d.properties[key];
    const before = deleting ? l.properties[key] : projectOnto(l.properties[key], after);
    const c = field(key, before, after);
    if (c) {
      change.properties.push(c);
      paths.add(key);
    }
  }

  change.assignments = diffAssignments(d.assignments, l.assignments, names);
  if (change.assignments.length) paths.add("assignments");
  change.diffPaths = [...paths];
}

function diffSettings(
  d: Record<string, SettingLeaf>,
  l: Record<string, SettingLeaf>,
  catalog: Catalog,
  ctx: DiffContext,
  notes: string[],
): SettingChange[] {
  const out: SettingChange[] = [];
  for (const path of [...new Set([...Object.keys(d), ...Object.keys(l)])].sort(compareText)) {
    const after = d[path];
    const before = l[path];
    if (after && before && after.type === "secret" && before.type === "secret") {
      const known = ctx.knownSecretHashes?.[path];
      if (known === undefined || after.value === null) {
        notes.push(
          `${settingLabel(path, catalog)}: secret not compared (Graph returns only an encrypted token); treated as unchanged`,
        );
        continue;
      }
      if (known === after.value) continue;
      out.push(settingChange(path, "changed", { ...before, value: known }, after, catalog));
      continue;
    }
    if (after && before && jsonKey(after.value) === jsonKey(before.value) && after.type === before.type) continue;
    // an unnamed group's entry count says nothing its children's changes do not already say
    const leaf = (after ?? before)!;
    if (leaf.type === "group" && !Array.isArray(leaf.value) && hasChildChange(path, d, l)) continue;
    out.push(settingChange(path, after && before ? "changed" : after ? "added" : "removed", before, after, catalog));
  }
  return out;
}

function hasChildChange(path: string, d: Record<string, SettingLeaf>, l: Record<string, SettingLeaf>): boolean {
  const prefix = `${path}[`;
  return [...new Set([...Object.keys(d), ...Object.keys(l)])].some(
    (p) => p.startsWith(prefix) && jsonKey(d[p]?.value ?? null) !== jsonKey(l[p]?.value ?? null),
  );
}

function settingChange(
  path: string,
  change: SettingChange["change"],
  before: SettingLeaf | undefined,
  after: SettingLeaf | undefined,
  catalog: Catalog,
): SettingChange {
  return {
    path,
    definitionId: (after ?? before)!.definitionId,
    label: settingLabel(path, catalog),
    change,
    before: leafDisplay(before, catalog),
    after: leafDisplay(after, catalog),
    // not even a secret's hash leaves the diff: reports and logs must not help anyone guess it
    beforeValue: before && before.type !== "secret" ? ((before.value as CanonicalJson) ?? null) : null,
    afterValue: after && after.type !== "secret" ? ((after.value as CanonicalJson) ?? null) : null,
  };
}

function assignmentDetail(a: CanonicalAssignment, shape?: CanonicalAssignment): CanonicalJson | undefined {
  const settings = shape ? projectOnto(a.settings, shape.settings) : a.settings;
  return canonicalJson({ intent: a.intent, settings });
}

function diffAssignments(
  d: Record<string, CanonicalAssignment>,
  l: Record<string, CanonicalAssignment>,
  names: NameIndex,
): AssignmentChange[] {
  const out: AssignmentChange[] = [];
  for (const key of [...new Set([...Object.keys(d), ...Object.keys(l)])].sort(compareText)) {
    const after = d[key];
    const before = l[key];
    const a = (after ?? before)!;
    const common = { key, label: assignmentLabel(a, names), mode: a.mode, target: a.target };
    if (after && before) {
      const beforeDetail = assignmentDetail(before, after);
      const afterDetail = assignmentDetail(after);
      if (jsonKey(beforeDetail ?? null) !== jsonKey(afterDetail ?? null)) {
        out.push({ ...common, change: "changed", before: asJsonValue(beforeDetail), after: asJsonValue(afterDetail) });
      }
    } else if (after) {
      out.push({ ...common, change: "added", before: null, after: asJsonValue(assignmentDetail(after)) });
    } else {
      out.push({ ...common, change: "removed", before: asJsonValue(assignmentDetail(before!)), after: null });
    }
  }
  return out;
}
