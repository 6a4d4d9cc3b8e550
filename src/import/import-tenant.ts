// Brownfield adoption: from a tenant snapshot to one policy file per existing WSL-related object, each with
// `adopt: "<object id>"`, that compiles back to the same settings (`pulumi import` does not work with
// dynamic providers, pulumi/pulumi#16175, so this is how existing tenants come under management). Pure:
// the snapshot is data, the files are returned as text. Every imported policy is compiled and diffed
// against its live object with the one canonical normaliser before it is returned, so what `plan` will
// show after import (ideally only the ownership marker) is known, and said in the file and in `notes`.
import { KINDS, OBJECT_KINDS } from "../kinds";
import { compile } from "../compile";
import { directoryFrom, isDefenderPlugin, type Directory } from "../intune";
import { GUARDRAIL_RULES, type GuardrailSeverity } from "../compile";
import { diffObject } from "../diff";
import { flagSet } from "../diff";
import {
  byText,
  COLLECTIONS,
  odataKind,
  parseMarker,
  stripMarker,
  type CompliancePolicy,
  type ConfigurationPolicy,
  type DeviceHealthScript,
  type DeviceManagementScript,
  type ObjectKind,
  type PackageFacts,
  type TenantSnapshot,
} from "../model";
import { policySchema, type LoadedPolicy, type Policy, type PolicyKind } from "../policy";
import { uniqueGroupNames, policyAssignments, type GroupNames } from "./assignments";
import {
  DEFENDER_IMPORT_REASON,
  defenderRolloutFields,
  INTUNE_WSL_PLUGIN_REASON,
  isIntuneWslPlugin,
  looksWslRelated,
  packageOf,
  type ImportPackage,
} from "./defender-plugin";
import { hyperVIntent, hyperVTemplateIntent, isHyperVSettingId } from "./hyperv-intent";
import { exportNameOf, PolicyIdAllocator } from "./policy-ids";
import { rawImport } from "./raw-settings";
import { platformScriptIntent, remediationIntent, withLiveSecrets, type ScriptIntent } from "./script-intent";
import { allDefinitionIds, idOf, topInstances } from "./setting-values";
import { evaluate, policySource, type SourceValue } from "./source-text";
import { wslComplianceFields, hasWslDistributions } from "./wsl-compliance";
import { wslIntent } from "./wsl-intent";

export interface ImportOptions {
  /** The stack the files are for: objects carrying its marker are already managed and skipped. */
  stack: string;
  /** Where the snapshot came from, for the files' header comment (`snapshot seeds/demo-tenant.json`). */
  source: string;
  /** Policies that already exist: their ids are taken, and objects they adopt are skipped. */
  existing?: readonly { policyId: string; adoptId?: string; file: string }[];
  /** Ids that must not be handed out, e.g. names of files in the output directory that import did not write. */
  reservedIds?: readonly string[];
  /** MSIs at hand (`--packages DIR`) by lower-case file name: Defender plug-in apps installing one are imported. */
  packages?: ReadonlyMap<string, ImportPackage>;
  /** The stack's guardrail severities, so the validation errors the files are said to have are the stack's. */
  guardrails?: Record<string, GuardrailSeverity>;
}

export interface ImportedPolicy {
  /** File name relative to the output directory. */
  file: string;
  source: string;
  policyId: string;
  kind: PolicyKind;
  /** The policy the file evaluates to, validated (defaults applied). */
  policy: Policy;
  objectId: string;
  objectName: string;
  objectKind: ObjectKind;
  /** What the user should know: settings left out, what `plan` will change besides the marker. */
  notes: string[];
}

export interface SkippedObject {
  objectId: string;
  objectName: string;
  objectKind: ObjectKind;
  reason: string;
}

export interface ImportResult {
  files: ImportedPolicy[];
  skipped: SkippedObject[];
  /** Objects in the snapshot that have nothing to do with WSL (not imported, not noted one by one). */
  unrelated: number;
}

/** One object on its way to a file: the intent fields, before it has a policy id. */
interface Candidate {
  objectKind: ObjectKind;
  objectId: string;
  objectName: string;
  description: string;
  roleScopeTagIds: string[];
  live: Readonly<Record<string, unknown>>;
  /** Alternatives in order of preference (intent first, raw settings last); the first that round-trips wins. */
  options: { kind: PolicyKind; fields: { [key: string]: SourceValue }; notes: string[] }[];
  /** The policy id of another stack's marker, kept when free so the name survives the move. */
  preferredId?: string;
}

const byName = <T extends { id?: string }>(name: (o: T) => string) => byText((o: T) => `${name(o)}\u0000${o.id ?? ""}`);

