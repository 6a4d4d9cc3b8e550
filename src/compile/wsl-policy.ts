// wslPolicy → Settings Catalog settings, category "Windows Subsystem For Linux". A key left out is not
// emitted (not configured = allowed); true/false map to the ADMX
// options `_1` Enabled / `_0` Disabled. Default networking mode uses the later `wslv3` ingestion:
// the parent is set to Enabled and the dropdown child (0 None, 1 NAT, 3 Mirrored, 4 VirtioProxy) hangs
// under that Enabled option, as the catalog requires.
import { settingIds } from "../catalog";
import type { JsonObject } from "../model";
import type { CommonPolicyKey, WslPolicy } from "../policy";
import { boolOption, optionOf } from "./catalog-options";
import { choiceInstance, setting } from "./setting-instances";

const ids = settingIds.wsl;

/**
 * Fixed emission order: the policy's switches, then the seven `.wslconfig` locks, then networking. Import
 * maps live settings back to intent keys through the same tables, so the two cannot disagree.
 */
export const WSL_SWITCHES = [
  ["wsl", ids.allowWsl],
  ["inboxWsl", ids.allowInboxWsl],
  ["wsl1", ids.allowWsl1],
  ["debugShell", ids.allowDebugShell],
  ["diskMount", ids.allowDiskMount],
] as const satisfies readonly (readonly [WslSwitchKey, string])[];

export const WSLCONFIG_LOCKS = [
  ["customKernel", ids.customKernel],
  ["kernelCommandLine", ids.customKernelCommandLine],
  ["systemDistro", ids.customSystemDistro],
  ["nestedVirtualization", ids.nestedVirtualization],
  ["kernelDebugging", ids.kernelDebugging],
  ["networkingMode", ids.customNetworking],
  ["firewall", ids.firewallUserSetting],
] as const satisfies readonly (readonly [WslconfigLockKey, string])[];

/** The keys compiled by their own code below rather than by a table row. */
type CompiledByCode = "wslconfig" | "defaultNetworkingMode";
type WslSwitchKey = Exclude<keyof WslPolicy, CommonPolicyKey | "kind" | CompiledByCode>;
type WslconfigLockKey = keyof NonNullable<WslPolicy["wslconfig"]>;

/**
 * `true` when every key in `Keys` has a row in `Rows`; otherwise a type naming the keys without one. A
 * schema key without a compile row would validate and silently never be sent.
 */
export type EveryKeyCompiled<Keys, Rows> = [Exclude<Keys, Rows>] extends [never]
  ? true
  : { "schema keys without a compile row": Exclude<Keys, Rows> };
/** Fails to type-check, naming the key, when a wslPolicy key or a `.wslconfig` lock has no row above. */
export const WSL_KEYS_COMPILED: [
  EveryKeyCompiled<WslSwitchKey, (typeof WSL_SWITCHES)[number][0]>,
  EveryKeyCompiled<WslconfigLockKey, (typeof WSLCONFIG_LOCKS)[number][0]>,
] = [true, true];

export function wslPolicySettings(policy: WslPolicy): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [key, id] of WSL_SWITCHES) {
    const value = policy[key];
    if (value !== undefined) out.push(setting(choiceInstance(id, boolOption(id, value))));
  }
  for (const [key, id] of WSLCONFIG_LOCKS) {
    const value = policy.wslconfig?.[key];
    if (value !== undefined) out.push(setting(choiceInstance(id, boolOption(id, value))));
  }
  if (policy.defaultNetworkingMode !== undefined) {
    const dropdown = choiceInstance(
      ids.defaultNetworkingModeDropdown,
      optionOf(ids.defaultNetworkingModeDropdown, settingIds.networkingModeOption[policy.defaultNetworkingMode]),
    );
    out.push(setting(choiceInstance(ids.defaultNetworkingMode, optionOf(ids.defaultNetworkingMode, "1"), [dropdown])));
  }
  return out;
}
