// Assignment targets as policy authors write them: existing Entra groups by name or id, ring groups the
// stack creates, all devices, all users; and assignment filters by name or id.
import { z } from "zod";
import { GUID_PATTERN } from "../model";

const nonEmpty = z.string().trim().min(1, "must not be empty");
const guid = z.string().regex(GUID_PATTERN, "must be a GUID (object id)");
/** `ring-<key>` stays within the 63-character policy-id limit of the ownership marker. */
const RING_KEY = /^[a-z0-9][a-z0-9-]{0,57}$/;

export const groupTargetSchema = z.strictObject({ kind: z.literal("group"), name: nonEmpty });
export const groupIdTargetSchema = z.strictObject({ kind: z.literal("groupId"), id: guid });
export const ringTargetSchema = z
  .strictObject({
    kind: z.literal("ring"),
    name: nonEmpty.max(256),
    /**
     * Stable key of the ring group: its Pulumi resource name is `ring-<key>`, so the display name can change
     * without Pulumi recreating the group. Defaults to a slug of the name (a rename then recreates it).
     */
    key: z
      .string()
      .regex(RING_KEY, "must be lowercase letters, digits and '-' (at most 58), starting with a letter or digit")
      .optional(),
    description: z.string().optional(),
    /**
     * Object ids of the ring's members (assigned membership): users, groups or service principals, the
     * member types `azuread.Group.members` supports (https://www.pulumi.com/registry/packages/azuread/api-docs/group/).
     * Devices cannot be listed here; put devices in a ring with a dynamic `rule` instead.
     */
    members: z.array(guid).optional(),
    /** Dynamic membership rule (Entra syntax). */
    rule: nonEmpty.optional(),
  })
  .refine((r) => (r.members === undefined) !== (r.rule === undefined), {
    message: "a ring needs exactly one of `members` (assigned) or `rule` (dynamic membership)",
  });
export const allDevicesTargetSchema = z.strictObject({ kind: z.literal("allDevices") });
export const allUsersTargetSchema = z.strictObject({ kind: z.literal("allUsers") });

export const targetSchema = z.union([
  groupTargetSchema,
  groupIdTargetSchema,
  ringTargetSchema,
  allDevicesTargetSchema,
  allUsersTargetSchema,
]);
export type Target = z.infer<typeof targetSchema>;
export type RingTarget = z.infer<typeof ringTargetSchema>;

export const filterSchema = z
  .strictObject({ name: nonEmpty.optional(), id: guid.optional(), mode: z.enum(["include", "exclude"]) })
  .refine((f) => (f.name === undefined) !== (f.id === undefined), {
    message: "a filter needs exactly one of `name` or `id`",
  });
export type AssignmentFilterSpec = z.infer<typeof filterSchema>;

export const includeEntrySchema = z.union([
  targetSchema,
  z.strictObject({ target: targetSchema, filter: filterSchema }),
]);

export const assignmentsSchema = z.strictObject({
  include: z.array(includeEntrySchema).default([]),
  exclude: z.array(z.union([groupTargetSchema, groupIdTargetSchema, ringTargetSchema])).default([]),
  /** Filter applied to every include target that does not name its own. */
  filter: filterSchema.optional(),
  /** Acknowledges an assignment to all devices or all users (guardrail `broad-assignment`). */
  broad: z.boolean().optional(),
});
export type Assignments = z.input<typeof assignmentsSchema>;
export type ParsedAssignments = z.output<typeof assignmentsSchema>;

/** An existing Entra group by name or id: the narrow type, so it also fits `exclude` lists. */
export type GroupTarget = z.infer<typeof groupTargetSchema> | z.infer<typeof groupIdTargetSchema>;

/** An existing Entra group, by display name (must be unique in the tenant) or by object id. */
export function group(nameOrId: string | { id: string }): GroupTarget {
  return typeof nameOrId === "string" ? { kind: "group", name: nameOrId } : { kind: "groupId", id: nameOrId.id };
}

/** A security group the stack creates (azuread.Group), with assigned members or a dynamic rule. */
export function ring(spec: {
  name: string;
  key?: string;
  description?: string;
  members?: string[];
  rule?: string;
}): RingTarget {
  return { kind: "ring", ...spec };
}

export const allDevices: Target = Object.freeze({ kind: "allDevices" });
export const allUsers: Target = Object.freeze({ kind: "allUsers" });

/** An assignment filter by name or id, in include or exclude mode. */
export function filter(
  nameOrId: string | { id: string },
  mode: "include" | "exclude" = "include",
): AssignmentFilterSpec {
  return typeof nameOrId === "string" ? { name: nameOrId, mode } : { id: nameOrId.id, mode };
}
