// The tenant snapshot: one JSON object whose keys are Graph collection paths and whose values are the
// objects exactly as Graph returns them, navigation properties expanded (DESIGN.md, "Tenant snapshot").
// Written by `export`, read by `--snapshot`, and used to seed the emulator.
import { z } from "zod";
import {
  assignmentFilterSchema,
  compliancePolicySchema,
  configurationPolicySchema,
  groupSchema,
  mobileAppSchema,
} from "./graph-documents";

export const COLLECTIONS = {
  configurationPolicies: "deviceManagement/configurationPolicies",
  compliancePolicies: "deviceManagement/deviceCompliancePolicies",
  mobileApps: "deviceAppManagement/mobileApps",
  groups: "groups",
  assignmentFilters: "deviceManagement/assignmentFilters",
} as const;

export type CollectionPath = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export const tenantSnapshotSchema = z.looseObject({
  [COLLECTIONS.configurationPolicies]: z.array(configurationPolicySchema).default([]),
  [COLLECTIONS.compliancePolicies]: z.array(compliancePolicySchema).default([]),
  [COLLECTIONS.mobileApps]: z.array(mobileAppSchema).default([]),
  [COLLECTIONS.groups]: z.array(groupSchema).default([]),
  [COLLECTIONS.assignmentFilters]: z.array(assignmentFilterSchema).default([]),
});
export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;

export function emptySnapshot(): TenantSnapshot {
  return tenantSnapshotSchema.parse({});
}
