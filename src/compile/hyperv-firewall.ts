// hyperVFirewall → Settings Catalog settings, category "Firewall" (https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/hyper-v-firewall).
// VM settings: ONE group-collection instance `hypervvmsettings_{vmcreatorid}` (`{vmcreatorid}` is literal
// text; WSL is picked by the `target_wsl` option) with loopback, host policy merge and the three
// profile `enablefirewall` choices under `target_wsl`; each profile's merge/inbound/outbound children sit
// under its `enablefirewall_true` option (catalog). Rules: ONE group-collection instance
// `hypervfirewallrules_{firewallrulename}`, one entry per rule in file order. Enabled is always emitted:
// the CSP disables a rule whose Enabled is not sent.
// `form: "endpointSecurity"`: the same instances, made from the Endpoint security template that holds them
// (VM settings: "Windows Firewall"; rules: "Windows Hyper-V Firewall Rules"), each top-level instance
// carrying that template's `settingInstanceTemplateReference` (src/catalog/endpoint-security-templates.ts).
// A template policy is made from one template, so VM settings and rules cannot share one.
import {
  hyperVFirewallRulesTemplate,
  settingIds,
  windowsFirewallTemplate,
  type EndpointSecurityTemplate,
} from "../catalog";
import type { Finding, JsonObject } from "../model";
import type { HyperVFirewallPolicy } from "../policy";
import { boolOption, optionOf } from "./catalog-options";
import {
  choiceCollectionInstance,
  choiceInstance,
  groupCollectionInstance,
  setting,
  simpleCollectionInstance,
  simpleInstance,
} from "./setting-instances";

const vm = settingIds.hyperVVm;
const rule = settingIds.hyperVRule;

/** IANA protocol numbers the Firewall CSP takes (TCP = 6, UDP = 17); `any` means "omit". */
export const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, icmpv4: 1, icmpv6: 58 } as const;

/** Profiles flags as option suffixes (0x1 Domain, 0x2 Private, 0x4 Public, 0x7FFFFFFF All). */
export const PROFILE_SUFFIX = { domain: "1", private: "2", public: "4", all: "2147483647" } as const;
export const PROFILE_ORDER = ["domain", "private", "public", "all"] as const;

export const ACTION_SUFFIX = { allow: "0", block: "1" } as const; // default in/outbound action: 0 Allow, 1 Block
export const RULE_ACTION_SUFFIX = { allow: "1", block: "0" } as const; // rule action: 1 Allow, 0 Block

type ProfileName = "domain" | "private" | "public";

function profileSettings(
  name: ProfileName,
  profile: NonNullable<NonNullable<HyperVFirewallPolicy["profiles"]>[ProfileName]>,
  problems: Finding[],
): JsonObject {
  const ids = vm.profile(name);
  const children: JsonObject[] = [];
  if (profile.allowLocalPolicyMerge !== undefined)
    children.push(
      choiceInstance(ids.allowLocalPolicyMerge, boolOption(ids.allowLocalPolicyMerge, profile.allowLocalPolicyMerge)),
    );
  if (profile.defaultInbound !== undefined)
    children.push(
      choiceInstance(
        ids.defaultInboundAction,
        optionOf(ids.defaultInboundAction, ACTION_SUFFIX[profile.defaultInbound]),
      ),
    );
  if (profile.defaultOutbound !== undefined)
    children.push(
      choiceInstance(
        ids.defaultOutboundAction,
        optionOf(ids.defaultOutboundAction, ACTION_SUFFIX[profile.defaultOutbound]),
      ),
    );
  if (!profile.enabled && children.length > 0) {
    // The catalog only offers these under enablefirewall_true: with the firewall off they cannot be sent.
    const set = (["allowLocalPolicyMerge", "defaultInbound", "defaultOutbound"] as const).filter(
      (k) => profile[k] !== undefined,
    );
    for (const key of set) {
      problems.push({
        path: `profiles.${name}.${key}`,
        message: `has no effect with \`enabled: false\`: the ${name} profile's actions and merge setting apply only when its Hyper-V firewall is enabled; remove it or set \`enabled: true\``,
      });
    }
    return choiceInstance(ids.enableFirewall, boolOption(ids.enableFirewall, false));
  }
  return choiceInstance(
    ids.enableFirewall,
    boolOption(ids.enableFirewall, profile.enabled),
    profile.enabled ? children : [],
  );
}

function vmSettings(policy: HyperVFirewallPolicy, problems: Finding[]): JsonObject | undefined {
  const underWsl: JsonObject[] = [];
  if (policy.loopback !== undefined)
    underWsl.push(choiceInstance(vm.enableLoopback, boolOption(vm.enableLoopback, policy.loopback)));
  if (policy.hostPolicyMerge !== undefined)
    underWsl.push(choiceInstance(vm.allowHostPolicyMerge, boolOption(vm.allowHostPolicyMerge, policy.hostPolicyMerge)));
  for (const name of ["domain", "private", "public"] as const) {
    const profile = policy.profiles?.[name];
    if (profile) underWsl.push(profileSettings(name, profile, problems));
  }
  if (underWsl.length === 0) return undefined;
  const target = choiceInstance(vm.target, vm.targetWsl, underWsl);
  return setting(groupCollectionInstance(vm.group, [[target]]));
}

