// A Windows compliance policy with WSL distributions → the `wslCompliance` intent fields, the inverse of
// src/compile/wsl-compliance.ts (https://learn.microsoft.com/intune/intune-service/protect/compliance-wsl): the allowed distributions with
// their `minimumOSVersion`/`maximumOSVersion` (capital OS), and the grace period of the block action.
import type { CompliancePolicy } from "../model";
import type { SourceValue } from "./source-text";

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

export function wslComplianceFields(policy: CompliancePolicy): { [key: string]: SourceValue } {
  const distributions = (policy.wslDistributions ?? []).map((d) => {
    const entry: { [key: string]: SourceValue } = { distribution: d.distribution };
    if (d.minimumOSVersion) entry.minimumOSVersion = d.minimumOSVersion;
    if (d.maximumOSVersion) entry.maximumOSVersion = d.maximumOSVersion;
    return entry;
  });
  const fields: { [key: string]: SourceValue } = { distributions };
  const grace = gracePeriodHours(policy);
  if (grace !== undefined && grace !== 0) fields.gracePeriodHours = grace;
  return fields;
}
