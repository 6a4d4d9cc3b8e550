// Windows compliance policies (`windows10CompliancePolicy`, whose `wslDistributions` is beta only).
// https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta
import type { KindSpec } from "./kind-spec";

/**
 * Scheduled actions are a navigation property too; the nested expand is what IntuneCD and
 * Microsoft365DSC send for them (github.com/almenscorner/IntuneCD, github.com/microsoft/Microsoft365DSC).
 */
const EXPAND = "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)";

export const compliancePolicyKind = {
  kind: "compliancePolicy",
  label: "compliance policy",
  labelPlural: "compliance policies",
  collection: "deviceManagement/deviceCompliancePolicies",
  apiVersion: "beta",
  servedOn: ["beta", "v1.0"],
  odataType: "windows10CompliancePolicy",
  entityType: "microsoft.graph.deviceCompliancePolicy",
  abstract: true,
  recognises: /compliancepolicy/,
  nameField: "displayName",
  read: { list: `$expand=${EXPAND}`, expand: EXPAND, select: "$select=id,displayName,description" },
  settingsCatalog: false,
  // https://learn.microsoft.com/graph/api/intune-deviceconfig-windows10compliancepolicy-update?view=graph-rest-beta
  update: "PATCH",
  // https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-assign?view=graph-rest-beta
  assignKey: "assignments",
  assignmentIntent: false,
  writtenByAction: [
    // Required with the create (the portal's request, captured in deploymenttheory/terraform-provider-microsoft365:
    // …/windows_device_compliance_policy/resource_docs/create_reqs.md); PATCH refuses navigation properties, so
    // grace-period and action changes go through the scheduleActionsForRules action (204, replaces them):
    // microsoftgraph/microsoft-graph-docs-contrib
    // api-reference/beta/api/intune-deviceconfig-devicecompliancepolicy-scheduleactionsforrules.md
    {
      field: "scheduledActionsForRule",
      action: "scheduleActionsForRules",
      bodyKey: "deviceComplianceScheduledActionForRules",
    },
  ],
  // A create sends ruleName "PasswordRequired" (the only value: "scheduled actions are created per policy instead
  // of per rule", api-reference/v1.0/resources/intune-deviceconfig-devicecompliancescheduledactionforrule.md);
  // Graph reads it back as null (SkipToTheEndpoint/OpenIntuneBaseline,
  // WINDOWS/IntuneManagement/CompliancePolicies/*.json).
  serverOwned: [],
  notReadBack: [{ field: "scheduledActionsForRule", keys: ["ruleName"] }],
  // Intune generates a read-only "Built-in WSL Compliance" script for a policy with WSL distributions; its
  // reference and flag are computed (MicrosoftDocs/memdocs: intune/device-security/compliance/wsl.md;
  // microsoft365 Terraform provider, windows_device_compliance_policy/resource.go, treats it as computed).
  computed: [{ when: "wslDistributions", fields: ["deviceCompliancePolicyScript", "customComplianceRequired"] }],
  replaceOn: ["@odata.type"],
  pulumiType: "CompliancePolicy",
  permissionArea: "configuration",
  permissions: { read: "DeviceManagementConfiguration.Read.All", write: "DeviceManagementConfiguration.ReadWrite.All" },
} as const satisfies KindSpec;
