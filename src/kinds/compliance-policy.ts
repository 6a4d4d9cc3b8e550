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
  createOnly: [
    // Required with the create (the portal's request, captured in deploymenttheory/terraform-provider-microsoft365:
    // …/windows_device_compliance_policy/resource_docs/create_reqs.md); PATCH does not take navigation properties.
    {
      field: "scheduledActionsForRule",
      afterwards: "not changed by wslpolicy: the block action it sets at create stays",
    },
  ],
  serverOwned: [],
  // Intune generates a read-only "Built-in WSL Compliance" script for a policy with WSL distributions; its
  // reference and flag are computed (MicrosoftDocs/memdocs: intune/device-security/compliance/wsl.md;
  // microsoft365 Terraform provider, windows_device_compliance_policy/resource.go, treats it as computed).
  computed: [{ when: "wslDistributions", fields: ["deviceCompliancePolicyScript", "customComplianceRequired"] }],
  replaceOn: ["@odata.type"],
  pulumiType: "CompliancePolicy",
  permissionArea: "configuration",
  permissions: { read: "DeviceManagementConfiguration.Read.All", write: "DeviceManagementConfiguration.ReadWrite.All" },
} as const satisfies KindSpec;
