// What a Graph (Intune) object kind is, as data: everything a stage needs to know about one kind of
// managed object, so a new kind is one descriptor file (plus its compile, import and emulator route
// files) instead of a table in every stage. The bottom of the pipeline: imports nothing of the project.

/** The kinds of Graph object wslpolicy manages. Adding one here makes the compiler name every table left to fill. */
export type ObjectKind =
  "configurationPolicy" | "compliancePolicy" | "mobileApp" | "deviceManagementScript" | "deviceHealthScript";

export type ApiVersion = "beta" | "v1.0";

/** Graph permission areas (Intune's role families). https://learn.microsoft.com/graph/permissions-reference */
export type PermissionArea = "configuration" | "apps";

/** A top-level field Graph refuses to change in place: a change is a delete and a create. */
export type ReplaceField = "@odata.type" | "platforms" | "technologies" | "templateReference";

export interface KindSpec {
  kind: ObjectKind;
  /** In messages and reports: "configuration policy". */
  label: string;
  labelPlural: string;
  /** Graph collection path, without version: also the object's key in a tenant snapshot. */
  collection: string;
  /** The API version wslpolicy talks to the collection with. */
  apiVersion: ApiVersion;
  /** Every version that serves the collection (the emulator serves it on these). */
  servedOn: readonly ApiVersion[];
  /** `@odata.type` (without `#microsoft.graph.`) of the objects wslpolicy writes, and of a document that has none. */
  odataType: string;
  /** The collection's (abstract) entity type, `microsoft.graph.` prefixed, for `@odata.type` and `$select` handling. */
  entityType: string;
  /** True when the entity type is abstract: a POST or PATCH must say its `@odata.type`. */
  abstract: boolean;
  /** Recognises the `@odata.type` (without prefix, lowercase) of a live object of this kind. */
  recognises: RegExp;
  /** The display-name property. */
  nameField: "name" | "displayName";
  read: {
    /** Query of the whole-tenant list read (one request per page, assignments expanded). */
    list: string;
    /** `$expand` of a read by id. */
    expand: string;
    /** Query of the light list the marker lookup reads (ids and descriptions only). */
    select: string;
    /** Only objects of this `@odata.type` (without prefix) of the collection are this kind. */
    onlyType?: string;
    /** Objects whose `field` equals `value` are not this kind's (global scripts, other script types). */
    skip?: readonly { field: string; value: string | boolean }[];
  };
  /** Settings live in a `/settings` sub-collection (settings catalog): read it, diff per setting. */
  settingsCatalog: boolean;
  /** How a changed document is written: PUT is a whole replace, PATCH sends the properties. */
  update: "PUT" | "PATCH";
  /** The body key of `POST …/{id}/assign`. */
  assignKey:
    "assignments" | "mobileAppAssignments" | "deviceManagementScriptAssignments" | "deviceHealthScriptAssignments";
  /** Assignments carry an install intent and settings besides the target (mobile apps). */
  assignmentIntent: boolean;
  /** Assignments carry a run schedule and `runRemediationScript` besides the target (Remediations). */
  assignmentSchedule?: true;
  /**
   * Base64 script fields: a list read returns them null, so they are read by id; plans, drift and state
   * compare and show only their SHA-256 fingerprint.
   */
  scriptContent?: readonly string[];
  /**
   * Navigation properties sent with the create that PATCH refuses: an update leaves them out of the PATCH
   * and writes them with the object's action instead (`POST …/{id}/<action>` with `{ <bodyKey>: value }`,
   * a whole replace). A read that did not expand one is not compared on it.
   */
  writtenByAction: readonly { field: string; action: string; bodyKey: string }[];
  /** Keys inside a property (`field`'s items) that Graph does not read back as they were written: never compared. */
  notReadBack: readonly { field: string; keys: readonly string[] }[];
  /** Properties the service owns on objects of this kind (besides id, timestamps, version): never drift. */
  serverOwned: readonly string[];
  /** Fields the service computes when `when` is set: never drift, never sent back. */
  computed: readonly { when: string; fields: readonly string[] }[];
  /** What forces a replace (delete, create) instead of an in-place update. */
  replaceOn: readonly ReplaceField[];
  /** Pulumi dynamic resource type name: `pulumi-nodejs:dynamic/wslpolicy:<pulumiType>`. */
  pulumiType: string;
  permissionArea: PermissionArea;
  /** Least-privileged application permissions to read, and to write. */
  permissions: { read: string; write: string };
}
