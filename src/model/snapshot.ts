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

export function emptySnapshot(): TenantSnapshot {
  return tenantSnapshotSchema.parse({});
}
