// Whether two assignment sets can reach the same device. Exclusions win over inclusions in Intune, so a
// group a policy both includes and excludes gets nothing from it. WSL and firewall settings are device
// scoped, so all devices overlaps every target, and all users is treated as overlapping everything too
// (a user's device is a device). Assignment filters are ignored (conservative: a filter may still
// match). Group identities are compared by display name (group names and ring names alike, since a ring
// is a group with that name) or by object id; a name and an id are never assumed to be the same group.
import type { AssignmentIntent, TargetRef } from "../model";
import { describeTarget } from "./assignments";

/** `allDevices`, `allUsers`, `name:<display name>` or `id:<object id>`. */
export type TargetKey = string;

export interface TargetSet {
  include: TargetKey[];
  exclude: TargetKey[];
}

export interface Overlap {
  /** The include of the first set and of the second set that reach common devices. */
  a: TargetKey;
  b: TargetKey;
  /** `group "X" in both`, `all devices and group "X"`. */
  description: string;
}

/** The targets that reach every device (all users too: a user's device is a device). */
export const BROAD_TARGETS: ReadonlySet<TargetKey> = new Set(["allDevices", "allUsers"]);

export function targetKey(target: TargetRef): TargetKey {
  switch (target.kind) {
    case "allDevices":
    case "allUsers":
      return target.kind;
    case "group":
    case "ring":
      return `name:${target.name}`;
    case "groupId":
      return `id:${target.id.toLowerCase()}`;
  }
}

export function describeTargetKey(key: TargetKey): string {
  if (key === "allDevices") return describeTarget({ kind: "allDevices" });
  if (key === "allUsers") return describeTarget({ kind: "allUsers" });
  if (key.startsWith("name:")) return `group "${key.slice(5)}"`;
  return `group ${key.slice(3)}`;
}

export function targetSetOf(intents: readonly AssignmentIntent[]): TargetSet {
  return {
    include: intents.filter((i) => !i.exclude).map((i) => targetKey(i.target)),
    exclude: intents.filter((i) => i.exclude).map((i) => targetKey(i.target)),
  };
}

/** The same for Graph assignment targets as read from a tenant (groups by object id). */
export function targetSetOfGraphTargets(
  targets: readonly { "@odata.type": string; groupId?: string | null }[],
): TargetSet {
  const set: TargetSet = { include: [], exclude: [] };
  for (const t of targets) {
    const type = t["@odata.type"].replace(/^#?microsoft\.graph\./, "");
    if (type === "allDevicesAssignmentTarget") set.include.push("allDevices");
    else if (type === "allLicensedUsersAssignmentTarget") set.include.push("allUsers");
    else if (type === "exclusionGroupAssignmentTarget" && t.groupId) set.exclude.push(`id:${t.groupId.toLowerCase()}`);
    else if (type === "groupAssignmentTarget" && t.groupId) set.include.push(`id:${t.groupId.toLowerCase()}`);
  }
  return set;
}

/** The first pair of includes through which both sets reach common devices, or undefined. */
export function findOverlap(a: TargetSet, b: TargetSet): Overlap | undefined {
  const aEx = new Set(a.exclude);
  const bEx = new Set(b.exclude);
  // An include its own policy also excludes reaches nothing.
  const aIn = a.include.filter((k) => !aEx.has(k));
  const bIn = b.include.filter((k) => !bEx.has(k));
  for (const x of aIn) {
    for (const y of bIn) {
      const xBroad = BROAD_TARGETS.has(x);
      const yBroad = BROAD_TARGETS.has(y);
      let hit = false;
      if (xBroad && yBroad) hit = true;
      else if (xBroad)
        hit = !aEx.has(y); // a reaches every device except its exclusions
      else if (yBroad) hit = !bEx.has(x);
      else hit = x === y;
      if (hit) {
        const description =
          x === y ? `${describeTargetKey(x)} in both` : `${describeTargetKey(x)} and ${describeTargetKey(y)}`;
        return { a: x, b: y, description };
      }
    }
  }
  return undefined;
}