function isWslRelatedPolicy(policy: ConfigurationPolicy): boolean {
  return topInstances(policy.settings).some((i) =>
    allDefinitionIds(i).some(
      (id) =>
        id.startsWith("device_vendor_msft_policy_config_wslv") ||
        id.startsWith("vendor_msft_firewall_mdmstore_hypervvmsettings") ||
        id.startsWith("vendor_msft_firewall_mdmstore_hypervfirewallrules"),
    ),
  );
}

function configurationCandidate(policy: ConfigurationPolicy, names: GroupNames): Candidate | string {
  const platforms = flagSet(policy.platforms);
  if (platforms.length !== 1 || platforms[0] !== "windows10")
    return `its platforms are '${policy.platforms}'; wslpolicy manages windows10 policies only`;
  const instances = topInstances(policy.settings);
  if ((policy.templateReference?.templateId ?? "") !== "") {
    // Made from an Endpoint security template: adoptable as hyperVFirewall form "endpointSecurity" or not at all.
    const hv = hyperVTemplateIntent(policy.templateReference ?? {}, policy.technologies, instances);
    if (!hv.ok) return hv.reason;
    return withAssignments(policy, names, [{ kind: "hyperVFirewall", fields: hv.fields, notes: [] }]);
  }
  const notes: string[] = [];
  const options: Candidate["options"] = [];
  const mdmOnly = flagSet(policy.technologies).join(",") === "mdm";
  const ids = instances.map(idOf);
  if (mdmOnly && ids.length > 0 && ids.every((id) => !isHyperVSettingId(id))) {
    const wsl = wslIntent(instances);
    if (wsl.ok) options.push({ kind: "wslPolicy", fields: wsl.fields, notes: [] });
    else notes.push(`kept as raw settings: ${wsl.reason}`);
  } else if (mdmOnly && ids.length > 0 && ids.every(isHyperVSettingId)) {
    const hv = hyperVIntent(instances);
    if (hv.ok) options.push({ kind: "hyperVFirewall", fields: hv.fields, notes: [] });
    else notes.push(`kept as raw settings: ${hv.reason}`);
  } else if (!mdmOnly) {
    notes.push(`kept as raw settings: its technologies are '${policy.technologies}'`);
  } else {
    notes.push("kept as raw settings: it mixes WSL and Hyper-V firewall settings (or others)");
  }
  const raw = rawImport(instances);
  const rawNotes = raw.skipped.map(
    (s) =>
      `setting left out: ${s.reason}. Applying this policy removes it from the tenant object; add it back by hand before applying if it must stay`,
  );
  if (raw.settings.length > 0) {
    const fields: { [key: string]: SourceValue } = {};
    if (policy.technologies !== "mdm") fields.technologies = policy.technologies;
    fields.settings = raw.settings as unknown as SourceValue;
    options.push({ kind: "settingsCatalogPolicy", fields, notes: rawNotes });
  }
  if (options.length === 0)
    return `none of its settings can be expressed: ${raw.skipped.map((s) => s.reason).join("; ")}`;
  options.forEach((o) => o.notes.unshift(...(o.kind === "settingsCatalogPolicy" ? notes : [])));
  return withAssignments(policy, names, options);
}

function withAssignments(
  policy: ConfigurationPolicy,
  names: GroupNames,
  options: Candidate["options"],
): Candidate | string {
  const assignments = policyAssignments(policy.assignments, names);
  if (assignments.problems.length) return `its assignments cannot be expressed: ${assignments.problems.join("; ")}`;
  for (const o of options) o.fields.assignments = assignments.value;
  return base("configurationPolicy", policy, policy.name, options);
}

function base(
  objectKind: ObjectKind,
  doc: { id?: string; description?: string | null; roleScopeTagIds?: string[] },
  name: string,
  options: Candidate["options"],
): Candidate {
  return {
    objectKind,
    objectId: (doc.id ?? "").toLowerCase(),
    objectName: name,
    description: stripMarker(doc.description),
    roleScopeTagIds: doc.roleScopeTagIds ?? [],
    live: doc as Readonly<Record<string, unknown>>,
    options,
  };
}

function complianceCandidate(policy: CompliancePolicy, names: GroupNames): Candidate | string {
  if ((odataKind(policy["@odata.type"]) ?? "").toLowerCase() !== "windows10compliancepolicy")
    return `it is a ${odataKind(policy["@odata.type"])}; WSL distributions live on Windows 10/11 compliance policies`;
  const assignments = policyAssignments(policy.assignments, names);
  if (assignments.problems.length) return `its assignments cannot be expressed: ${assignments.problems.join("; ")}`;
  const compliance = wslComplianceFields(policy);
  const fields = { ...compliance.fields, assignments: assignments.value };
  return base("compliancePolicy", policy, policy.displayName, [
    { kind: "wslCompliance", fields, notes: compliance.notes },
  ]);
}

