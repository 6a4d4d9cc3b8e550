// Generates seeds/demo-tenant.json: the Northwind Traders demo tenant (docs/demo-organisation.md) as a
// tenant snapshot in Graph's read shape, the way a real export looks (server fields, `@odata` annotations,
// positional setting ids, filter defaults). Deterministic: ids are name-derived GUIDs, dates are fixed.
// Run: npx tsx scripts/generate-demo-tenant.ts
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { settingIds } from "../src/catalog";
import { COLLECTIONS, ODATA, VIRTUAL_GROUP_IDS, withMarker } from "../src/model";
import {
  groupShape,
  NO_TEMPLATE,
  readPolicyAssignments,
  readSettings,
  readTarget,
  win32AppShape,
  type Json,
} from "../src/emulator/shapes";

const TENANT = "https://graph.microsoft.com/beta/$metadata#";

/** A stable GUID derived from a name (UUID v5 layout over sha1). */
function guid(name: string): string {
  const h = createHash("sha1").update(`northwind:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A fixed Graph timestamp (7 fractional digits) `days` after 2025-01-06. */
function at(days: number, salt = 0): string {
  const d = new Date(Date.UTC(2025, 0, 6, 8, 0, 0) + days * 86_400_000 + (salt % 36_000) * 1000);
  return d.toISOString().replace(/\.\d{3}Z$/, `.${String(1_000_000 + ((salt * 7919) % 9_000_000)).slice(0, 7)}Z`);
}

// ---- setting instance builders (request form; readSettings turns them into the read shape) --------------

type Instance = Json;
const choice = (
  id: string,
  value: string,
  children: Instance[] = [],
  templ?: { instance?: string; value?: string },
): Instance => ({
  "@odata.type": ODATA.choiceInstance,
  settingDefinitionId: id,
  ...(templ?.instance ? { settingInstanceTemplateReference: { settingInstanceTemplateId: templ.instance } } : {}),
  choiceSettingValue: {
    value,
    children,
    ...(templ?.value
      ? { settingValueTemplateReference: { settingValueTemplateId: templ.value, useTemplateDefault: false } }
      : {}),
  },
});
const flag = (id: string, on: boolean, children: Instance[] = []) => choice(id, `${id}_${on ? 1 : 0}`, children);
const int = (id: string, value: number): Instance => ({
  "@odata.type": ODATA.simpleInstance,
  settingDefinitionId: id,
  simpleSettingValue: { "@odata.type": ODATA.integerValue, value },
});
const str = (id: string, value: string): Instance => ({
  "@odata.type": ODATA.simpleInstance,
  settingDefinitionId: id,
  simpleSettingValue: { "@odata.type": ODATA.stringValue, value },
});
const strList = (id: string, values: string[]): Instance => ({
  "@odata.type": ODATA.simpleCollectionInstance,
  settingDefinitionId: id,
  simpleSettingCollectionValue: values.map((value) => ({ "@odata.type": ODATA.stringValue, value })),
});
const wrap = (instances: Instance[]) =>
  instances.map((settingInstance) => ({ "@odata.type": ODATA.setting, settingInstance }));

// ---- groups ---------------------------------------------------------------------------------------------

function group(
  name: string,
  kind: "assigned-device" | "assigned-user" | "dynamic-device",
  opts: { description: string; rule?: string; key?: string; created: number },
): Json {
  const dynamic = kind === "dynamic-device";
  const nick = name.replace(/[^A-Za-z0-9]/g, "") + (opts.key ? `-${opts.key}` : "");
  const created = at(opts.created).replace(/\.\d+Z$/, "Z");
  return groupShape({
    id: guid(`group:${name}:${opts.key ?? ""}`),
    createdDateTime: created,
    description: opts.description,
    displayName: name,
    groupTypes: dynamic ? ["DynamicMembership"] : [],
    mailNickname: nick,
    membershipRule: dynamic ? opts.rule : null,
    membershipRuleProcessingState: dynamic ? "On" : null,
    renewedDateTime: created,
    securityIdentifier: `S-1-12-1-${parseInt(guid(name).slice(0, 8), 16)}-${parseInt(guid(name).slice(9, 13), 16)}-${parseInt(guid(name).slice(24, 32), 16)}-${opts.created}`,
  });
}

const groups = [
  group("All Windows Workstations", "dynamic-device", {
    description: "Every corporate Windows workstation.",
    rule: '(device.deviceOSType -eq "Windows") and (device.deviceOwnership -eq "Company")',
    created: 3,
  }),
  group("Developer Workstations", "assigned-device", {
    description: "Workstations of the engineering department.",
    created: 4,
  }),
  group("Kiosk Devices", "dynamic-device", {
    description: "Shared kiosk and front-desk devices.",
    rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:KIOSK")',
    created: 4,
  }),
  group("Platform Engineering", "assigned-user", { description: "The platform engineering team.", created: 5 }),
  group("Contractors", "assigned-user", { description: "External contractors (engineering).", key: "eng", created: 9 }),
  group("Contractors", "assigned-user", {
    description: "External contractors (facilities), created by the service desk.",
    key: "fac",
    created: 40,
  }),
  group("Finance Users", "assigned-user", { description: "Finance department.", created: 6 }),
  group("Sales Users", "assigned-user", { description: "Sales department.", created: 6 }),
  group("All macOS Devices", "dynamic-device", {
    description: "Every corporate Mac.",
    rule: '(device.deviceOSType -eq "MacMDM")',
    created: 7,
  }),
  group("All iOS Devices", "dynamic-device", {
    description: "Every corporate iPhone and iPad.",
    rule: '(device.deviceOSType -eq "iPhone") or (device.deviceOSType -eq "iPad")',
    created: 7,
  }),
  group("Windows Update Ring - Preview", "assigned-device", {
    description: "Devices that take Windows feature updates first.",
    created: 12,
  }),
  group("BitLocker Exceptions", "assigned-device", {
    description: "Lab devices exempt from BitLocker enforcement.",
    created: 20,
  }),
];
const gid = (name: string, key?: string) =>
  groups.find((g) => g.displayName === name && (key === undefined || String(g.mailNickname).endsWith(key)))!
    .id as string;

// ---- assignment filter ----------------------------------------------------------------------------------

const filterId = guid("filter:Windows 11 corporate");
const assignmentFilters = [
  {
    id: filterId,
    createdDateTime: at(8, 11),
    lastModifiedDateTime: at(8, 11),
    displayName: "Windows 11 corporate",
    description: "Windows 11 devices owned by Northwind.",
    platform: "windows10AndLater",
    rule: '(device.osVersion -startsWith "10.0.22") and (device.deviceOwnership -eq "Corporate")',
    roleScopeTags: ["0"],
    payloads: [],
    assignmentFilterManagementType: "devices",
  },
];

// ---- configuration policies -----------------------------------------------------------------------------

const groupTarget = (groupId: string, filter?: { id: string; type: "include" | "exclude" }) => ({
  "@odata.type": ODATA.groupTarget,
  groupId,
  ...(filter
    ? { deviceAndAppManagementAssignmentFilterId: filter.id, deviceAndAppManagementAssignmentFilterType: filter.type }
    : {}),
});
const exclusion = (groupId: string) => ({ "@odata.type": ODATA.exclusionGroupTarget, groupId });
const allDevices = () => ({ "@odata.type": ODATA.allDevicesTarget });
const allUsers = () => ({ "@odata.type": ODATA.allUsersTarget });

interface PolicySpec {
  key: string;
  name: string;
  description?: string;
  created: number;
  modified?: number;
  technologies?: string;
  platforms?: string;
  template?: {
    templateId: string;
    templateFamily: string;
    templateDisplayName: string;
    templateDisplayVersion: string;
  };
  settings: Instance[];
  targets: Json[];
}

function policy(spec: PolicySpec): Json {
  const id = guid(`policy:${spec.key}`);
  const settings = readSettings(wrap(spec.settings));
  return {
    createdDateTime: at(spec.created, spec.key.length),
    creationSource: null,
    description: spec.description ?? "",
    lastModifiedDateTime: at(spec.modified ?? spec.created, spec.key.length + 1),
    name: spec.name,
    platforms: spec.platforms ?? "windows10",
    priorityMetaData: null,
    roleScopeTagIds: ["0"],
    settingCount: settings.length,
    technologies: spec.technologies ?? "mdm",
    id,
    templateReference: spec.template ?? { ...NO_TEMPLATE },
    "settings@odata.context": `${TENANT}deviceManagement/configurationPolicies('${id}')/settings`,
    settings,
    "assignments@odata.context": `${TENANT}deviceManagement/configurationPolicies('${id}')/assignments`,
    assignments: readPolicyAssignments(
      id,
      spec.targets.map((target) => ({ target })),
    ),
  };
}

const wsl = settingIds.wsl;
const vm = settingIds.hyperVVm;
const FW = "vendor_msft_firewall_mdmstore_";

const configurationPolicies: Json[] = [
  // portal-made, no marker: conflicts with wsl-developers (WSL1 and the debug shell enabled for every device)
  policy({
    key: "legacy-developer-exceptions",
    name: "Win - WSL - Legacy developer exceptions",
    description: "Created in 2024 for the build team. Allows WSL 1 and the debug shell.",
    created: 30,
    modified: 95,
    settings: [flag(wsl.allowWsl1, true), flag(wsl.allowDebugShell, true)],
    targets: [allDevices()],
  }),
  // Endpoint security > Firewall > Windows Firewall; template ids from the real export / mock
  policy({
    key: "es-windows-firewall-baseline",
    name: "Win - ES - Windows Firewall - Baseline",
    description: "Endpoint security firewall baseline for all Windows devices.",
    created: 45,
    modified: 120,
    technologies: "mdm,microsoftSense",
    template: {
      templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
      templateFamily: "endpointSecurityFirewall",
      templateDisplayName: "Windows Firewall",
      templateDisplayVersion: "Version 1",
    },
    settings: [
      choice(`${FW}global_disablestatefulftp`, `${FW}global_disablestatefulftp_true`, [], {
        instance: "38329af6-2670-4a71-972d-482010ca97fc",
      }),
      choice(
        `${FW}domainprofile_enablefirewall`,
        `${FW}domainprofile_enablefirewall_true`,
        [
          choice(`${FW}domainprofile_defaultinboundaction`, `${FW}domainprofile_defaultinboundaction_1`),
          choice(`${FW}domainprofile_defaultoutboundaction`, `${FW}domainprofile_defaultoutboundaction_0`),
        ],
        { instance: "7714c373-a19a-4b64-ba6d-2e9db04a7684", value: "120c5dbe-0c88-46f0-b897-2c996d3e5277" },
      ),
      {
        "@odata.type": ODATA.groupCollectionInstance,
        settingDefinitionId: vm.group,
        settingInstanceTemplateReference: { settingInstanceTemplateId: "24805bd4-1133-4790-82ae-4caa63e16aa6" },
        groupSettingCollectionValue: [
          {
            children: [
              choice(vm.target, vm.targetWsl, [
                choice(vm.profile("domain").enableFirewall, `${vm.profile("domain").enableFirewall}_true`),
                choice(vm.profile("private").enableFirewall, `${vm.profile("private").enableFirewall}_true`),
                choice(vm.profile("public").enableFirewall, `${vm.profile("public").enableFirewall}_true`, [
                  choice(vm.profile("public").defaultInboundAction, `${vm.profile("public").defaultInboundAction}_0`),
                ]),
              ]),
            ],
          },
        ],
      },
    ],
    targets: [allDevices()],
  }),
  // managed copy of wsl-off as an earlier apply left it (rings did not exist then); Allow WSL since switched to
  // Enabled in the portal
  policy({
    key: "managed-wsl-off",
    name: "Win - WSL - Off",
    description: withMarker(
      "Blocks the Windows Subsystem for Linux on every workstation that is not a developer device.",
      { stack: "local", policyId: "wsl-off" },
    ),
    created: 150,
    modified: 171,
    settings: [flag(wsl.allowWsl, true)],
    targets: [groupTarget(gid("All Windows Workstations")), exclusion(gid("Developer Workstations"))],
  }),
  // managed, no longer declared in policies/: the plan deletes it
  policy({
    key: "managed-wsl-legacy-pilot",
    name: "Win - WSL - Legacy pilot",
    description: withMarker("First WSL pilot: WSL allowed, inbox WSL off.", {
      stack: "local",
      policyId: "wsl-legacy-pilot",
    }),
    created: 140,
    settings: [flag(wsl.allowWsl, true), flag(wsl.allowInboxWsl, false)],
    targets: [groupTarget(gid("Developer Workstations"))],
  }),
];

// Unrelated policies (settings outside the pinned catalog, as in any real tenant) so that reads page.
const EDGE = "device_vendor_msft_policy_config_microsoft_edge~policy~microsoft_edge";
const edgeFlags = [
  "passwordmanagerenabled",
  "smartscreenenabled",
  "smartscreenpuaenabled",
  "preventsmartscreenpromptoverride",
  "preventsmartscreenpromptoverrideforfiles",
  "autofilladdressenabled",
  "autofillcreditcardenabled",
  "importautofillformdata",
  "importbrowsersettings",
  "importcookies",
  "importextensions",
  "importfavorites",
  "importhistory",
  "importhomepage",
  "importopentabs",
  "importpaymentinfo",
  "importsavedpasswords",
  "importsearchengine",
  "importshortcuts",
  "blockthirdpartycookies",
  "showhomebutton",
  "hidefirstrunexperience",
  "edgecollectionsenabled",
  "edgeshoppingassistantenabled",
  "personalizationreportingenabled",
  "paymentmethodqueryenabled",
  "resolvenavigationerrorsusewebservice",
  "searchsuggestenabled",
  "sitesafetyservicesenabled",
  "typosquattingcheckerenabled",
];
const DEF = "device_vendor_msft_policy_config_defender_";
const BL = "device_vendor_msft_bitlocker_";
const unrelated: Array<Omit<PolicySpec, "created" | "targets"> & { targets?: Json[] }> = [
  {
    key: "edge-security",
    name: "Win - Edge - Security baseline",
    description: "Microsoft Edge hardening (30 settings).",
    settings: edgeFlags.map((f, i) => flag(`${EDGE}_${f}`, i % 3 !== 0)),
  },
  {
    key: "edge-updates",
    name: "Win - Edge - Updates",
    settings: [
      choice(`${EDGE}_relaunchnotification`, `${EDGE}_relaunchnotification_1`, [
        choice(
          `${EDGE}_relaunchnotification_relaunchnotification`,
          `${EDGE}_relaunchnotification_relaunchnotification_2`,
        ),
      ]),
    ],
  },
  {
    key: "defender-av",
    name: "Win - Defender - Antivirus",
    settings: [
      choice(`${DEF}allowrealtimemonitoring`, `${DEF}allowrealtimemonitoring_1`),
      int(`${DEF}avgcpuloadfactor`, 30),
      strList(`${DEF}excludedpaths`, ["C:\\BuildAgent\\_work", "D:\\Data"]),
    ],
  },
  {
    key: "defender-cloud",
    name: "Win - Defender - Cloud protection",
    settings: [
      choice(`${DEF}allowcloudprotection`, `${DEF}allowcloudprotection_1`),
      choice(`${DEF}cloudblocklevel`, `${DEF}cloudblocklevel_2`),
      int(`${DEF}cloudextendedtimeout`, 50),
    ],
  },
  {
    key: "defender-scans",
    name: "Win - Defender - Scheduled scans",
    settings: [
      choice(`${DEF}scanparameter`, `${DEF}scanparameter_1`),
      int(`${DEF}schedulequickscantime`, 720),
      choice(`${DEF}allowarchivescanning`, `${DEF}allowarchivescanning_1`),
    ],
  },
  {
    key: "bitlocker-os",
    name: "Win - BitLocker - OS drive",
    settings: [
      choice(`${BL}requiredeviceencryption`, `${BL}requiredeviceencryption_1`),
      choice(`${BL}allowwarningforotherdiskencryption`, `${BL}allowwarningforotherdiskencryption_0`),
    ],
  },
  {
    key: "bitlocker-fixed",
    name: "Win - BitLocker - Fixed drives",
    settings: [choice(`${BL}fixeddrivesrequireencryption`, `${BL}fixeddrivesrequireencryption_1`)],
  },
  {
    key: "bitlocker-removable",
    name: "Win - BitLocker - Removable drives",
    settings: [
      choice(
        `${BL}removabledrivesconfigurebdeforrestrictaccess`,
        `${BL}removabledrivesconfigurebdeforrestrictaccess_0`,
      ),
    ],
  },
  {
    key: "logon-banner",
    name: "Win - Security - Logon banner",
    settings: [
      str(
        "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetextforusersattemptingtologon",
        "Authorised use only. Activity is monitored.",
      ),
      str(
        "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetitleforusersattemptingtologon",
        "Northwind Traders",
      ),
    ],
  },
  {
    key: "lock-screen",
    name: "Win - Security - Lock screen",
    settings: [
      int("device_vendor_msft_policy_config_devicelock_maxinactivitytimedevicelock", 15),
      choice(
        "device_vendor_msft_policy_config_devicelock_preventenablinglockscreencamera",
        "device_vendor_msft_policy_config_devicelock_preventenablinglockscreencamera_1",
      ),
    ],
  },
  {
    key: "windows-hello",
    name: "Win - Identity - Windows Hello for Business",
    settings: [
      choice(
        "device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork",
        "device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork_true",
      ),
    ],
  },
  {
    key: "laps",
    name: "Win - Identity - LAPS",
    settings: [
      choice("device_vendor_msft_laps_policies_backupdirectory", "device_vendor_msft_laps_policies_backupdirectory_1"),
      int("device_vendor_msft_laps_policies_passwordagedays_aad", 30),
    ],
  },
  {
    key: "onedrive-kfm",
    name: "Win - OneDrive - Known folder move",
    settings: [
      str(
        "device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin_kfmsilentoptin_textbox",
        "4b1c2d3e-0000-4000-8000-000000000001",
      ),
    ],
  },
  {
    key: "onedrive-tenants",
    name: "Win - OneDrive - Allowed tenants",
    settings: [flag("device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_allowtenantlist", true)],
  },
  {
    key: "office-updates",
    name: "Win - Microsoft 365 Apps - Update channel",
    settings: [
      flag(
        "device_vendor_msft_policy_config_office16v2~policy~l_microsoftofficemachine~l_updates_l_updatebranch",
        true,
      ),
    ],
  },
  {
    key: "delivery-optimization",
    name: "Win - Delivery Optimization",
    settings: [
      choice(
        "device_vendor_msft_policy_config_deliveryoptimization_dodownloadmode",
        "device_vendor_msft_policy_config_deliveryoptimization_dodownloadmode_1",
      ),
    ],
  },
  {
    key: "wufb-quality",
    name: "Win - Windows Update - Quality updates",
    settings: [
      int("device_vendor_msft_policy_config_update_deferqualityupdatesperiodindays", 7),
      int("device_vendor_msft_policy_config_update_configuredeadlineforqualityupdates", 3),
    ],
  },
  {
    key: "wufb-feature",
    name: "Win - Windows Update - Feature updates",
    settings: [int("device_vendor_msft_policy_config_update_deferfeatureupdatesperiodindays", 30)],
  },
  {
    key: "power",
    name: "Win - Power - Sleep settings",
    settings: [int("device_vendor_msft_policy_config_power_standbytimeoutpluggedin", 3600)],
  },
  {
    key: "start-menu",
    name: "Win - Experience - Start menu",
    settings: [
      choice(
        "device_vendor_msft_policy_config_start_hiderecentlyaddedapps",
        "device_vendor_msft_policy_config_start_hiderecentlyaddedapps_1",
      ),
    ],
    targets: [allUsers()],
  },
  {
    key: "privacy",
    name: "Win - Privacy - Telemetry",
    settings: [
      choice(
        "device_vendor_msft_policy_config_system_allowtelemetry",
        "device_vendor_msft_policy_config_system_allowtelemetry_1",
      ),
    ],
  },
  {
    key: "smartscreen",
    name: "Win - SmartScreen",
    settings: [
      choice(
        "device_vendor_msft_policy_config_smartscreen_enablesmartscreeninshell",
        "device_vendor_msft_policy_config_smartscreen_enablesmartscreeninshell_1",
      ),
    ],
  },
  {
    key: "asr",
    name: "Win - Defender - Attack surface reduction (audit)",
    settings: [choice(`${DEF}enablenetworkprotection`, `${DEF}enablenetworkprotection_2`)],
  },
  {
    key: "kiosk-browser",
    name: "Win - Kiosk - Browser lockdown",
    settings: [flag(`${EDGE}_kioskaddressbareditingenabled`, false)],
    targets: [groupTarget(gid("Kiosk Devices"))],
  },
  {
    key: "kiosk-session",
    name: "Win - Kiosk - Session timeout",
    settings: [int("device_vendor_msft_policy_config_devicelock_maxinactivitytimedevicelock", 5)],
    targets: [groupTarget(gid("Kiosk Devices"))],
  },
  {
    key: "finance-usb",
    name: "Win - Finance - Block removable storage",
    settings: [
      choice(
        "device_vendor_msft_policy_config_storage_removablediskdenywriteaccess",
        "device_vendor_msft_policy_config_storage_removablediskdenywriteaccess_1",
      ),
    ],
    targets: [groupTarget(gid("Finance Users"))],
  },
  {
    key: "mac-filevault",
    name: "macOS - FileVault",
    platforms: "macOS",
    technologies: "mdm,appleRemoteManagement",
    settings: [choice("com.apple.mcx.filevault2_enable", "com.apple.mcx.filevault2_enable_0")],
    targets: [groupTarget(gid("All macOS Devices"))],
  },
  {
    key: "mac-gatekeeper",
    name: "macOS - Gatekeeper",
    platforms: "macOS",
    technologies: "mdm,appleRemoteManagement",
    settings: [
      choice("com.apple.systempolicy.control_enableassessment", "com.apple.systempolicy.control_enableassessment_true"),
    ],
    targets: [groupTarget(gid("All macOS Devices"))],
  },
  {
    key: "mac-updates",
    name: "macOS - Software updates",
    platforms: "macOS",
    technologies: "mdm,appleRemoteManagement",
    settings: [int("ddm-latestsoftwareupdate_delayindays", 7)],
    targets: [groupTarget(gid("All macOS Devices"))],
  },
  {
    key: "ios-restrictions",
    name: "iOS - Restrictions",
    platforms: "iOS",
    technologies: "mdm,appleRemoteManagement",
    settings: [choice("com.apple.applicationaccess_allowcamera", "com.apple.applicationaccess_allowcamera_true")],
    targets: [groupTarget(gid("All iOS Devices"))],
  },
  {
    key: "preview-ring",
    name: "Win - Windows Update - Preview ring",
    settings: [int("device_vendor_msft_policy_config_update_deferfeatureupdatesperiodindays", 0)],
    targets: [groupTarget(gid("Windows Update Ring - Preview"))],
  },
  {
    key: "unassigned-draft",
    name: "Win - Draft - Credential Guard (not assigned)",
    settings: [
      choice(
        "device_vendor_msft_policy_config_deviceguard_configuresystemguardlaunch",
        "device_vendor_msft_policy_config_deviceguard_configuresystemguardlaunch_1",
      ),
    ],
    targets: [],
  },
];
unrelated.forEach((p, i) => {
  configurationPolicies.push(
    policy({
      ...p,
      created: 10 + i * 3,
      modified: 60 + i * 4,
      targets: p.targets ?? [
        groupTarget(gid("All Windows Workstations"), i % 4 === 0 ? { id: filterId, type: "include" } : undefined),
        ...(i % 5 === 0 ? [exclusion(gid("BitLocker Exceptions"))] : []),
      ],
    }),
  );
});

// ---- compliance policies --------------------------------------------------------------------------------

function compliance(
  key: string,
  type: string,
  displayName: string,
  props: Json,
  targets: Json[],
  created: number,
): Json {
  const id = guid(`compliance:${key}`);
  return {
    "@odata.type": type,
    id,
    createdDateTime: at(created, key.length),
    description: "",
    lastModifiedDateTime: at(created + 20, key.length),
    displayName,
    version: 2,
    roleScopeTagIds: ["0"],
    ...props,
    "scheduledActionsForRule@odata.context": `${TENANT}deviceManagement/deviceCompliancePolicies('${id}')/scheduledActionsForRule`,
    scheduledActionsForRule: [
      {
        id: guid(`rule:${key}`),
        ruleName: null,
        scheduledActionConfigurations: [
          {
            id: guid(`action:${key}`),
            gracePeriodHours: 0,
            actionType: "block",
            notificationTemplateId: "00000000-0000-0000-0000-000000000000",
            notificationMessageCCList: [],
          },
        ],
      },
    ],
    "assignments@odata.context": `${TENANT}deviceManagement/deviceCompliancePolicies('${id}')/assignments`,
    assignments: readPolicyAssignments(
      id,
      targets.map((target) => ({ target })),
    ),
  };
}

const compliancePolicies = [
  compliance(
    "win-baseline",
    ODATA.windows10CompliancePolicy,
    "Win - Compliance - Baseline",
    {
      passwordRequired: false,
      osMinimumVersion: "10.0.19045",
      bitLockerEnabled: true,
      secureBootEnabled: true,
      codeIntegrityEnabled: true,
      defenderEnabled: true,
      rtpEnabled: true,
      antivirusRequired: true,
      firewallEnabled: true,
      deviceThreatProtectionEnabled: false,
      deviceThreatProtectionRequiredSecurityLevel: "unavailable",
      wslDistributions: [],
    },
    [groupTarget(gid("All Windows Workstations"))],
    25,
  ),
  compliance(
    "mac-baseline",
    "#microsoft.graph.macOSCompliancePolicy",
    "macOS - Compliance - Baseline",
    {
      osMinimumVersion: "14.0",
      storageRequireEncryption: true,
      firewallEnabled: true,
      systemIntegrityProtectionEnabled: true,
    },
    [groupTarget(gid("All macOS Devices"))],
    26,
  ),
  compliance(
    "ios-baseline",
    "#microsoft.graph.iosCompliancePolicy",
    "iOS - Compliance - Baseline",
    { osMinimumVersion: "17.0", passcodeRequired: true, securityBlockJailbrokenDevices: true },
    [groupTarget(gid("All iOS Devices"))],
    27,
  ),
];

// ---- apps -----------------------------------------------------------------------------------------------

function win32App(
  key: string,
  displayName: string,
  publisher: string,
  fileName: string,
  displayVersion: string,
  size: number,
  assignments: Json[],
  created: number,
  extra: Json = {},
): Json {
  const id = guid(`app:${key}`);
  return win32AppShape({
    "@odata.type": ODATA.win32LobApp,
    id,
    displayName,
    description: displayName,
    publisher,
    createdDateTime: at(created, key.length).replace(/\.(\d{7})Z$/, ".$1Z"),
    lastModifiedDateTime: at(created + 2, key.length),
    uploadState: 1,
    publishingState: "published",
    isAssigned: assignments.length > 0,
    committedContentVersion: "1",
    fileName,
    size,
    installCommandLine: fileName.endsWith(".msi") ? `msiexec /i "${fileName}" /qn` : `${fileName} /S`,
    uninstallCommandLine: fileName.endsWith(".msi")
      ? `msiexec /x "{${guid(`product:${key}`).toUpperCase()}}" /qn`
      : "uninstall.exe /S",
    applicableArchitectures: "x64",
    allowedArchitectures: null,
    minimumFreeDiskSpaceInMB: null,
    minimumMemoryInMB: null,
    minimumNumberOfProcessors: null,
    minimumCpuSpeedInMHz: null,
    minimumSupportedWindowsRelease: "21H1",
    displayVersion,
    allowAvailableUninstall: false,
    setupFilePath: fileName,
    installExperience: { runAsAccount: "system", maxRunTimeInMinutes: 60, deviceRestartBehavior: "suppress" },
    returnCodes: [
      { returnCode: 0, type: "success" },
      { returnCode: 1707, type: "success" },
      { returnCode: 3010, type: "softReboot" },
      { returnCode: 1641, type: "hardReboot" },
      { returnCode: 1618, type: "retry" },
    ],
    msiInformation: fileName.endsWith(".msi")
      ? {
          productCode: `{${guid(`product:${key}`).toUpperCase()}}`,
          productVersion: displayVersion,
          upgradeCode: `{${guid(`upgrade:${key}`).toUpperCase()}}`,
          requiresReboot: false,
          packageType: "perMachine",
          productName: displayName,
          publisher,
        }
      : null,
    ...extra,
    "assignments@odata.context": `${TENANT}deviceAppManagement/mobileApps('${id}')/assignments`,
    assignments: assignments.map((a, i) => ({
      "@odata.type": ODATA.mobileAppAssignment,
      id: `${String((a.target as Json).groupId ?? VIRTUAL_GROUP_IDS.allDevices)}_${i}_0`,
      intent: a.intent,
      source: "direct",
      sourceId: id,
      target: readTarget(a.target as Json),
      settings: a.settings ?? null,
    })),
  });
}

const win32Settings = (deadlineDays: number) => ({
  "@odata.type": ODATA.win32LobAppAssignmentSettings,
  notifications: "showReboot",
  restartSettings: null,
  installTimeSettings: {
    useLocalTime: true,
    startDateTime: at(deadlineDays - 3).replace(/\.\d+Z$/, "Z"),
    deadlineDateTime: at(deadlineDays).replace(/\.\d+Z$/, "Z"),
  },
  deliveryOptimizationPriority: "notConfigured",
  autoUpdateSettings: null,
});

const mobileApps = [
  win32App(
    "intune-wsl-plugin",
    "Intune WSL Plugin",
    "Microsoft Intune",
    "IntuneWSLPluginInstaller.msi",
    "1.25.04.0",
    1_482_752,
    [{ intent: "required", target: groupTarget(gid("All Windows Workstations")), settings: win32Settings(100) }],
    90,
  ),
  win32App(
    "7zip",
    "7-Zip 23.01 (x64)",
    "Igor Pavlov",
    "7z2301-x64.msi",
    "23.01.00.0",
    1_589_248,
    [{ intent: "available", target: groupTarget(gid("All Windows Workstations")), settings: win32Settings(50) }],
    20,
  ),
  win32App(
    "git",
    "Git for Windows",
    "The Git Development Community",
    "Git-2.45.2-64-bit.exe",
    "2.45.2",
    65_372_160,
    [{ intent: "required", target: groupTarget(gid("Developer Workstations")), settings: win32Settings(60) }],
    22,
  ),
  win32App("notepadpp", "Notepad++", "Notepad++ Team", "npp.8.6.9.Installer.x64.exe", "8.6.9", 5_025_792, [], 24),
];

// ---- write ----------------------------------------------------------------------------------------------

const snapshot = {
  [COLLECTIONS.configurationPolicies]: configurationPolicies,
  [COLLECTIONS.compliancePolicies]: compliancePolicies,
  [COLLECTIONS.mobileApps]: mobileApps,
  [COLLECTIONS.groups]: groups,
  [COLLECTIONS.assignmentFilters]: assignmentFilters,
};

const out = path.join(__dirname, "..", "seeds", "demo-tenant.json");
writeFileSync(out, `${JSON.stringify(snapshot, null, 2)}\n`);
console.log(
  `wrote ${out}: ${configurationPolicies.length} configuration policies, ${compliancePolicies.length} compliance policies, ${mobileApps.length} apps, ${groups.length} groups`,
);
