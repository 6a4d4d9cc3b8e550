// What the compiler produces and everything downstream consumes: whole Graph documents per managed
// object, plus assignment intents whose group references are resolved to ids only at the edges (tenant
// reads, Pulumi), because a pure compile cannot know group ids.
import type { ContentRef } from "./package-facts";

import type { ObjectKind } from "../kinds";

export type { ObjectKind };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who an assignment targets, as written in a policy file. */
export type TargetRef =
  | { kind: "group"; name: string }
  | { kind: "groupId"; id: string }
  /** A group the stack itself creates (azuread.Group); its display name is `name`. */
  | { kind: "ring"; name: string }
  | { kind: "allDevices" }
  | { kind: "allUsers" };

export interface FilterRef {
  name?: string;
  id?: string;
  mode: "include" | "exclude";
}

export interface InstallTime {
  useLocalTime: boolean;
  /** ISO 8601, UTC (`Z`) unless useLocalTime. */
  startDateTime?: string;
  deadlineDateTime?: string;
}

export interface AssignmentIntent {
  target: TargetRef;
  /** An exclusion (exclusionGroupAssignmentTarget). Exclusions carry no filter. */
  exclude: boolean;
  filter?: FilterRef;
  /** Mobile apps only. */
  app?: {
    intent: "required" | "available" | "uninstall";
    installTime?: InstallTime;
    notifications?: "showAll" | "showReboot" | "hideAll";
  };
  /** Remediations only: the `runSchedule` body (deviceHealthScriptHourly/Daily/RunOnceSchedule). */
  schedule?: JsonObject;
  /** Rollout ring this assignment belongs to (mobile apps), for reports and gates. */
  ring?: string;
  /** The policy acknowledged an all-devices / all-users include with `broad: true` (guardrail `broad-assignment`). */
  broad?: true;
}

/** An Entra security group the stack creates: static members, or a dynamic membership rule. */
export interface RingDefinition {
  name: string;
  /** Stable key (`ring({ key })`): the group's Pulumi resource name is `ring-<key>` when set. */
  key?: string;
  description: string;
  /** Object ids of members: users, groups or service principals (what azuread.Group.members accepts). */
  members?: string[];
  /** Dynamic membership rule, e.g. `(device.deviceOSType -eq "Windows")`. */
  rule?: string;
}

export interface DesiredObject {
  kind: ObjectKind;
  /** Stable policy id from the policy file; resource names and the marker derive from it. */
  policyId: string;
  /** Pulumi resource name and file name of the compiled document. */
  resourceName: string;
  displayName: string;
  /** Policy file, relative to the policies directory, with `/` separators. */
  sourceFile: string;
  /** An existing object id the policy takes over (brownfield adoption). */
  adoptId?: string;
  /** The whole Graph document for POST/PUT, without assignments; description carries the marker. */
  document: JsonObject;
  assignments: AssignmentIntent[];
  /** Win32 apps: the MSI whose package must be the app's committed content. */
  content?: ContentRef;
  /** What the object is for beyond its policy: the Intune WSL plug-in app the compliance policies need. */
  provides?: "intuneWslPlugin";
  /** Rollouts: the rings in order, with their gates (assignments carry the ring name in `ring`). */
  rollout?: RolloutPlan;
}

/** A health gate on the ring before (policy `rings[i].gate`). */
export interface RingGate {
  minDevicesReporting?: number;
  minInstalledPercent?: number;
  maxFailedPercent?: number;
  soakHours?: number;
}

/** A rollout's rings in order: what gates need to decide which rings are assigned. */
export interface RolloutPlan {
  rings: Array<{ name: string; start?: string; deadline?: string; gate?: RingGate }>;
}

export interface DesiredState {
  stack: string;
  objects: DesiredObject[];
  rings: RingDefinition[];
}
