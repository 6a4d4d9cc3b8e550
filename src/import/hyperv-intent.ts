// Hyper-V firewall settings of a live policy → the `hyperVFirewall` intent fields, the inverse of
// src/compile/hyperv-firewall.ts: one VM-settings entry whose
// target is WSL (loopback, host policy merge, per-profile enable with merge/inbound/outbound under
// `enablefirewall_true`) and one rule entry per Hyper-V firewall rule. A second VM entry, another VM
// creator, or a field the intent model has no key for is reported so the caller falls back to raw settings.
// A policy made from one of the two Hyper-V Endpoint security templates (src/catalog/endpoint-security-templates.ts)
// maps to the same fields with `form: "endpointSecurity"`, when it holds only the template's Hyper-V group.
import { hyperVTemplate, settingIds } from "../catalog";
import { flagSet } from "../diff";
import { ACTION_SUFFIX, PROFILE_ORDER, PROFILE_SUFFIX, PROTOCOL_NUMBERS, RULE_ACTION_SUFFIX } from "../compile";
import type { SettingInstance } from "../model";
import { boolOf, choiceChildren, choiceSuffix, idOf, integerOf, stringOf, stringsOf } from "./setting-values";
import type { SourceValue } from "./source-text";
import type { IntentResult } from "./wsl-intent";

const vm = settingIds.hyperVVm;
const rule = settingIds.hyperVRule;

/** Whether a top-level definition id is one of the two Hyper-V firewall group collections. */
export function isHyperVSettingId(id: string): boolean {
  return id === vm.group || id === rule.group;
}

/** The compiler's intent → option-suffix tables, inverted: option suffix → intent value. */
function invert<K extends string>(table: Readonly<Record<K, string | number>>): Map<string, K> {
  return new Map(Object.entries(table).map(([intent, suffix]) => [String(suffix), intent as K]));
}
const ACTION = invert(ACTION_SUFFIX);
const RULE_ACTION = invert(RULE_ACTION_SUFFIX);
const PROFILE = invert(PROFILE_SUFFIX);
const PROTOCOL = invert(PROTOCOL_NUMBERS);
/** Every field a rule entry may carry (the group and the WSL option are not fields). */
const RULE_FIELDS: ReadonlySet<string> = new Set(
  Object.values(rule).filter((id) => id !== rule.group && id !== rule.vmCreatorWsl),
);

class Unmappable extends Error {}

function fail(reason: string): never {
  throw new Unmappable(reason);
}

function bool(instance: SettingInstance): boolean {
  const v = boolOf(instance);
  if (v === undefined || choiceChildren(instance).length)
    fail(`'${idOf(instance)}' has option '${instance.choiceSettingValue?.value ?? "(none)"}'`);
  return v;
}

function profileFields(
  name: "domain" | "private" | "public",
  instance: SettingInstance,
): { [key: string]: SourceValue } {
  const ids = vm.profile(name);
  const enabled = boolOf(instance);
  if (enabled === undefined) fail(`'${idOf(instance)}' has option '${instance.choiceSettingValue?.value ?? "(none)"}'`);
  const fields: { [key: string]: SourceValue } = { enabled };
  const found = new Map(choiceChildren(instance).map((c) => [idOf(c), c]));
  if (found.size !== choiceChildren(instance).length) fail(`a setting of the ${name} profile is set twice`);
  const inbound = found.get(ids.defaultInboundAction);
  const outbound = found.get(ids.defaultOutboundAction);
  const merge = found.get(ids.allowLocalPolicyMerge);
  for (const id of found.keys())
    if (![ids.defaultInboundAction, ids.defaultOutboundAction, ids.allowLocalPolicyMerge].includes(id))
      fail(`'${id}' is not covered by the intent model`);
  const action = (c: SettingInstance) =>
    ACTION.get(choiceSuffix(c) ?? "") ?? fail(`'${idOf(c)}' has option '${c.choiceSettingValue?.value ?? ""}'`);
  if (inbound) fields.defaultInbound = action(inbound);
  if (outbound) fields.defaultOutbound = action(outbound);
  if (merge) fields.allowLocalPolicyMerge = bool(merge);
  return fields;
}

