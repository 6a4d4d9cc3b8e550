// Pulumi's unknown values as a provider sees them. During a preview the engine keeps outputs that are not
// known yet (the object id of a group the same run creates) and sends them to Check and Diff as one
// sentinel string in place of the whole value that depends on them — a whole `assignments` record when it
// was built inside `apply`, or one field deep inside it (pulumi/pulumi pkg/resource/deploy/step_generator.go:
// `allowUnknowns := sg.deployment.opts.DryRun`; the sentinel is `unknownValue` in
// @pulumi/pulumi/runtime/rpc). Providers validate what is known and pass the rest through unchanged.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export const UNKNOWN: string = unknownValue;

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when `value` is the sentinel or holds it at any depth. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
