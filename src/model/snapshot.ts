// The tenant snapshot: one JSON object whose keys are Graph collection paths and whose values are the
// objects exactly as Graph returns them, navigation properties expanded (docs/snapshot-format.md).
// Written by `export`, read by `--snapshot`, and used to seed the emulator.
import { z } from "zod";
import { KINDS, OBJECT_KINDS, type ObjectKind } from "../kinds";
import {
  assignmentFilterSchema,
  compliancePolicySchema,
  configurationPolicySchema,
  groupSchema,
  mobileAppSchema,
} from "./graph-documents";
import { deviceHealthScriptSchema, deviceManagementScriptSchema } from "./script-documents";

/** Snapshot keys by name; the managed kinds' collections come from their descriptors (src/kinds/). */
export const COLLECTIONS = {
  configurationPolicies: KINDS.configurationPolicy.collection,
  compliancePolicies: KINDS.compliancePolicy.collection,
  mobileApps: KINDS.mobileApp.collection,
  deviceManagementScripts: KINDS.deviceManagementScript.collection,
  deviceHealthScripts: KINDS.deviceHealthScript.collection,
  groups: "groups",
  assignmentFilters: "deviceManagement/assignmentFilters",
} as const;

export type CollectionPath = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** The document schema of each kind's objects as Graph returns them. */
const DOCUMENT_SCHEMAS = {
  configurationPolicy: configurationPolicySchema,
  compliancePolicy: compliancePolicySchema,
  mobileApp: mobileAppSchema,
  deviceManagementScript: deviceManagementScriptSchema,
  deviceHealthScript: deviceHealthScriptSchema,
} as const satisfies Record<ObjectKind, z.ZodType>;

type KindCollections = {
  [K in ObjectKind as (typeof KINDS)[K]["collection"]]: z.ZodDefault<z.ZodArray<(typeof DOCUMENT_SCHEMAS)[K]>>;
};
const kindCollections = Object.fromEntries(
  OBJECT_KINDS.map((kind) => [KINDS[kind].collection, z.array(DOCUMENT_SCHEMAS[kind]).default([])]),
) as KindCollections;

export const tenantSnapshotSchema = z.looseObject({
  ...kindCollections,
  [COLLECTIONS.groups]: z.array(groupSchema).default([]),
  [COLLECTIONS.assignmentFilters]: z.array(assignmentFilterSchema).default([]),
});
export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;

/** The schema of one object of each collection the snapshot knows. */
const ITEM_SCHEMAS: Record<string, z.ZodType> = {
  ...Object.fromEntries(OBJECT_KINDS.map((kind) => [KINDS[kind].collection, DOCUMENT_SCHEMAS[kind]])),
  [COLLECTIONS.groups]: groupSchema,
  [COLLECTIONS.assignmentFilters]: assignmentFilterSchema,
};

export interface SnapshotIssue {
  path: PropertyKey[];
  message: string;
}

export type SnapshotParse = { success: true; data: TenantSnapshot } | { success: false; issues: SnapshotIssue[] };

/**
 * `tenantSnapshotSchema.safeParse`, object by object: each object is replaced in `data` by its parsed form
 * as soon as it is checked, so a large tenant is never held twice (a whole-document parse builds a full
 * copy before the original can be freed: 10,000 policies are a few hundred MB each). Same result and
 * issues as the whole-document parse; on failure `data` is half parsed and must be dropped.
 */
export function parseSnapshotInPlace(data: Record<string, unknown>): SnapshotParse {
  const issues: SnapshotIssue[] = [];
  for (const [key, item] of Object.entries(ITEM_SCHEMAS)) {
    const value = data[key];
    if (value === undefined) {
      data[key] = [];
      continue;
    }
    if (!Array.isArray(value)) {
      const parsed = z.array(item).safeParse(value);
      if (!parsed.success)
        issues.push(...parsed.error.issues.map((i) => ({ path: [key, ...i.path], message: i.message })));
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      const parsed = item.safeParse(value[i]);
      if (parsed.success) value[i] = parsed.data;
      else issues.push(...parsed.error.issues.map((x) => ({ path: [key, i, ...x.path], message: x.message })));
    }
  }
  return issues.length ? { success: false, issues } : { success: true, data: data as TenantSnapshot };
}

export function emptySnapshot(): TenantSnapshot {
  return tenantSnapshotSchema.parse({});
}
