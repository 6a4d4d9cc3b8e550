// The one reading of an assignment target (`@odata.type`, group id, filter) and the one set key an
// assignment is compared and stored by. The compiler keys the bodies it resolves with it, the normaliser
// keys live and desired assignments with it, and the Pulumi state form keys its assignment map with it,
// so plan paths, provider diff paths and state keys name an assignment the same way.
//
// The key is mode + target (+ filter), never the app install intent: a group takes one assignment per
// app — Microsoft's advice for giving one group both "available" and "required" is two identical groups
// (https://learn.microsoft.com/intune/intune-service/apps/apps-deploy) — so an intent change is a change
// of that one assignment, not a remove and an add.
import { isRecord, odataKind, VIRTUAL_GROUP_IDS, ZERO_GUID } from "../model";

export interface ParsedTarget {
  mode: "include" | "exclude";
  target: "group" | "allDevices" | "allUsers" | "other";
  /** Lowercase group id (a ring the stack has not created yet keeps `pending-ring:<name>` as written). */
  groupId?: string;
  /** Only includes carry a filter; Graph's "no filter" spellings are none. */
  filter?: { id: string; mode: "include" | "exclude" };
  /** The set key: `include|group:<id>|filter:include:<id>`, `exclude|group:<id>`, `include|allDevices`. */
  key: string;
}

/** Marker for a group the stack will create: plan shows it as a new target, writes must never send it. */
export const PENDING_RING_PREFIX = "pending-ring:";

/**
 * Reads one assignment target as Graph accepts or returns it. `otherIdentity` names a target of a type
 * wslpolicy does not model (it keys as `other:<identity>`). Filter defaults — FilterType "none", FilterId
 * null / "" / all-zero GUID — all mean no filter, and exclusions never carry one
 * (https://learn.microsoft.com/graph/api/resources/intune-shared-deviceandappmanagementassignmenttarget?view=graph-rest-beta).
 */
export function parseAssignmentTarget(
  target: unknown,
  otherIdentity: (target: Readonly<Record<string, unknown>>) => string = () => "",
): ParsedTarget | undefined {
  if (!isRecord(target)) return undefined;
  const type = (odataKind(target["@odata.type"]) ?? "").toLowerCase();
  const rawGroupId = typeof target.groupId === "string" ? target.groupId : undefined;
  const groupId = rawGroupId?.startsWith(PENDING_RING_PREFIX) ? rawGroupId : rawGroupId?.toLowerCase();
  let mode: ParsedTarget["mode"] = "include";
  let kind: ParsedTarget["target"];
  let identity: string;
  if (type === "exclusiongroupassignmenttarget") {
    mode = "exclude";
    kind = "group";
    identity = `group:${groupId ?? ""}`;
  } else if (type === "groupassignmenttarget") {
    kind = "group";
    identity = `group:${groupId ?? ""}`;
  } else if (type === "alldevicesassignmenttarget" || groupId === VIRTUAL_GROUP_IDS.allDevices) {
    kind = "allDevices";
    identity = "allDevices";
  } else if (type === "alllicensedusersassignmenttarget" || groupId === VIRTUAL_GROUP_IDS.allUsers) {
    kind = "allUsers";
    identity = "allUsers";
  } else {
    kind = "other";
    identity = `other:${otherIdentity(target)}`;
  }

  const rawFilterId =
    typeof target.deviceAndAppManagementAssignmentFilterId === "string"
      ? target.deviceAndAppManagementAssignmentFilterId.toLowerCase()
      : undefined;
  const rawFilterType =
    typeof target.deviceAndAppManagementAssignmentFilterType === "string"
      ? target.deviceAndAppManagementAssignmentFilterType.toLowerCase()
      : undefined;
  const filterId = rawFilterId && rawFilterId !== ZERO_GUID ? rawFilterId : undefined;
  const filterMode: "include" | "exclude" | undefined =
    rawFilterType === "include" || rawFilterType === "exclude" ? rawFilterType : undefined;
  const filter = mode === "include" && filterId && filterMode ? { id: filterId, mode: filterMode } : undefined;

  return {
    mode,
    target: kind,
    ...(kind === "group" && groupId !== undefined ? { groupId } : {}),
    ...(filter ? { filter } : {}),
    key: `${mode}|${identity}${filter ? `|filter:${filter.mode}:${filter.id}` : ""}`,
  };
}
