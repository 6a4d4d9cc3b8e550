// Settings-catalog policies (`deviceManagementConfigurationPolicy`, beta only).
// https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta
import type { KindSpec } from "./kind-spec";

export const configurationPolicyKind = {
  kind: "configurationPolicy",
  label: "configuration policy",
  labelPlural: "configuration policies",
  collection: "deviceManagement/configurationPolicies",
  apiVersion: "beta",
  servedOn: ["beta"],
  odataType: "deviceManagementConfigurationPolicy",
  entityType: "microsoft.graph.deviceManagementConfigurationPolicy",
  abstract: false,
  recognises: /^devicemanagementconfigurationpolicy$/,
  nameField: "name",
  read: {
    // 100 per page (the default is 25); settings are read per policy: expanding them on the list shrinks
    // pages to one or two policies.
    list: "$top=100&$expand=assignments",
    expand: "assignments",
    select: "$top=100&$select=id,name,description",
  },
  settingsCatalog: true,
  // PUT replaces settings wholesale; PATCH cannot touch them.
  // https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-update?view=graph-rest-beta
  update: "PUT",
  // https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-assign?view=graph-rest-beta
  assignKey: "assignments",
  assignmentIntent: false,
  writtenByAction: [],
  notReadBack: [],
  serverOwned: ["settingCount", "creationSource", "priorityMetaData", "disableEntraGroupPolicyAssignment"],
  computed: [],
  // "Platform, PolicyType, and CreationSource cannot be changed once created." (the service's PUT error)
  replaceOn: ["@odata.type", "platforms", "technologies", "templateReference"],
  pulumiType: "ConfigurationPolicy",
  permissionArea: "configuration",
  permissions: { read: "DeviceManagementConfiguration.Read.All", write: "DeviceManagementConfiguration.ReadWrite.All" },
} as const satisfies KindSpec;
