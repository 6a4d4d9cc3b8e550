// Named setting-definition ids the compiler emits. Each one is checked against the pinned catalog by
// test/catalog/setting-ids.test.ts, so a rename in a catalog refresh fails a test instead of a tenant write.

const WSL_V1 = "device_vendor_msft_policy_config_wslv1~policy~wsl_";
const WSL_V3 = "device_vendor_msft_policy_config_wslv3~policy~wsl_";

/** WSL ADMX policies (category "Windows Subsystem For Linux"). Options are `<id>_0` Disabled, `<id>_1` Enabled. */
export const wsl = {
  allowWsl: `${WSL_V1}allowwsl`,
  allowInboxWsl: `${WSL_V1}allowinboxwsl`,
  allowWsl1: `${WSL_V1}allowwsl1`,
  allowDebugShell: `${WSL_V1}allowdebugshell`,
  allowDiskMount: `${WSL_V1}allowdiskmount`,
  customKernel: `${WSL_V1}customkernelusersettingconfigurable`,
  customKernelCommandLine: `${WSL_V1}customkernelcommandlineusersettingconfigurable`,
  customSystemDistro: `${WSL_V1}customsystemdistrousersettingconfigurable`,
  nestedVirtualization: `${WSL_V1}nestedvirtualizationusersettingconfigurable`,
  kernelDebugging: `${WSL_V1}kerneldebugusersettingconfigurable`,
  customNetworking: `${WSL_V1}customnetworkingusersettingconfigurable`,
  firewallUserSetting: `${WSL_V1}firewallusersettingconfigurable`,
  /** Parent toggle; its `_1` (Enabled) option requires the dropdown child. Lives under the later `wslv3` ingestion. */
  defaultNetworkingMode: `${WSL_V3}defaultnetworkingmode`,
  defaultNetworkingModeDropdown: `${WSL_V3}defaultnetworkingmode_defaultnetworkingmode_dropdown`,
} as const;

/**
 * Option suffixes of the default networking mode dropdown (WslCoreConfig.h: None=0, Nat=1, Mirrored=3,
 * Consomme/VirtioProxy=4).
 */
export const networkingModeOption = { none: "0", nat: "1", mirrored: "3", virtioProxy: "4" } as const;

const VM = "vendor_msft_firewall_mdmstore_hypervvmsettings_{vmcreatorid}";
const RULE = "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}";

/** Hyper-V firewall settings for a VM creator; `{vmcreatorid}` is literal text, WSL is chosen by `target_wsl`. */
export const hyperVVm = {
  group: VM,
  target: `${VM}_target`,
  targetWsl: `${VM}_target_wsl`,
  enableLoopback: `${VM}_enableloopback`,
  allowHostPolicyMerge: `${VM}_allowhostpolicymerge`,
  profile: (profile: "domain" | "private" | "public") => ({
    enableFirewall: `${VM}_${profile}profile_enablefirewall`,
    allowLocalPolicyMerge: `${VM}_${profile}profile_allowlocalpolicymerge`,
    defaultInboundAction: `${VM}_${profile}profile_defaultinboundaction`,
    defaultOutboundAction: `${VM}_${profile}profile_defaultoutboundaction`,
  }),
} as const;

/** Hyper-V firewall rule fields; `{firewallrulename}` is literal text. */
export const hyperVRule = {
  group: RULE,
  name: `${RULE}_name`,
  enabled: `${RULE}_enabled`,
  direction: `${RULE}_direction`,
  action: `${RULE}_action`,
  protocol: `${RULE}_protocol`,
  localPortRanges: `${RULE}_localportranges`,
  remotePortRanges: `${RULE}_remoteportranges`,
  localAddressRanges: `${RULE}_localaddressranges`,
  remoteAddressRanges: `${RULE}_remoteaddressranges`,
  profiles: `${RULE}_profiles`,
  priority: `${RULE}_priority`,
  vmCreatorId: `${RULE}_vmcreatorid`,
  vmCreatorWsl: `${RULE}_vmcreatorid_wsl`,
} as const;
