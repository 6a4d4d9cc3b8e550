// Intune Remediations (`deviceHealthScript`, beta only): a detection script and a remediation script run
// on a schedule; the remediation runs when the detection exits 1.
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscript?view=graph-rest-beta
// https://learn.microsoft.com/mem/intune/fundamentals/remediations
import type { KindSpec } from "./kind-spec";

export const deviceHealthScriptKind = {
  kind: "deviceHealthScript",
  label: "remediation",
  labelPlural: "remediations",
  collection: "deviceManagement/deviceHealthScripts",
  apiVersion: "beta",
  servedOn: ["beta"],
  odataType: "deviceHealthScript",
  entityType: "microsoft.graph.deviceHealthScript",
  abstract: false,
  recognises: /^devicehealthscript$/,
  nameField: "displayName",
  read: {
    list: "$expand=assignments",
    expand: "assignments",
    select: "$select=id,displayName,description",
    // Microsoft's own (global) scripts and managed-installer scripts share the collection; Microsoft365DSC
    // leaves them out too (microsoft/Microsoft365DSC: MSFT_IntuneDeviceRemediation.psm1).
    skip: [
      { field: "isGlobalScript", value: true },
      { field: "deviceHealthScriptType", value: "managedInstallerScript" },
    ],
  },
  settingsCatalog: false,
  // https://learn.microsoft.com/graph/api/intune-devices-devicehealthscript-update?view=graph-rest-beta
  update: "PATCH",
  // Only the action works: POST …/assignments answers "No OData route exists"
  // (deploymenttheory/terraform-provider-microsoft365#504).
  // https://learn.microsoft.com/graph/api/intune-devices-devicehealthscript-assign?view=graph-rest-beta
  assignKey: "deviceHealthScriptAssignments",
  assignmentIntent: false,
  assignmentSchedule: true,
  writtenByAction: [],
  notReadBack: [],
  // `version` and `highestAvailableVersion` are the service's ("Version can't be edited", remediations docs).
  computed: [
    {
      when: "detectionScriptContent",
      fields: [
        "version",
        "highestAvailableVersion",
        "isGlobalScript",
        "deviceHealthScriptType",
        "detectionScriptParameters",
        "remediationScriptParameters",
      ],
    },
  ],
  serverOwned: ["version", "highestAvailableVersion", "isGlobalScript"],
  replaceOn: ["@odata.type"],
  scriptContent: ["detectionScriptContent", "remediationScriptContent"],
  pulumiType: "Remediation",
  permissionArea: "configuration",
  permissions: { read: "DeviceManagementConfiguration.Read.All", write: "DeviceManagementConfiguration.ReadWrite.All" },
} as const satisfies KindSpec;
