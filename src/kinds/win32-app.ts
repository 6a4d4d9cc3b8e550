// Win32 line-of-business apps (`win32LobApp` in the abstract `mobileApp` collection): the Defender for
// Endpoint plug-in for WSL. https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobapp?view=graph-rest-beta
import type { KindSpec } from "./kind-spec";

/** mobileApp is abstract and the collection holds every app of the tenant; only Win32 apps are read. */
const WIN32_ONLY = `$filter=${encodeURIComponent("isof('microsoft.graph.win32LobApp')")}`;

export const win32AppKind = {
  kind: "mobileApp",
  label: "Win32 app",
  labelPlural: "Win32 apps",
  collection: "deviceAppManagement/mobileApps",
  apiVersion: "beta",
  servedOn: ["beta", "v1.0"],
  odataType: "win32LobApp",
  entityType: "microsoft.graph.mobileApp",
  abstract: true,
  recognises: /app$|lobapp|storeapp/,
  nameField: "displayName",
  read: {
    list: `${WIN32_ONLY}&$expand=assignments`,
    expand: "assignments",
    select: `${WIN32_ONLY}&$select=id,displayName,description`,
    onlyType: "win32LobApp",
  },
  settingsCatalog: false,
  // https://learn.microsoft.com/graph/api/intune-apps-win32lobapp-update?view=graph-rest-beta
  update: "PATCH",
  // https://learn.microsoft.com/graph/api/intune-apps-mobileapp-assign?view=graph-rest-beta
  assignKey: "mobileAppAssignments",
  assignmentIntent: true,
  writtenByAction: [],
  notReadBack: [],
  // Set by the content upload and by the service (https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobapp?view=graph-rest-beta).
  serverOwned: [
    "publishingState",
    "uploadState",
    "committedContentVersion",
    "size",
    "dependentAppCount",
    "supersedingAppCount",
    "supersededAppCount",
    // The legacy mirror of `rules` the service writes beside them (a real GET: SkipToTheEndpoint/OpenIntuneBaseline
    // WINDOWS/IntuneManagement/Applications/Computer Name Rename.json); `rules` is what is compared.
    "detectionRules",
    "requirementRules",
  ],
  computed: [],
  replaceOn: ["@odata.type"],
  pulumiType: "MobileApp",
  permissionArea: "apps",
  permissions: { read: "DeviceManagementApps.Read.All", write: "DeviceManagementApps.ReadWrite.All" },
} as const satisfies KindSpec;
