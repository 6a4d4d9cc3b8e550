// Extra seed objects for tenant tests: a WSL compliance policy and Win32 apps (plus a non-Win32 app the
// reader must leave out), shaped like Graph's reads (the read shape of real exports:
// SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/).
import { COLLECTIONS, ODATA, type DesiredObject, type TenantSnapshot } from "../../src/model";
import { groupId, seedTenant } from "../graph/fixtures";

export function compliancePolicy(i: number) {
  const id = `22222222-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return {
    "@odata.type": ODATA.windows10CompliancePolicy,
    id,
    displayName: `WSL compliance ${i}`,
    description: "",
    roleScopeTagIds: ["0"],
    wslDistributions: [
      {
        "@odata.type": ODATA.wslDistribution,
        distribution: "Ubuntu",
        minimumOSVersion: "22.04",
        maximumOSVersion: null,
      },
    ],
    scheduledActionsForRule: [
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [
          { actionType: "block", gracePeriodHours: 0, notificationTemplateId: "", notificationMessageCCList: [] },
        ],
      },
    ],
    assignments: [{ id: `${id}_${groupId(0)}`, target: { "@odata.type": ODATA.groupTarget, groupId: groupId(0) } }],
  };
}

export function win32App(i: number) {
  const id = `33333333-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return {
    "@odata.type": ODATA.win32LobApp,
    id,
    displayName: `Defender for Endpoint plug-in for WSL ${i}`,
    description: "",
    publisher: "Microsoft",
    publishingState: "published",
    assignments: [
      {
        "@odata.type": ODATA.mobileAppAssignment,
        id: `${id}_0_0`,
        intent: "required",
        target: { "@odata.type": ODATA.groupTarget, groupId: groupId(1) },
        settings: null,
      },
    ],
  };
}

export function fullTenant(policies = 60, settings = 30): TenantSnapshot {
  const base = seedTenant({ policies, settings }) as Record<string, unknown[]>;
  base[COLLECTIONS.compliancePolicies] = [compliancePolicy(1), compliancePolicy(2)];
  base[COLLECTIONS.mobileApps] = [
    win32App(1),
    win32App(2),
    {
      "@odata.type": "#microsoft.graph.webApp",
      id: "44444444-0000-4000-8000-000000000001",
      displayName: "Intranet",
      appUrl: "https://intranet.example",
      assignments: [],
    },
  ];
  base[COLLECTIONS.assignmentFilters] = [
    {
      id: "55555555-0000-4000-8000-000000000001",
      displayName: "Corporate devices",
      platform: "windows10AndLater",
      rule: '(device.deviceOwnership -eq "Corporate")',
    },
  ];
  return base as unknown as TenantSnapshot;
}

export function desiredPolicy(
  stack: string,
  policyId: string,
  document: Record<string, unknown>,
  kind: DesiredObject["kind"] = "configurationPolicy",
): DesiredObject {
  return {
    kind,
    policyId,
    resourceName: policyId,
    displayName: String(document.name ?? document.displayName ?? policyId),
    sourceFile: `${policyId}.ts`,
    document: document as DesiredObject["document"],
    assignments: [],
  };
}
