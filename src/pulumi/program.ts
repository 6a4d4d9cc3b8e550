// The body of the Pulumi program (stacks/index.ts): from the compiled desired state to resources.
//   rings               → azuread.Group (created by the stack)
//   groups by name / id → azuread.getGroupOutput (must exist; a name shared by two groups fails)
//   each Intune object  → one IntuneObject (document + full assignment list), which depends on the ring
//                         groups it targets, so groups exist before anything is assigned to them.
// Assignment bodies are resolved with the shared resolver (src/intune/assignments.ts) once the group ids
// are known, so Pulumi sends exactly the bodies `wslpolicy plan` compares.
import path from "node:path";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { resolveAssignments, type Directory } from "../intune";
import type { DesiredObject, DesiredState, RingDefinition } from "../model";
import { IntuneObject } from "./resources";
import { policyRecord } from "./resource-inputs";
import type { CloudName } from "../config";
import { AZUREAD_ENVIRONMENT, ringGroupArgs, ringGroupOptions, ringResourceName } from "./rings";
import { toStateAssignments, toStateDocument } from "./state-form";

export interface StackProgramOptions {
  /** `emulator` or the Entra tenant id (stack config `wslpolicy:tenant`). */
  tenant: string;
  /** Graph base URL the Intune providers call (stack config `wslpolicy:graphEndpoint` or the cloud's host). */
  graphEndpoint: string;
  /**
   * The tenant's national cloud (stack config `wslpolicy:cloud`): the azuread provider and the Intune providers use
   * it.
   */
  cloud: CloudName;
  /** Absolute policies directory: Win32 apps' MSI files are relative to it. */
  policiesDir?: string;
}

export interface DeclaredStack {
  rings: Map<string, azuread.Group>;
  objects: Map<string, IntuneObject>;
  /** Stack outputs: ids of every managed object and group, and of the existing groups referenced. */
  outputs: {
    ringGroupIds: pulumi.Output<Record<string, string>>;
    referencedGroupIds: pulumi.Output<Record<string, string>>;
    objectIds: pulumi.Output<Record<string, string>>;
  };
}

interface GroupLookups {
  byName: Map<string, pulumi.Output<string>>;
  byId: Map<string, pulumi.Output<string>>;
}

function lookupGroups(objects: readonly DesiredObject[], provider: azuread.Provider): GroupLookups {
  const byName = new Map<string, pulumi.Output<string>>();
  const byId = new Map<string, pulumi.Output<string>>();
  for (const obj of objects) {
    for (const { target } of obj.assignments) {
      if (target.kind === "group" && !byName.has(target.name)) {
        byName.set(
          target.name,
          azuread.getGroupOutput({ displayName: target.name, securityEnabled: true }, { provider }).objectId,
        );
      } else if (target.kind === "groupId" && !byId.has(target.id)) {
        // Looked up so a mistyped id fails at preview, not at assignment time.
        byId.set(target.id, azuread.getGroupOutput({ objectId: target.id }, { provider }).objectId);
      }
    }
  }
  return { byName, byId };
}

function ringsOf(obj: DesiredObject): string[] {
  return [...new Set(obj.assignments.flatMap((a) => (a.target.kind === "ring" ? [a.target.name] : [])))];
}

