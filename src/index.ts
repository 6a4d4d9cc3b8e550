// The package root: what policy files import (`import { wslPolicy, ring } from "wslpolicy"`).
export {
  wslPolicy,
  hyperVFirewall,
  defenderPluginRollout,
  wslCompliance,
  settingsCatalogPolicy,
  intuneWslPlugin,
  distroProvisioning,
  wslUserSettings,
} from "./policy/builders";
export type {
  WslPolicyInput,
  HyperVFirewallInput,
  DefenderPluginRolloutInput,
  WslComplianceInput,
  SettingsCatalogPolicyInput,
  IntuneWslPluginInput,
} from "./policy/builders";
export { group, ring, allDevices, allUsers, filter } from "./policy/targets";
export type { Target, RingTarget, GroupTarget, Assignments, AssignmentFilterSpec } from "./policy/targets";
export type { Policy, PolicyKind, RawSetting } from "./policy/model";
