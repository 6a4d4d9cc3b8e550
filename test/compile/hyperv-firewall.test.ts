// hyperVFirewall → one VM-settings group collection targeted at WSL with profile settings under
// enablefirewall_true, and one rules group collection with one entry per rule, Enabled always sent.
// Form "endpointSecurity": the same instances in a policy made from the Endpoint security template that holds
// them, ids as real exports carry them (SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/SettingsCatalog/
// "Win - OIB - ES - Windows Firewall - D - Firewall Configuration - v3.1.json" for the template reference;
// microsoft/Microsoft365DSC Tests/Unit/Microsoft365DSC/Microsoft365DSC.IntuneFirewallPolicyWindows10.Tests.ps1 and
// …IntuneFirewallRulesHyperVPolicyWindows10.Tests.ps1 for the instance templates).
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import type { JsonObject } from "../../src/model";
import { chosen, childrenOf, compileAll, findInstance, findInstances } from "./helpers";

const VM = settingIds.hyperVVm;
const R = settingIds.hyperVRule;
const base = {
  kind: "hyperVFirewall",
  id: "fw",
  displayName: "FW",
  assignments: { include: [{ kind: "group", name: "Devs" }] },
};

function compileFw(input: Record<string, unknown>) {
  return compileAll([{ ...base, ...input }]);
}

function settingsOf(input: Record<string, unknown>): JsonObject[] {
  const { desired, diagnostics } = compileFw(input);
  expect(diagnostics).toEqual([]);
  return desired.objects[0]!.document.settings as JsonObject[];
}

const entries = (group: JsonObject) => group.groupSettingCollectionValue as JsonObject[];
const entryChildren = (entry: JsonObject) => entry.children as JsonObject[];
const simple = (instance: JsonObject) => (instance.simpleSettingValue as JsonObject).value;

describe("Hyper-V firewall VM settings", () => {
  const settings = () =>
    settingsOf({
      profiles: {
        public: { enabled: true, defaultInbound: "block", defaultOutbound: "allow", allowLocalPolicyMerge: false },
        domain: { enabled: false },
      },
      loopback: true,
      hostPolicyMerge: false,
    });

  it("emits one group collection with one entry whose target is wsl", () => {
    const s = settings();
    const group = findInstance(s, VM.group);
    expect(group["@odata.type"]).toBe("#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance");
    expect(entries(group)).toHaveLength(1);
    const [target] = entryChildren(entries(group)[0]!);
    expect(target!.settingDefinitionId).toBe(VM.target);
    expect(chosen(target!)).toBe(VM.targetWsl);
  });

  it("puts loopback, host policy merge and each profile's enablefirewall under target_wsl", () => {
    const target = findInstance(settings(), VM.target);
    expect(childrenOf(target).map((c) => c.settingDefinitionId)).toEqual([
      VM.enableLoopback,
      VM.allowHostPolicyMerge,
      VM.profile("domain").enableFirewall,
      VM.profile("public").enableFirewall,
    ]);
    expect(chosen(findInstance(settings(), VM.enableLoopback))).toBe(`${VM.enableLoopback}_true`);
    expect(chosen(findInstance(settings(), VM.allowHostPolicyMerge))).toBe(`${VM.allowHostPolicyMerge}_false`);
  });

  it("nests merge, inbound (0 Allow / 1 Block) and outbound under the profile's enablefirewall_true option", () => {
    const p = VM.profile("public");
    const enable = findInstance(settings(), p.enableFirewall);
    expect(chosen(enable)).toBe(`${p.enableFirewall}_true`);
    const byId = new Map(childrenOf(enable).map((c) => [c.settingDefinitionId, chosen(c)]));
    expect(byId).toEqual(
      new Map([
        [p.allowLocalPolicyMerge, `${p.allowLocalPolicyMerge}_false`],
        [p.defaultInboundAction, `${p.defaultInboundAction}_1`],
        [p.defaultOutboundAction, `${p.defaultOutboundAction}_0`],
      ]),
    );
  });

  it("sends a disabled profile as enablefirewall_false without children", () => {
    const enable = findInstance(settings(), VM.profile("domain").enableFirewall);
    expect(chosen(enable)).toBe(`${VM.profile("domain").enableFirewall}_false`);
    expect(childrenOf(enable)).toEqual([]);
  });

  it("rejects actions on a profile whose firewall is disabled, naming each field", () => {
    const { desired, diagnostics } = compileFw({
      profiles: { private: { enabled: false, defaultInbound: "allow", allowLocalPolicyMerge: true } },
    });
    expect(desired.objects).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.file, d.path])).toEqual([
      ["error", "fw.ts", "policy.profiles.private.allowLocalPolicyMerge"],
      ["error", "fw.ts", "policy.profiles.private.defaultInbound"],
    ]);
    expect(diagnostics[0]!.message).toContain("enabled: false");
  });

  it("omits the VM group when only rules are configured", () => {
    const s = settingsOf({ rules: [{ name: "r", direction: "out", action: "block" }] });
    expect(findInstances(s, VM.group)).toEqual([]);
    expect(findInstances(s, R.group)).toHaveLength(1);
  });
});