function declareObject(
  obj: DesiredObject,
  stack: string,
  options: StackProgramOptions,
  rings: Map<string, azuread.Group>,
  lookups: GroupLookups,
): IntuneObject {
  const usedRings = ringsOf(obj).map((name) => {
    const group = rings.get(name);
    if (!group)
      throw new Error(
        `${obj.sourceFile}: policy '${obj.policyId}' targets ring group "${name}", which no policy file defines`,
      );
    return [name, group] as const;
  });
  const usedNames = [...new Set(obj.assignments.flatMap((a) => (a.target.kind === "group" ? [a.target.name] : [])))];
  const usedIds = [...new Set(obj.assignments.flatMap((a) => (a.target.kind === "groupId" ? [a.target.id] : [])))];

  const ringIds = pulumi.all(usedRings.map(([, group]) => group.objectId));
  const nameIds = pulumi.all(usedNames.map((name) => lookups.byName.get(name) ?? pulumi.output("")));
  const verifiedIds = pulumi.all(usedIds.map((id) => lookups.byId.get(id) ?? pulumi.output(id)));
  const ids = pulumi.all([ringIds, nameIds, verifiedIds]).apply(([ringList, nameList]) => ({
    rings: Object.fromEntries(usedRings.map(([name], i) => [name, ringList[i]!])),
    names: Object.fromEntries(usedNames.map((name, i) => [name, nameList[i]!])),
  }));
  const assignments = ids.apply(({ rings: ringIds, names }) => {
    const directory: Directory = {
      groupsByName: new Map(Object.entries(names).map(([name, id]) => [name, [id.toLowerCase()]])),
      filtersByName: new Map(),
      ringIds: new Map(Object.entries(ringIds)),
    };
    const { resolved, unresolved } = resolveAssignments(obj.kind, obj.assignments, directory);
    if (unresolved.length > 0) {
      const reasons = unresolved.map((u) =>
        u.intent.filter?.name !== undefined && !u.intent.filter.id
          ? `${u.label}: assignment filters are referenced by id in a Pulumi stack (${u.reason})`
          : `${u.label}: ${u.reason}`,
      );
      throw new Error(
        `${obj.sourceFile}: policy '${obj.policyId}' has assignments that cannot be resolved:\n  ${reasons.join("\n  ")}`,
      );
    }
    return toStateAssignments(resolved.map((r) => r.body));
  });

  return new IntuneObject(
    obj.kind,
    obj.resourceName,
    {
      stack,
      policyId: obj.policyId,
      tenant: options.tenant,
      cloud: options.cloud,
      graphEndpoint: options.graphEndpoint,
      ...(obj.adoptId ? { adoptId: obj.adoptId } : {}),
      policy: policyRecord(obj),
      document: toStateDocument(obj.kind, obj.document),
      assignments,
      ...(obj.content ? { content: contentInput(obj, options) } : {}),
    },
    // Explicit as well as implied by the ids: a group must exist before anything is assigned to it.
    { dependsOn: usedRings.map(([, group]) => group) },
  );
}

/** The MSI of an app, as the provider reads it: an absolute path and the pinned hash. */
function contentInput(obj: DesiredObject, options: StackProgramOptions): { msi: string; sha256: string } {
  if (!obj.content) throw new Error(`${obj.sourceFile}: '${obj.policyId}' has no content`);
  if (!options.policiesDir)
    throw new Error(
      `${obj.sourceFile}: '${obj.policyId}' names ${obj.content.file}, but the program was not told the policies directory`,
    );
  return { msi: path.resolve(options.policiesDir, obj.content.file), sha256: obj.content.sha256 };
}

export function declareStack(desired: DesiredState, options: StackProgramOptions): DeclaredStack {
  // The stack's cloud configures azuread; a default provider would read `azuread:environment` instead.
  const provider = new azuread.Provider("azuread", { environment: AZUREAD_ENVIRONMENT[options.cloud] });
  const rings = new Map<string, azuread.Group>();
  for (const ring of desired.rings) {
    if (rings.has(ring.name)) throw new Error(`ring group "${ring.name}" is defined twice`);
    rings.set(
      ring.name,
      new azuread.Group(
        ringResourceName(ring),
        ringGroupArgs(ring as RingDefinition, desired.stack),
        ringGroupOptions(ring, provider),
      ),
    );
  }
  const lookups = lookupGroups(desired.objects, provider);
  const objects = new Map<string, IntuneObject>();
  for (const obj of desired.objects) {
    if (objects.has(obj.policyId + "/" + obj.resourceName))
      throw new Error(`${obj.sourceFile}: resource '${obj.resourceName}' is declared twice`);
    objects.set(`${obj.policyId}/${obj.resourceName}`, declareObject(obj, desired.stack, options, rings, lookups));
  }
  const record = (entries: [string, pulumi.Output<string>][]): pulumi.Output<Record<string, string>> =>
    pulumi
      .all(entries.map(([, value]) => value))
      .apply((values) => Object.fromEntries(entries.map(([key], i) => [key, values[i]!])));
  return {
    rings,
    objects,
    outputs: {
      ringGroupIds: record([...rings].map(([name, group]) => [name, group.objectId])),
      referencedGroupIds: record([...lookups.byName, ...lookups.byId]),
      objectIds: record([...objects].map(([key, resource]) => [key.split("/")[1]!, resource.id])),
    },
  };
}

/** Stack config values as Pulumi hands them over (strings; objects JSON-encoded) → plain values. */
export function decodeConfig(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const text = value.trim();
    if (text.startsWith("{") || text.startsWith("[")) {
      try {
        out[key] = JSON.parse(text);
        continue;
      } catch {
        // not JSON after all: keep the string and let the schema name the field
      }
    }
    out[key] = value;
  }
  return out;
}
