// The Plan (and Drift) model: what `plan` and `drift` compute and every renderer reads. A documented,
// versioned contract (docs/plan-schema.md); the JSON report is exactly this, so scripts may rely on it.
// The zod schemas are the types. Bump `schemaVersion` on any incompatible change.
import { z } from "zod";
import { OBJECT_KINDS } from "../kinds";
import { tenantRefSchema } from "../model";

export const PLAN_SCHEMA_VERSION = 2;

const json = z.json();

export const objectActionSchema = z.enum(["create", "update", "replace", "delete", "unchanged"]);
export type ObjectAction = z.infer<typeof objectActionSchema>;

export const objectKindSchema = z.enum(OBJECT_KINDS);

export const settingChangeSchema = z.object({
  /** Canonical path: `<definitionId>`, `<parent>/<child>`, `<group>[<entry>]/<child>`. */
  path: z.string(),
  definitionId: z.string(),
  /** Display name from the pinned catalog (the definition id when it is not in the catalog). */
  label: z.string(),
  change: z.enum(["added", "removed", "changed"]),
  /** Human value: option label, quoted string, number; null when not configured. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** Canonical values (option ids, numbers, sorted lists, `sha256:` for secrets). */
  beforeValue: json.nullable(),
  afterValue: json.nullable(),
});
export type SettingChange = z.infer<typeof settingChangeSchema>;

export const fieldChangeSchema = z.object({
  field: z.string(),
  before: json.nullable(),
  after: json.nullable(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const assignmentChangeSchema = z.object({
  change: z.enum(["added", "removed", "changed"]),
  key: z.string(),
  /** `include group "WSL Ring 1 - Pilot" (filter include "Windows 11 corporate")`. */
  label: z.string(),
  mode: z.enum(["include", "exclude"]),
  target: z.enum(["group", "allDevices", "allUsers", "other"]),
  /** App assignments: intent and settings before/after (install times, notifications). */
  before: json.nullable(),
  after: json.nullable(),
});
export type AssignmentChange = z.infer<typeof assignmentChangeSchema>;

export const riskRuleSchema = z.enum([
  "wsl1-enabled",
  "wsl-allowed-more-widely",
  "firewall-profile-disabled",
  "firewall-inbound-allowed",
  "loopback-opened",
  "assignment-widened",
  "managed-object-deleted",
  "defender-plugin-unassigned",
]);
export type RiskRule = z.infer<typeof riskRuleSchema>;

export const riskSchema = z.object({
  rule: riskRuleSchema,
  /** `key` of the object change that causes it. */
  object: z.string(),
  objectName: z.string(),
  message: z.string(),
});
export type Risk = z.infer<typeof riskSchema>;

export const objectChangeSchema = z.object({
  /** Stable identity in the plan: `<kind>/<policyId>` for declared objects, `<kind>/id:<liveId>` otherwise. */
  key: z.string(),
  action: objectActionSchema,
  kind: objectKindSchema,
  policyId: z.string().nullable(),
  displayName: z.string(),
  /** Id of the live object (null for a create). */
  liveId: z.string().nullable(),
  /** Policy file the object comes from (null for an object no longer declared). */
  sourceFile: z.string().nullable(),
  /** declared: in the policies; orphaned: carries this stack's marker but is no longer declared; unmanaged: neither. */
  ownership: z.enum(["declared", "orphaned", "unmanaged"]),
  adopted: z.boolean(),
  /** Why Graph cannot change it in place (platforms, technologies, template, `@odata.type`). */
  replaceReasons: z.array(z.string()),
  metadata: z.array(fieldChangeSchema),
  settings: z.array(settingChangeSchema),
  /** Compliance policy and app properties (other than name/description). */
  properties: z.array(fieldChangeSchema),
  assignments: z.array(assignmentChangeSchema),
  /** Things the diff could not compare, said plainly (e.g. a secret Graph only returns encrypted). */
  notes: z.array(z.string()),
  /**
   * Win32 apps: the MSI whose package must be the committed content, and whether an apply uploads it (a new
   * app, or a new file: a new content version on the same app) or finds it committed already.
   */
  content: z.object({ file: z.string(), sha256: z.string(), upload: z.boolean() }).optional(),
  /** Assignment references that cannot be resolved against the tenant; the plan is an error. */
  errors: z.array(z.string()),
  /** Detailed-diff property paths for the Pulumi provider: `name`, `settings["<path>"]`, `assignments`… */
  diffPaths: z.array(z.string()),
  replacePaths: z.array(z.string()),
});
export type ObjectChange = z.infer<typeof objectChangeSchema>;

const conflictPolicySchema = z.object({
  name: z.string(),
  /** Policy id when the policy is declared by this stack, else null. */
  policyId: z.string().nullable(),
  liveId: z.string().nullable(),
  /** `stack/policyId` of the marker when another wslpolicy stack manages it; null for portal-made and ours. */
  managedBy: z.string().nullable(),
  value: z.string(),
  rawValue: json,
  /** Its assignments, as labels (`include group "Devs"`, `exclude group "Kiosk"`). */
  assignments: z.array(z.string()),
});
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;

export const conflictSchema = z.object({
  definitionId: z.string(),
  path: z.string(),
  setting: z.string(),
  /**
   * certain: every two of the policies reach common devices (same group, or all devices/users), so any two
   * with different values conflict; possible: they include different groups whose membership is not known.
   */
  overlap: z.enum(["certain", "possible"]),
  /** certain: the targets all of them reach; possible: their groups. As labels. */
  targets: z.array(z.string()),
  /**
   * certain: where they meet, one entry per meeting, as the labels of the includes that meet there (shown
   * `A ∩ B`): a group and all devices when a policy for all devices reaches the group, the group alone when
   * every policy includes it. possible: empty (each policy's assignments show its groups).
   */
  overlaps: z.array(z.array(z.string()).min(1)),
  /** Every policy involved, this stack's first (at least one is), each with its value. */
  policies: z.array(conflictPolicySchema).min(2),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const planSchema = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** plan: what an apply would change. drift: how the tenant departs from the declared state. */
  mode: z.enum(["plan", "drift"]),
  stack: z.string(),
  tenant: tenantRefSchema,
  summary: z.object({
    create: z.number().int(),
    update: z.number().int(),
    replace: z.number().int(),
    delete: z.number().int(),
    unchanged: z.number().int(),
    conflicts: z.number().int(),
    risks: z.number().int(),
    /** plan: any create/update/replace/delete. drift: any of those or any conflict. */
    hasChanges: z.boolean(),
  }),
  changes: z.array(objectChangeSchema),
  conflicts: z.array(conflictSchema),
  risks: z.array(riskSchema),
  /** Ring groups the stack creates that do not exist in the tenant yet. */
  pendingRings: z.array(z.string()),
  /** Problems that make the plan unusable (unresolvable references, duplicate markers); exit 1. */
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  /** Graph requests the read took; null for a snapshot file. */
  graphRequests: z.number().int().nullable(),
});
export type Plan = z.infer<typeof planSchema>;