function vmFields(instance: SettingInstance, out: { [key: string]: SourceValue }): void {
  const entries = instance.groupSettingCollectionValue ?? [];
  if (entries.length !== 1) fail(`${entries.length} Hyper-V VM settings entries (the intent model has one, for WSL)`);
  const children = entries[0]!.children;
  const target = children[0];
  if (
    children.length !== 1 ||
    !target ||
    idOf(target) !== vm.target ||
    target.choiceSettingValue?.value.toLowerCase() !== vm.targetWsl
  ) {
    fail("the Hyper-V VM settings are not for the WSL VM creator alone");
  }
  const profiles: { [key: string]: SourceValue } = {};
  const seen = new Set<string>();
  for (const child of choiceChildren(target)) {
    const id = idOf(child);
    if (seen.has(id)) fail(`'${id}' is set twice`);
    seen.add(id);
    if (id === vm.enableLoopback) out.loopback = bool(child);
    else if (id === vm.allowHostPolicyMerge) out.hostPolicyMerge = bool(child);
    else {
      const name = (["domain", "private", "public"] as const).find((p) => vm.profile(p).enableFirewall === id);
      if (!name) fail(`'${id}' is not covered by the intent model`);
      profiles[name] = profileFields(name, child);
    }
  }
  const ordered: { [key: string]: SourceValue } = {};
  for (const p of ["domain", "private", "public"]) if (profiles[p] !== undefined) ordered[p] = profiles[p];
  if (Object.keys(ordered).length) out.profiles = ordered;
}

function ruleFields(children: readonly SettingInstance[], index: number): { [key: string]: SourceValue } {
  const byId = new Map(children.map((c) => [idOf(c), c]));
  if (byId.size !== children.length) fail(`rule ${index + 1} sets a field twice`);
  for (const id of byId.keys())
    if (!RULE_FIELDS.has(id)) fail(`rule ${index + 1}: '${id}' is not covered by the intent model`);
  const get = (id: string) => byId.get(id);
  const name = get(rule.name) && stringOf(get(rule.name)!);
  if (!name || /[|/]/.test(name)) fail(`rule ${index + 1} has no usable name`);
  const vmCreator = get(rule.vmCreatorId);
  if (!vmCreator || vmCreator.choiceSettingValue?.value.toLowerCase() !== rule.vmCreatorWsl)
    fail(`rule "${name}" is not for the WSL VM creator`);
  const direction = get(rule.direction) && choiceSuffix(get(rule.direction)!);
  if (direction !== "in" && direction !== "out") fail(`rule "${name}" has no direction`);
  const actionInstance = get(rule.action);
  const action = actionInstance ? RULE_ACTION.get(choiceSuffix(actionInstance) ?? "") : undefined;
  if (!action) fail(`rule "${name}" has no action`);
  const enabledInstance = get(rule.enabled);
  // The CSP disables a rule whose Enabled is not sent; the intent model always sends it.
  if (!enabledInstance) fail(`rule "${name}" does not set Enabled`);
  const fields: { [key: string]: SourceValue } = { name, direction, action };
  const protocolInstance = get(rule.protocol);
  if (protocolInstance) {
    const n = integerOf(protocolInstance);
    if (n === undefined || n < 0 || n > 255)
      fail(`rule "${name}" has protocol ${JSON.stringify(protocolInstance.simpleSettingValue?.value)}`);
    fields.protocol = PROTOCOL.get(String(n)) ?? n;
  }
  const ranges: [string, string][] = [
    ["localPorts", rule.localPortRanges],
    ["remotePorts", rule.remotePortRanges],
    ["localAddresses", rule.localAddressRanges],
    ["remoteAddresses", rule.remoteAddressRanges],
  ];
  for (const [key, id] of ranges) {
    const instance = get(id);
    if (!instance) continue;
    const values = stringsOf(instance);
    if (!values || values.length === 0) fail(`rule "${name}": '${id}' is not a list of strings`);
    fields[key] = values;
  }
  const profiles = get(rule.profiles);
  if (profiles) {
    const names = (profiles.choiceSettingCollectionValue ?? []).map((v) => {
      const suffix = v.value.toLowerCase().slice(rule.profiles.length + 1);
      return PROFILE.get(suffix) ?? fail(`rule "${name}" has profile option '${v.value}'`);
    });
    if (names.length === 0) fail(`rule "${name}" lists no profile`);
    fields.profiles = PROFILE_ORDER.filter((p) => names.includes(p));
  }
  const priority = get(rule.priority);
  if (priority) {
    const n = integerOf(priority);
    if (n === undefined) fail(`rule "${name}" has a non-integer priority`);
    fields.priority = n;
  }
  const enabled = bool(enabledInstance);
  if (!enabled) fields.enabled = false;
  return fields;
}

