// zod schemas (and their types) for the Graph objects wslpolicy handles: settings-catalog policies and
// their setting instances, assignments, WSL compliance policies, Win32 apps and groups. They are the
// types of external input (tenant reads, snapshots, portal exports), so they are lenient about extra
// server fields (`looseObject`): a real export must load unchanged (docs/snapshot-format.md).
import { z } from "zod";

const templateRef = z.looseObject({ settingInstanceTemplateId: z.string() }).nullable().optional();
const valueTemplateRef = z.looseObject({ settingValueTemplateId: z.string() }).nullable().optional();

export const simpleValueSchema = z.looseObject({
  "@odata.type": z.string(),
  value: z.union([z.string(), z.number()]),
  valueState: z.string().optional(),
  settingValueTemplateReference: valueTemplateRef,
});
export type SimpleValue = z.infer<typeof simpleValueSchema>;

export interface ChoiceValue {
  "@odata.type"?: string;
  value: string;
  children: SettingInstance[];
  settingValueTemplateReference?: { settingValueTemplateId: string } | null;
  [k: string]: unknown;
}

export interface GroupValue {
  "@odata.type"?: string;
  children: SettingInstance[];
  [k: string]: unknown;
}

export interface SettingInstance {
  "@odata.type": string;
  settingDefinitionId: string;
  settingInstanceTemplateReference?: { settingInstanceTemplateId: string } | null;
  choiceSettingValue?: ChoiceValue;
  choiceSettingCollectionValue?: ChoiceValue[];
  simpleSettingValue?: SimpleValue;
  simpleSettingCollectionValue?: SimpleValue[];
  groupSettingCollectionValue?: GroupValue[];
  groupSettingValue?: GroupValue;
  [k: string]: unknown;
}

// Recursive schemas; the server omits `children` in some reads, so it defaults to [].
export const settingInstanceSchema: z.ZodType<SettingInstance> = z.lazy(() =>
  z.looseObject({
    "@odata.type": z.string(),
    settingDefinitionId: z.string(),
    settingInstanceTemplateReference: templateRef,
    choiceSettingValue: choiceValueSchema.optional(),
    choiceSettingCollectionValue: z.array(choiceValueSchema).optional(),
    simpleSettingValue: simpleValueSchema.optional(),
    simpleSettingCollectionValue: z.array(simpleValueSchema).optional(),
    groupSettingCollectionValue: z.array(groupValueSchema).optional(),
    groupSettingValue: groupValueSchema.optional(),
  }),
) as z.ZodType<SettingInstance>;

const choiceValueSchema: z.ZodType<ChoiceValue> = z.lazy(() =>
  z.looseObject({
    "@odata.type": z.string().optional(),
    value: z.string(),
    children: z.array(settingInstanceSchema).default([]),
    settingValueTemplateReference: valueTemplateRef,
  }),
) as z.ZodType<ChoiceValue>;

const groupValueSchema: z.ZodType<GroupValue> = z.lazy(() =>
  z.looseObject({
    "@odata.type": z.string().optional(),
    children: z.array(settingInstanceSchema).default([]),
  }),
) as z.ZodType<GroupValue>;

export const settingSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: z.string().optional(),
  settingInstance: settingInstanceSchema,
});
export type Setting = z.infer<typeof settingSchema>;

export const assignmentTargetSchema = z.looseObject({
  "@odata.type": z.string(),
  groupId: z.string().optional(),
  deviceAndAppManagementAssignmentFilterId: z.string().nullable().optional(),
  deviceAndAppManagementAssignmentFilterType: z.string().nullable().optional(),
});
export type AssignmentTarget = z.infer<typeof assignmentTargetSchema>;

/** A configuration- or compliance-policy assignment as Graph returns or accepts it. */
export const assignmentSchema = z.looseObject({
  id: z.string().optional(),
  source: z.string().optional(),
  sourceId: z.string().optional(),
  target: assignmentTargetSchema,
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** A mobile-app assignment: intent plus Win32 settings (install times for rings). */
export const mobileAppAssignmentSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  id: z.string().optional(),
  intent: z.string(),
  target: assignmentTargetSchema,
  settings: z.looseObject({}).nullable().optional(),
});
export type MobileAppAssignment = z.infer<typeof mobileAppAssignmentSchema>;

export const templateReferenceSchema = z.looseObject({
  templateId: z.string().nullable().optional(),
  templateFamily: z.string().nullable().optional(),
  templateDisplayName: z.string().nullable().optional(),
  templateDisplayVersion: z.string().nullable().optional(),
});

export const configurationPolicySchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  platforms: z.string(),
  technologies: z.string(),
  roleScopeTagIds: z.array(z.string()).optional(),
  templateReference: templateReferenceSchema.nullable().optional(),
  settings: z.array(settingSchema).optional(),
  assignments: z.array(assignmentSchema).optional(),
});
export type ConfigurationPolicy = z.infer<typeof configurationPolicySchema>;

export const wslDistributionSchema = z.looseObject({
  "@odata.type": z.string().optional(),
  distribution: z.string(),
  minimumOSVersion: z.string().nullable().optional(),
  maximumOSVersion: z.string().nullable().optional(),
});
export type WslDistribution = z.infer<typeof wslDistributionSchema>;

export const compliancePolicySchema = z.looseObject({
  "@odata.type": z.string(),
  id: z.string().optional(),
  displayName: z.string(),
  description: z.string().nullable().optional(),
  roleScopeTagIds: z.array(z.string()).optional(),
  wslDistributions: z.array(wslDistributionSchema).nullable().optional(),
  scheduledActionsForRule: z.array(z.looseObject({})).optional(),
  assignments: z.array(assignmentSchema).optional(),
});
export type CompliancePolicy = z.infer<typeof compliancePolicySchema>;

export const mobileAppSchema = z.looseObject({
  "@odata.type": z.string(),
  id: z.string().optional(),
  displayName: z.string(),
  description: z.string().nullable().optional(),
  publisher: z.string().nullable().optional(),
  assignments: z.array(mobileAppAssignmentSchema).optional(),
});
export type MobileApp = z.infer<typeof mobileAppSchema>;

export const groupSchema = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable().optional(),
  groupTypes: z.array(z.string()).optional(),
  membershipRule: z.string().nullable().optional(),
  securityEnabled: z.boolean().optional(),
  mailEnabled: z.boolean().optional(),
});
export type Group = z.infer<typeof groupSchema>;

export const assignmentFilterSchema = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  platform: z.string().optional(),
  rule: z.string().optional(),
});
export type AssignmentFilter = z.infer<typeof assignmentFilterSchema>;