interface Built {
  body: { [key: string]: SourceValue };
  kind: PolicyKind;
  loaded: LoadedPolicy;
  notes: string[];
}

/** The builder argument: id, adopt, names, then the intent fields; role scope tags only when not the default. */
function bodyOf(
  c: Candidate,
  policyId: string,
  fields: { [key: string]: SourceValue },
): { [key: string]: SourceValue } {
  const body: { [key: string]: SourceValue } = {
    id: policyId,
    adopt: c.objectId,
    displayName: c.objectName.trim(),
    description: c.description || undefined,
  };
  const tags = [...c.roleScopeTagIds].sort();
  if (tags.length && !(tags.length === 1 && tags[0] === "0")) body.roleScopeTagIds = tags;
  return { ...body, ...fields };
}

/** The tenant already has these objects as they are: an import round-trips them, it does not judge them. */
const GUARDRAILS_OFF: Record<string, GuardrailSeverity> = Object.fromEntries(GUARDRAIL_RULES.map((r) => [r.id, "off"]));

/** What `plan` would show for the imported policy against its live object, besides the marker. */
function differences(
  loaded: LoadedPolicy,
  c: Candidate,
  stack: string,
  directory: Directory,
  packages: ReadonlyMap<string, PackageFacts>,
): { settings: string[]; other: string[] } {
  const compiled = compile([loaded], { stack, guardrails: GUARDRAILS_OFF, packages });
  const errors = compiled.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `does not compile: ${d.path}: ${d.message}`);
  const compiledObject = compiled.desired.objects[0];
  if (!compiledObject) return { settings: errors.length ? errors : ["does not compile"], other: [] };
  // Scripts: secrets the policy reads at apply time are compared by the live script's fingerprint.
  const secrets = withLiveSecrets(compiledObject.kind, compiledObject.document, c.live);
  const object = { ...compiledObject, document: secrets.document };
  const change = diffObject(object, c.live, { directory, stack });
  const settings = change.settings.map(
    (s) => `setting "${s.label}" would change: ${s.before ?? "not configured"} → ${s.after ?? "not configured"}`,
  );
  const other = [
    ...errors,
    ...secrets.notes,
    ...change.replaceReasons.map((r) => `plan would REPLACE the object: ${r}`),
    ...change.metadata.filter((m) => m.field !== "description").map((m) => `${m.field} would change`),
    ...change.properties.map((p) => `property ${p.field} would change`),
    ...change.assignments.map((a) => `assignment ${a.label} would be ${a.change}`),
    ...change.errors,
    ...(change.content?.upload
      ? [
          `the first apply packs and uploads ${change.content.file} as a new content version of this app (its content was not uploaded by wslpolicy)`,
        ]
      : []),
  ];
  return { settings, other };
}

