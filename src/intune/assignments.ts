// Turns assignment intents (group names, rings, all devices/users, filters by name) into the Graph
// assignment bodies that `assign` takes, given what the tenant's directory holds. Pure: the directory is
// data read at the edge. Used by plan/drift (desired side of the diff), the tenant writer and the Pulumi
// providers, so all three send and compare the same bodies.
import { KINDS, kindSpec } from "../kinds";
import { parseAssignmentTarget, PENDING_RING_PREFIX } from "./assignment-target";
import { byText, ODATA, type AssignmentIntent, type JsonObject, type ObjectKind, type TargetRef } from "../model";

/** Group and filter ids by display name, as read from the tenant (display names are not unique). */
export interface Directory {
  groupsByName: ReadonlyMap<string, readonly string[]>;
  filtersByName: ReadonlyMap<string, readonly string[]>;
  /** Ring groups the stack creates, by display name, once their ids are known (after apply). */
  ringIds?: ReadonlyMap<string, string>;
}

export function directoryFrom(
  groups: readonly { id: string; displayName: string }[],
  filters: readonly { id: string; displayName: string }[] = [],
): Directory {
  const index = (items: readonly { id: string; displayName: string }[]) => {
    const map = new Map<string, string[]>();
    for (const item of items) map.set(item.displayName, [...(map.get(item.displayName) ?? []), item.id.toLowerCase()]);
    return map;
  };
  return { groupsByName: index(groups), filtersByName: index(filters) };
}

export interface ResolvedAssignment {
  /** The body item for `assign` (configuration/compliance policy: `{target}`; app: full mobileAppAssignment). */
  body: JsonObject;
  /** Human label for reports: `include group "WSL Ring 1"`, `exclude all devices`. */
  label: string;
  /** Set key (src/intune/assignment-target.ts), for comparing assignment sets. */
  key: string;
}

export interface AssignmentResolution {
  resolved: ResolvedAssignment[];
  /** References that could not be resolved, each with the reason (missing, ambiguous, ring not yet created). */
  unresolved: { intent: AssignmentIntent; reason: string; label: string }[];
}

export function describeTarget(target: TargetRef): string {
  switch (target.kind) {
    case "group":
      return `group "${target.name}"`;
    case "groupId":
      return `group ${target.id.toLowerCase()}`;
    case "ring":
      return `ring group "${target.name}"`;
    case "allDevices":
      return "all devices";
    case "allUsers":
      return "all users";
  }
}

function lookup(map: ReadonlyMap<string, readonly string[]>, name: string): { id?: string; reason?: string } {
  const ids = map.get(name) ?? [];
  if (ids.length === 1) return { id: ids[0] };
  if (ids.length === 0) return { reason: "not found" };
  return { reason: `ambiguous: ${ids.length} objects share this display name (${ids.join(", ")}); reference it by id` };
}

export function resolveAssignments(
  kind: ObjectKind,
  intents: readonly AssignmentIntent[],
  directory: Directory,
  options: { allowPendingRings?: boolean } = {},
): AssignmentResolution {
  const resolved: ResolvedAssignment[] = [];
  const unresolved: AssignmentResolution["unresolved"] = [];

  for (const intent of intents) {
    const label = `${intent.exclude ? "exclude" : "include"} ${describeTarget(intent.target)}`;
    const target: JsonObject = {};
    switch (intent.target.kind) {
      case "allDevices":
        target["@odata.type"] = ODATA.allDevicesTarget;
        break;
      case "allUsers":
        target["@odata.type"] = ODATA.allUsersTarget;
        break;
      default: {
        let groupId: string | undefined;
        if (intent.target.kind === "groupId") groupId = intent.target.id.toLowerCase();
        else if (intent.target.kind === "group") {
          const hit = lookup(directory.groupsByName, intent.target.name);
          if (!hit.id) {
            unresolved.push({ intent, label, reason: `group "${intent.target.name}" ${hit.reason}` });
            continue;
          }
          groupId = hit.id;
        } else {
          groupId =
            directory.ringIds?.get(intent.target.name)?.toLowerCase() ??
            lookup(directory.groupsByName, intent.target.name).id;
          if (!groupId) {
            if (!options.allowPendingRings) {
              unresolved.push({ intent, label, reason: `ring group "${intent.target.name}" does not exist yet` });
              continue;
            }
            groupId = `${PENDING_RING_PREFIX}${intent.target.name}`;
          }
        }
        target["@odata.type"] = intent.exclude ? ODATA.exclusionGroupTarget : ODATA.groupTarget;
        target.groupId = groupId;
      }
    }

    if (intent.filter && !intent.exclude) {
      let filterId = intent.filter.id?.toLowerCase();
      if (!filterId && intent.filter.name !== undefined) {
        const hit = lookup(directory.filtersByName, intent.filter.name);
        if (!hit.id) {
          unresolved.push({ intent, label, reason: `assignment filter "${intent.filter.name}" ${hit.reason}` });
          continue;
        }
        filterId = hit.id;
      }
      target.deviceAndAppManagementAssignmentFilterId = filterId ?? null;
      target.deviceAndAppManagementAssignmentFilterType = intent.filter.mode;
    } else if (!intent.exclude) {
      // Graph's default for "no filter": FilterId null, FilterType "none".
      target.deviceAndAppManagementAssignmentFilterId = null;
      target.deviceAndAppManagementAssignmentFilterType = "none";
    }

    if (KINDS[kind].assignmentIntent) {
      const app = intent.app ?? { intent: "required" as const };
      const settings: JsonObject = {
        "@odata.type": ODATA.win32LobAppAssignmentSettings,
        notifications: app.notifications ?? "showAll",
        deliveryOptimizationPriority: "notConfigured",
        restartSettings: null,
        installTimeSettings: app.installTime
          ? {
              "@odata.type": ODATA.installTimeSettings,
              useLocalTime: app.installTime.useLocalTime,
              startDateTime: app.installTime.startDateTime ?? null,
              deadlineDateTime: app.installTime.deadlineDateTime ?? null,
            }
          : null,
      };
      const appIntent = intent.exclude ? "required" : app.intent;
      resolved.push({
        body: { "@odata.type": ODATA.mobileAppAssignment, intent: appIntent, target, settings },
        label: intent.exclude ? label : `${label} (${appIntent})`,
        key: setKey(target),
      });
    } else if (kindSpec(kind).assignmentSchedule && !intent.exclude) {
      // runRemediationScript is sent true and reads back false (src/kinds/device-health-script.ts), so only
      // the target and the schedule are compared.
      resolved.push({
        body: { target, runRemediationScript: true, runSchedule: intent.schedule ?? null },
        label,
        key: setKey(target),
      });
    } else {
      resolved.push({ body: { target }, label, key: setKey(target) });
    }
  }

  resolved.sort(byText((r) => r.key));
  return { resolved, unresolved };
}

/** The set key of a target this resolver built (always one wslpolicy models). */
function setKey(target: JsonObject): string {
  return parseAssignmentTarget(target)!.key;
}