export function hyperVIntent(instances: readonly SettingInstance[]): IntentResult {
  try {
    const fields: { [key: string]: SourceValue } = {};
    let rules: SourceValue[] | undefined;
    let vmSeen = false;
    for (const instance of instances) {
      const id = idOf(instance);
      if (id === vm.group) {
        if (vmSeen) fail(`'${id}' is set twice`);
        vmSeen = true;
        vmFields(instance, fields);
      } else if (id === rule.group) {
        if (rules) fail(`'${id}' is set twice`);
        rules = (instance.groupSettingCollectionValue ?? []).map((entry, i) => ruleFields(entry.children, i));
      } else fail(`'${id}' is not a Hyper-V firewall setting`);
    }
    const ordered: { [key: string]: SourceValue } = {};
    for (const key of ["profiles", "loopback", "hostPolicyMerge"])
      if (fields[key] !== undefined) ordered[key] = fields[key];
    if (rules && rules.length) ordered.rules = rules;
    return { ok: true, fields: ordered };
  } catch (err) {
    if (err instanceof Unmappable) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * The intent fields of a policy made from an Endpoint security template, or why it cannot be adopted. Graph
 * never changes a policy's template in place (templateReference is set at create:
 * https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicytemplatereference?view=graph-rest-beta),
 * so only the Hyper-V templates `form: "endpointSecurity"` compiles to can be adopted, and only with the
 * settings that form writes.
 */
export function hyperVTemplateIntent(
  template: { templateId?: string | null; templateFamily?: string | null },
  technologies: string,
  instances: readonly SettingInstance[],
): IntentResult {
  const known = hyperVTemplate(template.templateId);
  const family = template.templateFamily ? ` (${template.templateFamily})` : "";
  if (!known)
    return {
      ok: false,
      reason: `made from the template ${template.templateId ?? ""}${family}; wslpolicy cannot adopt it: it writes only plain settings-catalog policies and the Hyper-V firewall templates, and Graph refuses changing a policy's template. Recreate its WSL settings in a new policy and retire it`,
    };
  const label = `the "${known.templateDisplayName}" template`;
  if (flagSet(technologies).join(",") !== flagSet(known.technologies).join(","))
    return {
      ok: false,
      reason: `made from ${label} with technologies '${technologies}' (the template's are '${known.technologies}')`,
    };
  const foreign = [...new Set(instances.map(idOf).filter((id) => known.settingInstanceTemplates[id] === undefined))];
  if (foreign.length > 0)
    return {
      ok: false,
      reason: `made from ${label}, it also sets ${foreign.map((id) => `'${id}'`).join(", ")}, which hyperVFirewall does not manage; a policy from this template cannot be split, so it stays out of wslpolicy`,
    };
  const intent = hyperVIntent(instances);
  if (!intent.ok) return { ok: false, reason: `made from ${label}: ${intent.reason}` };
  return { ok: true, fields: { form: "endpointSecurity", ...intent.fields } };
}