describe("Hyper-V firewall rules", () => {
  const rule = (extra: Record<string, unknown>) => ({ name: "r", direction: "in", action: "allow", ...extra });
  const ruleEntries = (rules: Record<string, unknown>[]) =>
    entries(findInstance(settingsOf({ rules }), R.group)).map(entryChildren);
  const field = (children: JsonObject[], id: string) => children.find((c) => c.settingDefinitionId === id);

  it("emits one group collection entry per rule, in file order", () => {
    const got = ruleEntries([rule({ name: "b" }), rule({ name: "a" }), rule({ name: "c" })]);
    expect(got.map((c) => simple(field(c, R.name)!))).toEqual(["b", "a", "c"]);
  });

  it("always sends Enabled: _1 by default and _0 when the file disables the rule", () => {
    const [on, off] = ruleEntries([rule({}), rule({ name: "off", enabled: false })]);
    expect(chosen(field(on!, R.enabled)!)).toBe(`${R.enabled}_1`);
    expect(chosen(field(off!, R.enabled)!)).toBe(`${R.enabled}_0`);
  });

  it("maps direction and action to their options (action 1 Allow, 0 Block)", () => {
    const [a, b] = ruleEntries([rule({}), rule({ name: "x", direction: "out", action: "block" })]);
    expect([chosen(field(a!, R.direction)!), chosen(field(a!, R.action)!)]).toEqual([
      `${R.direction}_in`,
      `${R.action}_1`,
    ]);
    expect([chosen(field(b!, R.direction)!), chosen(field(b!, R.action)!)]).toEqual([
      `${R.direction}_out`,
      `${R.action}_0`,
    ]);
  });

  it.each([
    ["tcp", 6],
    ["udp", 17],
    ["icmpv4", 1],
    ["icmpv6", 58],
    [47, 47],
  ])("sends protocol %s as the integer %s", (protocol, number) => {
    const [c] = ruleEntries([rule({ protocol })]);
    const p = field(c!, R.protocol)!;
    expect(p.simpleSettingValue).toEqual({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
      value: number,
    });
  });

  it("omits the protocol for 'any' and when not set", () => {
    const [a, b] = ruleEntries([rule({ protocol: "any" }), rule({ name: "y" })]);
    expect(field(a!, R.protocol)).toBeUndefined();
    expect(field(b!, R.protocol)).toBeUndefined();
  });

  it("sends port and address ranges as string collections and profiles as a choice collection", () => {
    const [c] = ruleEntries([
      rule({
        protocol: "tcp",
        localPorts: ["22", "3000-3100"],
        remoteAddresses: ["10.0.0.0/8"],
        profiles: ["public", "domain"],
      }),
    ]);
    const ports = field(c!, R.localPortRanges)!;
    expect(ports["@odata.type"]).toBe("#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance");
    expect((ports.simpleSettingCollectionValue as JsonObject[]).map((v) => v.value)).toEqual(["22", "3000-3100"]);
    expect(
      (field(c!, R.remoteAddressRanges)!.simpleSettingCollectionValue as JsonObject[]).map((v) => v.value),
    ).toEqual(["10.0.0.0/8"]);
    const profiles = field(c!, R.profiles)!;
    expect(profiles["@odata.type"]).toBe(
      "#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionInstance",
    );
    expect((profiles.choiceSettingCollectionValue as JsonObject[]).map((v) => v.value)).toEqual([
      `${R.profiles}_1`,
      `${R.profiles}_4`,
    ]);
  });

  it("targets every rule at the WSL VM creator and sends priority as an integer", () => {
    const [c] = ruleEntries([rule({ priority: 100 })]);
    expect(chosen(field(c!, R.vmCreatorId)!)).toBe(R.vmCreatorWsl);
    expect(simple(field(c!, R.priority)!)).toBe(100);
  });

  it("rejects ports on a rule whose protocol is not tcp or udp", () => {
    const { diagnostics } = compileFw({ rules: [rule({ protocol: "icmpv4", localPorts: ["22"] })] });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "policy-invalid",
        severity: "error",
        path: "policy.rules[0].protocol",
        message: expect.stringContaining("'tcp' or 'udp'"),
      }),
    ]);
  });

  it("rejects duplicate rule names and priorities set on only some rules", () => {
    const { diagnostics } = compileFw({ rules: [rule({ priority: 1 }), rule({})] });
    expect(diagnostics.map((d) => d.path)).toEqual(["policy.rules[1].name", "policy.rules[1].priority"]);
  });
});

