// A Windows compliance policy with WSL distributions → the `wslCompliance` intent fields, the inverse of
// src/compile/wsl-compliance.ts (https://learn.microsoft.com/intune/intune-service/protect/compliance-wsl): the allowed distributions with
// their `minimumOSVersion`/`maximumOSVersion` (capital OS), the grace period of the block action, and the
// policy's other rules (BitLocker, Secure Boot, password …) as `rules`, so adopting it keeps them under
// management. A rule at the value Graph reads back for "not set" is left out (it is not configured); any
// other property wslpolicy has no field for is named in a note, so nothing disappears silently.
import { isServerOwned, jsonKey } from "../diff";
import { KINDS } from "../kinds";
import { compareText, type CompliancePolicy } from "../model";
import { COMPLIANCE_RULES, complianceRulesSchema, RULE_OFF, type ComplianceRule } from "../policy";
import type { SourceValue } from "./source-text";

/** Properties the intent fields above express, and navigation properties Graph reads back as links only. */
const EXPRESSED = new Set([
  "@odata.type",
  "displayName",
  "description",
  "roleScopeTagIds",
  "assignments",
  "wslDistributions",
  "scheduledActionsForRule",
  "deviceSettingStateSummaries",
  "deviceStatuses",
  "deviceStatusOverview",
  "userStatuses",
  "userStatusOverview",
  // Computed by Intune for a policy with WSL distributions (the built-in WSL compliance script).
  ...KINDS.compliancePolicy.computed.flatMap((c) => c.fields),
]);
const RULES: ReadonlySet<string> = new Set(COMPLIANCE_RULES);

/** Whether a compliance policy restricts WSL distributions (an empty list restricts nothing). */
export function hasWslDistributions(policy: CompliancePolicy): boolean {
  return Array.isArray(policy.wslDistributions) && policy.wslDistributions.length > 0;
}

function gracePeriodHours(policy: CompliancePolicy): number | undefined {
  for (const rule of policy.scheduledActionsForRule ?? []) {
    const configs = (rule as { scheduledActionConfigurations?: unknown }).scheduledActionConfigurations;
    if (!Array.isArray(configs)) continue;
    for (const c of configs as { actionType?: unknown; gracePeriodHours?: unknown }[]) {
      if (c.actionType === "block" && typeof c.gracePeriodHours === "number") return c.gracePeriodHours;
    }
  }
  return undefined;
}

/** The policy's rules that are set, and a note for each property that is neither a rule nor expressed. */
function otherRules(policy: CompliancePolicy): { rules: { [key: string]: SourceValue }; notes: string[] } {
  const rules: { [key: string]: SourceValue } = {};
  const notes: string[] = [];
  const leftOut = (key: string, value: unknown, why: string) =>
    notes.push(
      `left out: ${key} = ${JSON.stringify(value)} (${why}); wslpolicy neither changes nor compares it, so it stays as it is in the tenant`,
    );
  for (const [key, value] of Object.entries(policy).sort(([a], [b]) => compareText(a, b))) {
    if (EXPRESSED.has(key) || isServerOwned(key) || key.startsWith("#")) continue;
    if (!RULES.has(key)) {
      leftOut(key, value, "wslCompliance has no field for it");
      continue;
    }
    const rule = key as ComplianceRule;
    if (value === undefined || jsonKey(value) === jsonKey(RULE_OFF[rule])) continue;
    const parsed = complianceRulesSchema.shape[rule].safeParse(stripAnnotations(value));
    if (parsed.success && parsed.data !== undefined) rules[rule] = parsed.data as SourceValue;
    else leftOut(key, value, "not a value the rule takes");
  }
  return { rules, notes };
}

/** `validOperatingSystemBuildRanges` entries come back with `@odata.type`; the rule's entries have none. */
function stripAnnotations(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((v) =>
    typeof v === "object" && v !== null
      ? Object.fromEntries(
          Object.entries(v).filter(([k, x]) => !k.startsWith("@") && !(k === "description" && x === null)),
        )
      : v,
  );
}

export function wslComplianceFields(policy: CompliancePolicy): {
  fields: { [key: string]: SourceValue };
  notes: string[];
} {
  const distributions = (policy.wslDistributions ?? []).map((d) => {
    const entry: { [key: string]: SourceValue } = { distribution: d.distribution };
    if (d.minimumOSVersion) entry.minimumOSVersion = d.minimumOSVersion;
    if (d.maximumOSVersion) entry.maximumOSVersion = d.maximumOSVersion;
    return entry;
  });
  const fields: { [key: string]: SourceValue } = { distributions };
  const grace = gracePeriodHours(policy);
  if (grace !== undefined && grace !== 0) fields.gracePeriodHours = grace;
  const other = otherRules(policy);
  if (Object.keys(other.rules).length) fields.rules = other.rules;
  return { fields, notes: other.notes };
}