function build(
  c: Candidate,
  policyId: string,
  stack: string,
  directory: Directory,
  packages: ReadonlyMap<string, PackageFacts>,
): Built | string {
  let fallback: Built | undefined;
  const reasons: string[] = [];
  for (const option of c.options) {
    const body = bodyOf(c, policyId, option.fields);
    const parsed = policySchema.safeParse({ kind: option.kind, ...(evaluate(body) as object) });
    if (!parsed.success) {
      reasons.push(`${option.kind}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      continue;
    }
    const loaded: LoadedPolicy = { policy: parsed.data, file: `${policyId}.ts`, exportName: exportNameOf(policyId) };
    const diff = differences(loaded, c, stack, directory, packages);
    const built: Built = { body, kind: option.kind, loaded, notes: [...option.notes, ...diff.settings, ...diff.other] };
    // An intent form that does not give back the same settings is not used (the raw form is next).
    if (diff.settings.length === 0 && diff.other.length === 0) return built;
    if (option.kind === "settingsCatalogPolicy" || diff.settings.length === 0) return built;
    reasons.push(`${option.kind}: ${diff.settings.join("; ")}`);
    fallback ??= built;
  }
  return fallback ?? `it cannot be expressed as a policy: ${reasons.join("; ")}`;
}

/**
 * How every file import writes begins: tells an earlier import (which `--force` may replace) from a
 * hand-written file.
 */
export const IMPORTED_HEADER = "// Imported by `wslpolicy import`";

function header(c: Candidate, source: string, notes: readonly string[]): string {
  const lines = [
    `${IMPORTED_HEADER.slice("// ".length)} from the ${KINDS[c.objectKind].label} "${c.objectName}" (${c.objectId}) of ${source}.`,
    "`adopt` makes wslpolicy take over that object instead of creating a new one; `wslpolicy plan` should show only the ownership marker being added to its description.",
  ];
  for (const note of notes) lines.push(`NOTE: ${note}`);
  return lines.join("\n");
}

/** A tenant object of one kind, as the snapshot holds it. */
type SnapshotObject<K extends ObjectKind> = TenantSnapshot[(typeof KINDS)[K]["collection"]][number];

/** What import does with each kind's objects: which are WSL-related, and the candidate file for one. */
interface KindImporter<K extends ObjectKind> {
  /** "import", "unrelated" (counted, not noted), or why a WSL-looking object is skipped. */
  relevance(doc: SnapshotObject<K>): "import" | "unrelated" | { skip: string };
  candidate(doc: SnapshotObject<K>, names: GroupNames, options: ImportOptions): Candidate | string;
}

/** A script wslpolicy can rebuild is imported; one it cannot is listed when it looks WSL-related. */
function scriptRelevance(
  doc: { displayName: string; description?: string | null },
  intent: ScriptIntent | string,
): "import" | "unrelated" | { skip: string } {
  if (typeof intent !== "string") return "import";
  return /wsl|cloud-init|wslpolicy/i.test(`${doc.displayName} ${doc.description ?? ""}`)
    ? { skip: intent }
    : "unrelated";
}

function scriptCandidate(
  kind: "deviceManagementScript" | "deviceHealthScript",
  doc: DeviceManagementScript | DeviceHealthScript,
  intent: ScriptIntent | string,
  names: GroupNames,
): Candidate | string {
  if (typeof intent === "string") return intent;
  const assignments = policyAssignments(doc.assignments, names);
  if (assignments.problems.length) return `its assignments cannot be expressed: ${assignments.problems.join("; ")}`;
  const made = base(kind, doc, doc.displayName, [
    { kind: intent.kind, fields: { ...intent.fields, assignments: assignments.value }, notes: [] },
  ]);
  // The compiler writes this line itself (before the marker): kept, it would be there twice.
  if (intent.compilerNote)
    made.description = made.description
      .split("\n")
      .filter((l) => l !== intent.compilerNote)
      .join("\n")
      .trim();
  if (intent.preferredId) made.preferredId = intent.preferredId;
  return made;
}

/** One importer per kind: a new kind without one fails to compile here. */
const IMPORTERS: { [K in ObjectKind]: KindImporter<K> } = {
  // Scripts wslpolicy generates (src/import/script-intent.ts) are imported; other WSL-looking ones are listed.
  deviceManagementScript: {
    relevance: (s) => scriptRelevance(s, platformScriptIntent(s)),
    candidate: (s, names) => scriptCandidate("deviceManagementScript", s, platformScriptIntent(s), names),
  },
  deviceHealthScript: {
    relevance: (s) => scriptRelevance(s, remediationIntent(s)),
    candidate: (s, names) => scriptCandidate("deviceHealthScript", s, remediationIntent(s), names),
  },
  configurationPolicy: {
    relevance: (p) => (isWslRelatedPolicy(p) ? "import" : "unrelated"),
    candidate: configurationCandidate,
  },
  compliancePolicy: {
    relevance: (p) => (hasWslDistributions(p) ? "import" : "unrelated"),
    candidate: complianceCandidate,
  },
  mobileApp: {
    relevance: (app) =>
      isDefenderPlugin(app)
        ? "import"
        : isIntuneWslPlugin(app)
          ? { skip: INTUNE_WSL_PLUGIN_REASON }
          : looksWslRelated(app)
            ? {
                skip: "it looks WSL-related but is not the Defender for Endpoint plug-in; wslpolicy has no policy kind for it",
              }
            : "unrelated",
    candidate: (app, names, options) => {
      const pkg = packageOf(app, options.packages ?? new Map());
      if (!pkg) return DEFENDER_IMPORT_REASON;
      const rollout = defenderRolloutFields(app, names, pkg);
      if (!rollout.ok) return rollout.reason;
      return base("mobileApp", app, app.displayName, [
        { kind: "defenderPluginRollout", fields: rollout.fields, notes: [] },
      ]);
    },
  },
};

type Consider = (
  objectKind: ObjectKind,
  doc: { id?: string; description?: string | null },
  name: string,
  make: () => Candidate | string,
) => void;

/** The snapshot's objects of one kind, by name, each considered, skipped or counted as unrelated. */
function importKind<K extends ObjectKind>(
  kind: K,
  snapshot: TenantSnapshot,
  names: GroupNames,
  options: ImportOptions,
  consider: Consider,
  skipped: SkippedObject[],
  unrelated: () => void,
): void {
  const importer = IMPORTERS[kind] as KindImporter<K>;
  const nameOf = (doc: SnapshotObject<K>): string =>
    String((doc as Record<string, unknown>)[KINDS[kind].nameField] ?? "");
  const docs = [...(snapshot[KINDS[kind].collection] as SnapshotObject<K>[])].sort(byName(nameOf));
  for (const doc of docs) {
    const relevance = importer.relevance(doc);
    if (relevance === "unrelated") unrelated();
    else if (relevance === "import") consider(kind, doc, nameOf(doc), () => importer.candidate(doc, names, options));
    else
      skipped.push({
        objectId: (doc.id ?? "").toLowerCase(),
        objectName: nameOf(doc),
        objectKind: kind,
        reason: relevance.skip,
      });
  }
}

export function importTenant(snapshot: TenantSnapshot, options: ImportOptions): ImportResult {
  const directory = directoryFrom(snapshot[COLLECTIONS.groups], snapshot[COLLECTIONS.assignmentFilters]);
  const names = uniqueGroupNames(directory);
  const skipped: SkippedObject[] = [];
  const candidates: Candidate[] = [];
  let unrelated = 0;
  const adoptedBy = new Map(
    (options.existing ?? []).filter((e) => e.adoptId).map((e) => [e.adoptId!.toLowerCase(), e]),
  );

  const consider: Consider = (objectKind, doc, name, make) => {
    const objectId = (doc.id ?? "").toLowerCase();
    const skip = (reason: string) => skipped.push({ objectId, objectName: name, objectKind, reason });
    if (!objectId) return skip("it has no id, so there is nothing to adopt");
    const marker = parseMarker(doc.description);
    if (marker?.stack === options.stack)
      return skip(`already managed by stack '${options.stack}' (policy '${marker.policyId}')`);
    const existing = adoptedBy.get(objectId);
    if (existing) return skip(`already adopted by ${existing.file} (policy '${existing.policyId}')`);
    const made = make();
    if (typeof made === "string") return skip(made);
    if (marker) made.preferredId = marker.policyId;
    if (marker)
      made.options.forEach((o) =>
        o.notes.push(
          `it carried the marker of stack '${marker.stack}' (policy '${marker.policyId}'); adopting it here takes it over from that stack`,
        ),
      );
    candidates.push(made);
  };

  for (const kind of OBJECT_KINDS) importKind(kind, snapshot, names, options, consider, skipped, () => unrelated++);

  const ids = new PolicyIdAllocator([
    ...(options.existing ?? []).map((e) => e.policyId),
    ...(options.reservedIds ?? []),
  ]);
  // The compiler finds an MSI by the file a policy names.
  const packages = new Map([...(options.packages?.values() ?? [])].map((p) => [p.file, p]));
  const built: { c: Candidate; b: Built }[] = [];
  for (const c of candidates) {
    const policyId = ids.allocate(c.objectName, c.preferredId);
    const b = build(c, policyId, options.stack, directory, packages);
    if (typeof b === "string")
      skipped.push({ objectId: c.objectId, objectName: c.objectName, objectKind: c.objectKind, reason: b });
    else built.push({ c, b });
  }

  // Across files: two imported policies that set one setting differently for overlapping targets fail validation.
  const together = compile(
    built.map((x) => x.b.loaded),
    { stack: options.stack, packages, ...(options.guardrails ? { guardrails: options.guardrails } : {}) },
  );
  for (const d of together.diagnostics.filter((x) => x.severity === "error")) {
    const hit = built.find((x) => x.b.loaded.file === d.file);
    if (hit && !hit.b.notes.some((n) => n.includes(d.message)))
      hit.b.notes.push(`validation error (fix before applying): ${d.message}${d.rule ? ` [${d.rule}]` : ""}`);
  }

  const files = built.map(({ c, b }): ImportedPolicy => {
    const file = b.loaded.file;
    // Each builder (src/policy/builders.ts) is named after the kind it makes.
    return {
      file,
      source: policySource({
        header: header(c, options.source, b.notes),
        builder: b.kind,
        exportName: b.loaded.exportName,
        body: b.body,
      }),
      policyId: b.loaded.policy.id,
      kind: b.kind,
      policy: b.loaded.policy,
      objectId: c.objectId,
      objectName: c.objectName,
      objectKind: c.objectKind,
      notes: b.notes,
    };
  });
  return { files, skipped, unrelated };
}