function ruleEntry(r: HyperVFirewallPolicy["rules"][number], index: number, problems: Finding[]): JsonObject[] {
  const children: JsonObject[] = [
    simpleInstance(rule.name, "string", r.name),
    choiceInstance(rule.enabled, boolOption(rule.enabled, r.enabled)),
    choiceInstance(rule.direction, optionOf(rule.direction, r.direction)),
    choiceInstance(rule.action, optionOf(rule.action, RULE_ACTION_SUFFIX[r.action])),
  ];
  const protocol =
    r.protocol === undefined || r.protocol === "any"
      ? undefined
      : typeof r.protocol === "number"
        ? r.protocol
        : PROTOCOL_NUMBERS[r.protocol];
  if (protocol !== undefined) children.push(simpleInstance(rule.protocol, "integer", protocol));
  const hasPorts = (r.localPorts?.length ?? 0) > 0 || (r.remotePorts?.length ?? 0) > 0;
  if (hasPorts && protocol !== PROTOCOL_NUMBERS.tcp && protocol !== PROTOCOL_NUMBERS.udp) {
    // Windows Firewall accepts port ranges only on TCP or UDP rules.
    problems.push({
      path: `rules[${index}].protocol`,
      message: `rule "${r.name}" sets ports, so its protocol must be 'tcp' or 'udp' (got ${r.protocol === undefined ? "none" : JSON.stringify(r.protocol)})`,
    });
  }
  const ranges: [string, string[] | undefined][] = [
    [rule.localPortRanges, r.localPorts],
    [rule.remotePortRanges, r.remotePorts],
    [rule.localAddressRanges, r.localAddresses],
    [rule.remoteAddressRanges, r.remoteAddresses],
  ];
  for (const [id, values] of ranges)
    if (values && values.length > 0) children.push(simpleCollectionInstance(id, "string", values));
  if (r.profiles) {
    const chosen = PROFILE_ORDER.filter((p) => r.profiles?.includes(p));
    children.push(
      choiceCollectionInstance(
        rule.profiles,
        chosen.map((p) => optionOf(rule.profiles, PROFILE_SUFFIX[p])),
      ),
    );
  }
  if (r.priority !== undefined) children.push(simpleInstance(rule.priority, "integer", r.priority));
  children.push(choiceInstance(rule.vmCreatorId, rule.vmCreatorWsl));
  return children;
}

/** A `settings[]` entry with the template's instance reference after the definition id (real exports' order). */
function fromTemplate(entry: JsonObject, template: EndpointSecurityTemplate): JsonObject {
  const { "@odata.type": type, settingDefinitionId, ...value } = entry.settingInstance as JsonObject;
  const templateId = template.settingInstanceTemplates[String(settingDefinitionId)];
  if (templateId === undefined)
    throw new Error(`template ${template.templateId} has no instance for '${String(settingDefinitionId)}'`);
  return setting({
    "@odata.type": type!,
    settingDefinitionId: settingDefinitionId!,
    settingInstanceTemplateReference: { settingInstanceTemplateId: templateId },
    ...value,
  });
}

export interface HyperVFirewallCompiled {
  settings: JsonObject[];
  problems: Finding[];
  /** Form "endpointSecurity": the template the policy is made from (none when nothing is configured). */
  template?: EndpointSecurityTemplate;
}

export function hyperVFirewallSettings(policy: HyperVFirewallPolicy): HyperVFirewallCompiled {
  const { settings, problems } = catalogSettings(policy);
  if (policy.form !== "endpointSecurity" || settings.length === 0) return { settings, problems };
  const vmGroup = settings.some((s) => (s.settingInstance as JsonObject).settingDefinitionId === vm.group);
  if (vmGroup && policy.rules.length > 0) {
    problems.push({
      path: "rules",
      message:
        'cannot share a policy with the VM settings in form "endpointSecurity": Endpoint security makes each policy from one template ' +
        `(VM settings: "${windowsFirewallTemplate.templateDisplayName}", rules: "${hyperVFirewallRulesTemplate.templateDisplayName}"); ` +
        'move the rules to a second hyperVFirewall policy with form "endpointSecurity"',
    });
    return { settings, problems };
  }
  const template = vmGroup ? windowsFirewallTemplate : hyperVFirewallRulesTemplate;
  return { settings: settings.map((s) => fromTemplate(s, template)), problems, template };
}

function catalogSettings(policy: HyperVFirewallPolicy): { settings: JsonObject[]; problems: Finding[] } {
  const problems: Finding[] = [];
  const settings: JsonObject[] = [];
  const vmSetting = vmSettings(policy, problems);
  if (vmSetting) settings.push(vmSetting);
  const names = new Map<string, number>();
  policy.rules.forEach((r, i) => {
    const first = names.get(r.name);
    if (first !== undefined)
      problems.push({
        path: `rules[${i}].name`,
        message: `rule name "${r.name}" is already used by rules[${first}]; rule names must be unique within a policy`,
      });
    else names.set(r.name, i);
  });
  const withPriority = policy.rules.filter((r) => r.priority !== undefined).length;
  if (withPriority > 0 && withPriority < policy.rules.length) {
    // Firewall CSP (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp): "If you set it, set it on ALL rules."
    const i = policy.rules.findIndex((r) => r.priority === undefined);
    problems.push({
      path: `rules[${i}].priority`,
      message:
        "is missing: when any rule sets a priority, every rule must (Firewall CSP: unset priorities evaluate block rules first)",
    });
  }
  if (policy.rules.length > 0)
    settings.push(
      setting(
        groupCollectionInstance(
          rule.group,
          policy.rules.map((r, i) => ruleEntry(r, i, problems)),
        ),
      ),
    );
  return { settings, problems };
}
