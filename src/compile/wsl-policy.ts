// wslPolicy → Settings Catalog settings, category "Windows Subsystem For Linux". A key left out is not
// emitted (not configured = allowed, research/intune-wsl-settings.md §1.1); true/false map to the ADMX
// options `_1` Enabled / `_0` Disabled (§2.2). Default networking mode uses the later `wslv3` ingestion:
// the parent is set to Enabled and the dropdown child (0 None, 1 NAT, 3 Mirrored, 4 VirtioProxy) hangs
// under that Enabled option, as the catalog requires (research header note; catalog/wsl.settings.json).
import { settingIds } from "../catalog";
import type { JsonObject } from "../model";
import type { WslPolicy } from "../policy/model";
import { boolOption, optionOf } from "./catalog-options";
import { choiceInstance, setting } from "./setting-instances";

const ids = settingIds.wsl;

/**
 * Fixed emission order: the policy's switches, then the seven `.wslconfig` locks, then networking. Import
 * maps live settings back to intent keys through the same tables, so the two cannot disagree.
 */
export const WSL_SWITCHES: readonly [keyof Pick<WslPolicy, "wsl" | "inboxWsl" | "wsl1" | "debugShell" | "diskMount">, string][] = [
  ["wsl", ids.allowWsl],
  ["inboxWsl", ids.allowInboxWsl],
  ["wsl1", ids.allowWsl1],
  ["debugShell", ids.allowDebugShell],
  ["diskMount", ids.allowDiskMount],
];

export const WSLCONFIG_LOCKS: readonly [keyof NonNullable<WslPolicy["wslconfig"]>, string][] = [
  ["customKernel", ids.customKernel],
  ["kernelCommandLine", ids.customKernelCommandLine],
  ["systemDistro", ids.customSystemDistro],
  ["nestedVirtualization", ids.nestedVirtualization],
  ["kernelDebugging", ids.kernelDebugging],
  ["networkingMode", ids.customNetworking],
  ["firewall", ids.firewallUserSetting],
];

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
    const dropdown = choiceInstance(ids.defaultNetworkingModeDropdown, optionOf(ids.defaultNetworkingModeDropdown, settingIds.networkingModeOption[policy.defaultNetworkingMode]));
    out.push(setting(choiceInstance(ids.defaultNetworkingMode, optionOf(ids.defaultNetworkingMode, "1"), [dropdown])));
  }
  return out;
}
