// What `import` leaves alone or only partly imports, and says why: template-based policies it cannot adopt, objects
// this stack already manages, settings the pinned catalog does not know, and settings the intent model cannot express
// (kept as raw settings). Also the real OpenIntuneBaseline WSL export (SkipToTheEndpoint/OpenIntuneBaseline,
// WINDOWS/IntuneManagement/SettingsCatalog/), annotations and server fields included, which must import as a
// wslPolicy with its ten settings.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { importTenant } from "../../src/import";
import { liveObject, snapshotWith } from "./live";

const ID = "11111111-2222-4333-8444-555555555555";
const run = (configurationPolicies: object[], stack = "local") =>
  importTenant(snapshotWith({ configurationPolicies }), { stack, source: "a test" });

function choice(id: string, option: string, children: object[] = []) {
  return {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: id,
    choiceSettingValue: { value: option, children },
  };
}
const setting = (instance: object) => ({ settingInstance: instance });

describe("skipped objects", () => {
  it("skips a policy made from a template other than the Hyper-V firewall ones (Graph refuses changing its template)", () => {
    // Microsoft Defender Antivirus (endpointSecurityAntivirus) holding Hyper-V settings: nothing wslpolicy writes.
    const live = {
      ...liveObject({ kind: "hyperVFirewall", loopback: false }, ID),
      technologies: "mdm,microsoftSense",
      templateReference: {
        templateId: "804339ad-1553-4478-a742-138fb5807418_1",
        templateFamily: "endpointSecurityAntivirus",
      },
    };
    expect(run([live])).toMatchObject({
      files: [],
      skipped: [
        { objectId: ID, reason: expect.stringMatching(/template 804339ad.*endpointSecurityAntivirus.*cannot adopt/) },
      ],
    });
  });

  it("skips a Hyper-V firewall template policy that also sets what hyperVFirewall does not manage, or has other technologies", () => {
    const templated = liveObject({ kind: "hyperVFirewall", form: "endpointSecurity", loopback: false }, ID);
    expect(templated).toMatchObject({
      technologies: "mdm,microsoftSense",
      templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" },
    });
    // The portal's "Windows Firewall" profile also holds the host firewall (SkipToTheEndpoint/OpenIntuneBaseline
    // "Win - OIB - ES - Windows Firewall - D - Firewall Configuration - v3.1.json" sets global_disablestatefulftp).
    const ftp = setting(
      choice(
        "vendor_msft_firewall_mdmstore_global_disablestatefulftp",
        "vendor_msft_firewall_mdmstore_global_disablestatefulftp_true",
      ),
    );
    const mixed = { ...templated, settings: [...(templated.settings as object[]), ftp] };
    expect(run([mixed]).skipped).toEqual([
      expect.objectContaining({
        objectId: ID,
        reason: expect.stringMatching(
          /"Windows Firewall" template, it also sets 'vendor_msft_firewall_mdmstore_global_disablestatefulftp'/,
        ),
      }),
    ]);
    expect(run([{ ...templated, technologies: "mdm" }]).skipped).toEqual([
      expect.objectContaining({
        reason:
          "made from the \"Windows Firewall\" template with technologies 'mdm' (the template's are 'mdm,microsoftSense')",
      }),
    ]);
  });

  it("skips an object carrying this stack's marker, but imports one of another stack", () => {
    const live = liveObject({ kind: "wslPolicy", wsl: false }, ID, "Off.\n\n[wslpolicy:local/wsl-off]");
    expect(run([live], "local")).toMatchObject({
      files: [],
      skipped: [{ objectId: ID, reason: "already managed by stack 'local' (policy 'wsl-off')" }],
    });
    expect(run([live], "prod").files.map((f) => f.policyId)).toEqual(["wsl-off"]);
  });

  it("skips an object a policy in the policies directory already adopts", () => {
    const live = liveObject({ kind: "wslPolicy", wsl: false }, ID);
    const result = importTenant(snapshotWith({ configurationPolicies: [live] }), {
      stack: "local",
      source: "t",
      existing: [{ policyId: "mine", adoptId: ID.toUpperCase(), file: "mine.ts" }],
    });
    expect(result.skipped).toEqual([expect.objectContaining({ reason: "already adopted by mine.ts (policy 'mine')" })]);
  });

  it("does not count policies without WSL settings as skipped", () => {
    const edge = {
      id: ID,
      name: "Edge",
      platforms: "windows10",
      technologies: "mdm",
      settings: [
        setting(
          choice(
            "device_vendor_msft_policy_config_microsoft_edge~policy~microsoft_edge_relaunchnotification",
            "device_vendor_msft_policy_config_microsoft_edge~policy~microsoft_edge_relaunchnotification_1",
          ),
        ),
      ],
    };
    expect(run([edge])).toEqual({ files: [], skipped: [], unrelated: 1 });
  });
});

