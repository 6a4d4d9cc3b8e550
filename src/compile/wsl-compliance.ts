// wslCompliance → `windows10CompliancePolicy` with `wslDistributions` and the policy's other `rules`
// (src/policy/compliance-rules.ts). Note the capital OS in `minimumOSVersion`/`maximumOSVersion`. Graph requires a
// `scheduledActionsForRule` block with the PasswordRequired/block action on create (same captured payload).
import { ODATA, type JsonObject, type JsonValue } from "../model";
import type { ComplianceRules, WslCompliancePolicy } from "../policy";

function rulesDocument(rules: ComplianceRules): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(rules))
    if (value !== undefined) out[key] = structuredClone(value) as JsonValue;
  return out;
}

export function wslComplianceDocument(policy: WslCompliancePolicy, description: string): JsonObject {
  return {
    "@odata.type": ODATA.windows10CompliancePolicy,
    displayName: policy.displayName,
    description,
    roleScopeTagIds: [...policy.roleScopeTagIds],
    wslDistributions: policy.distributions.map((d) => ({
      "@odata.type": ODATA.wslDistribution,
      distribution: d.distribution,
      minimumOSVersion: d.minimumOSVersion ?? null,
      maximumOSVersion: d.maximumOSVersion ?? null,
    })),
    // Only the rules the policy sets: one left out is not configured, neither sent nor compared.
    ...rulesDocument(policy.rules),
    scheduledActionsForRule: [
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [
          {
            actionType: "block",
            gracePeriodHours: policy.gracePeriodHours,
            notificationTemplateId: "",
            notificationMessageCCList: [],
          },
        ],
      },
    ],
  };
}
