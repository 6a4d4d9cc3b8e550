// wslCompliance → `windows10CompliancePolicy` with `wslDistributions`. Note the capital OS in
// `minimumOSVersion`/`maximumOSVersion`. Graph requires a
// `scheduledActionsForRule` block with the PasswordRequired/block action on create (same captured payload).
import { ODATA, type JsonObject } from "../model";
import type { WslCompliancePolicy } from "../policy";

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
