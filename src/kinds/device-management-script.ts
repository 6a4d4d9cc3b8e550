// Intune platform scripts (`deviceManagementScript`, beta only): a PowerShell script run once per user
// (or device) by the Intune management extension.
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta
import type { KindSpec } from "./kind-spec";

export const deviceManagementScriptKind = {
  kind: "deviceManagementScript",
  label: "platform script",
  labelPlural: "platform scripts",
  collection: "deviceManagement/deviceManagementScripts",
  // The resource has no v1.0 page (the Graph docs list it under beta only).
  apiVersion: "beta",
  servedOn: ["beta"],
  odataType: "deviceManagementScript",
  entityType: "microsoft.graph.deviceManagementScript",
  abstract: false,
  recognises: /^devicemanagementscript$/,
  nameField: "displayName",
  read: { list: "$expand=assignments", expand: "assignments", select: "$select=id,displayName,description" },
  settingsCatalog: false,
  // https://learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-update?view=graph-rest-beta
  update: "PATCH",
  // https://learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-assign?view=graph-rest-beta
  assignKey: "deviceManagementScriptAssignments",
  assignmentIntent: false,
  writtenByAction: [],
  notReadBack: [],
  computed: [],
  serverOwned: [],
  replaceOn: ["@odata.type"],
  scriptContent: ["scriptContent"],
  pulumiType: "PlatformScript",
  permissionArea: "configuration",
  permissions: { read: "DeviceManagementConfiguration.Read.All", write: "DeviceManagementConfiguration.ReadWrite.All" },
} as const satisfies KindSpec;
