// The registry of object kinds: every stage that does something per kind reads its descriptor here.
import { compliancePolicyKind } from "./compliance-policy";
import { configurationPolicyKind } from "./configuration-policy";
import { deviceHealthScriptKind } from "./device-health-script";
import { deviceManagementScriptKind } from "./device-management-script";
import type { KindSpec, ObjectKind } from "./kind-spec";
import { win32AppKind } from "./win32-app";

/** Every kind, in the order plans list them. A kind missing here fails to compile. */
export const KINDS = {
  configurationPolicy: configurationPolicyKind,
  compliancePolicy: compliancePolicyKind,
  mobileApp: win32AppKind,
  deviceManagementScript: deviceManagementScriptKind,
  deviceHealthScript: deviceHealthScriptKind,
} as const satisfies Record<ObjectKind, KindSpec>;

/** The kinds as a list (also a zod enum's values). */
export const OBJECT_KINDS = Object.keys(KINDS) as [ObjectKind, ...ObjectKind[]];

export function kindSpec(kind: ObjectKind): KindSpec {
  return KINDS[kind];
}

/** The kind whose objects carry this `@odata.type` (any prefix), or undefined. */
export function kindOfOdataType(type: unknown): ObjectKind | undefined {
  if (typeof type !== "string") return undefined;
  const bare = type.replace(/^#?microsoft\.graph\./, "").toLowerCase();
  return OBJECT_KINDS.find((k) => KINDS[k].recognises.test(bare));
}

/** The kind of a Pulumi type token `pulumi-nodejs:dynamic/wslpolicy:<Type>`, or undefined. */
export function kindOfPulumiType(name: string): ObjectKind | undefined {
  return OBJECT_KINDS.find((k) => KINDS[k].pulumiType === name);
}