describe("Hyper-V firewall as an Endpoint security policy (form endpointSecurity)", () => {
  const vmOnly = {
    form: "endpointSecurity",
    profiles: { public: { enabled: true, defaultInbound: "block" } },
    loopback: false,
  };
  const rulesOnly = {
    form: "endpointSecurity",
    rules: [{ name: "ssh", direction: "in", action: "allow", protocol: "tcp", localPorts: ["22"] }],
  };
  const documentOf = (input: Record<string, unknown>) => {
    const { desired, diagnostics } = compileFw(input);
    expect(diagnostics).toEqual([]);
    return desired.objects[0]!.document;
  };

  it('makes VM settings a "Windows Firewall" template policy, the group carrying the template\'s instance reference', () => {
    const doc = documentOf(vmOnly);
    expect(doc).toMatchObject({
      technologies: "mdm,microsoftSense",
      templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" },
    });
    const [only, ...rest] = doc.settings as JsonObject[];
    expect(rest).toEqual([]);
    expect(only!.settingInstance).toMatchObject({
      settingDefinitionId: VM.group,
      settingInstanceTemplateReference: { settingInstanceTemplateId: "24805bd4-1133-4790-82ae-4caa63e16aa6" },
    });
    // the settings under the group are the Settings Catalog form's, unchanged
    expect((only!.settingInstance as JsonObject).groupSettingCollectionValue).toEqual(
      findInstance(settingsOf({ ...vmOnly, form: undefined }), VM.group).groupSettingCollectionValue,
    );
  });

  it('makes rules a "Windows Hyper-V Firewall Rules" template policy', () => {
    const doc = documentOf(rulesOnly);
    expect(doc).toMatchObject({
      technologies: "mdm,microsoftSense",
      templateReference: { templateId: "a5481c22-7a2a-4f59-a33e-6eee30d02f94_1" },
    });
    expect((doc.settings as JsonObject[]).map((s) => s.settingInstance)).toEqual([
      expect.objectContaining({
        settingDefinitionId: R.group,
        settingInstanceTemplateReference: { settingInstanceTemplateId: "76c7a8be-67d2-44bf-81a5-38c94926b1a1" },
      }),
    ]);
  });

  it("stays a plain Settings Catalog policy by default", () => {
    expect(documentOf({ loopback: false })).toMatchObject({
      technologies: "mdm",
      templateReference: { templateId: "" },
    });
    expect(findInstance(settingsOf({ loopback: false }), VM.group).settingInstanceTemplateReference).toBeUndefined();
  });

  it("refuses VM settings and rules in one template policy, naming both templates", () => {
    const { diagnostics } = compileFw({ ...vmOnly, rules: rulesOnly.rules });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        path: "policy.rules",
        message: expect.stringMatching(
          /"Windows Firewall".*"Windows Hyper-V Firewall Rules".*second hyperVFirewall policy/,
        ),
      }),
    ]);
  });
});