describe("settings the intent model cannot express", () => {
  it("keeps a policy mixing WSL and Hyper-V settings as raw settings that compile back unchanged", () => {
    const wsl = liveObject({ kind: "wslPolicy", wsl1: false }, ID);
    const fw = liveObject(
      {
        kind: "hyperVFirewall",
        loopback: true,
        rules: [{ name: "SSH", direction: "in", action: "allow", protocol: "tcp", localPorts: ["22"] }],
      },
      ID,
    );
    const mixed = { ...wsl, settings: [...(wsl.settings as object[]), ...(fw.settings as object[])] };
    const [file] = run([mixed]).files;
    expect(file).toMatchObject({
      kind: "settingsCatalogPolicy",
      notes: [expect.stringMatching(/kept as raw settings: .*mixes WSL and Hyper-V/)],
    });
    expect(file!.policy).toMatchObject({
      settings: [
        { id: settingIds.wsl.allowWsl1, value: `${settingIds.wsl.allowWsl1}_0` },
        { id: settingIds.hyperVVm.group },
        { id: settingIds.hyperVRule.group },
      ],
    });
    expect(file!.notes).toHaveLength(1); // nothing else: the raw form round-trips
  });

  it("keeps the networking mode parent set to Disabled as a raw setting", () => {
    const live = { ...liveObject({ kind: "wslPolicy", wsl: true }, ID) };
    (live.settings as object[]).push(
      setting(choice(settingIds.wsl.defaultNetworkingMode, `${settingIds.wsl.defaultNetworkingMode}_0`)),
    );
    const [file] = run([live]).files;
    expect(file!.kind).toBe("settingsCatalogPolicy");
    expect(file!.notes).toEqual([
      expect.stringMatching(/default networking mode is set to something other than Enabled/),
    ]);
  });

  it("leaves out settings outside the pinned catalog, says so in the file and the notes, and keeps the rest", () => {
    const live = liveObject({ kind: "wslPolicy", wsl1: false }, ID);
    const unknown = "device_vendor_msft_policy_config_wslv9~policy~wsl_allowwslcontainer";
    (live.settings as object[]).push(setting(choice(unknown, `${unknown}_1`)));
    const [file] = run([live]).files;
    expect(file!.kind).toBe("settingsCatalogPolicy");
    expect(file!.policy).toMatchObject({ settings: [{ id: settingIds.wsl.allowWsl1 }] });
    expect(file!.notes.join("\n")).toMatch(
      new RegExp(
        `setting left out: '${unknown.replace(/[~.]/g, "\\$&")}' is not in the pinned Settings Catalog.*removes it`,
      ),
    );
    expect(file!.notes.join("\n")).toMatch(/would change: Enabled → not configured|would change: .* → not configured/);
    expect(file!.source).toMatch(/^\/\/ NOTE: setting left out: /m);
  });
});

describe("a real export", () => {
  // Shape of SkipToTheEndpoint/OpenIntuneBaseline "Win - OIB - SC - Device Security - D - Windows Subsystem for Linux
  // - v3.2".
  const P = "device_vendor_msft_policy_config_wslv1~policy~wsl_";
  const names = [
    "customkernelusersettingconfigurable",
    "customnetworkingusersettingconfigurable",
    "customsystemdistrousersettingconfigurable",
    "customkernelcommandlineusersettingconfigurable",
    "kerneldebugusersettingconfigurable",
    "nestedvirtualizationusersettingconfigurable",
    "allowdebugshell",
    "allowinboxwsl",
    "firewallusersettingconfigurable",
    "allowwsl1",
  ];
  const oib = {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
    createdDateTime: "2024-04-10T19:37:07.4694279Z",
    creationSource: null,
    description: "",
    lastModifiedDateTime: "2024-12-05T19:49:47.8753244Z",
    name: "Win - OIB - SC - Device Security - D - Windows Subsystem for Linux - v3.2",
    platforms: "windows10",
    priorityMetaData: null,
    roleScopeTagIds: ["0"],
    settingCount: 10,
    technologies: "mdm",
    id: "038a93e9-ff2b-4750-be2e-21f2e43bb617",
    templateReference: {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicyTemplateReference",
      templateId: "",
      templateFamily: "none",
      templateDisplayName: null,
      templateDisplayVersion: null,
    },
    settings: names.map((n, i) => ({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
      id: String(i),
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        settingDefinitionId: `${P}${n}`,
        settingInstanceTemplateReference: null,
        choiceSettingValue: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
          settingValueTemplateReference: null,
          value: `${P}${n}_0`,
          children: [],
        },
      },
    })),
    assignments: [],
  };

  it("imports the OpenIntuneBaseline WSL policy as a wslPolicy with its ten settings, all disabled", () => {
    const result = run([oib]);
    expect(result.skipped).toEqual([]);
    const [file] = result.files;
    expect(file).toMatchObject({
      kind: "wslPolicy",
      policyId: "win-oib-sc-device-security-d-windows-subsystem-for-linux-v3-2",
      notes: [],
    });
    expect(file!.policy).toMatchObject({
      adopt: "038a93e9-ff2b-4750-be2e-21f2e43bb617",
      description: "",
      inboxWsl: false,
      wsl1: false,
      debugShell: false,
      wslconfig: {
        customKernel: false,
        kernelCommandLine: false,
        systemDistro: false,
        nestedVirtualization: false,
        kernelDebugging: false,
        networkingMode: false,
        firewall: false,
      },
    });
    expect(file!.policy).not.toHaveProperty("wsl");
    expect(file!.policy).not.toHaveProperty("diskMount");
    expect(file!.source).not.toContain("description:");
  });
});
