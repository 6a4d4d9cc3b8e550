// The authoring functions policy files call. They only tag the object with its kind and keep the author's
// types honest; validation (with file and field in every message) happens when the loader reads the file.
import type { z } from "zod";
import type {
  defenderPluginRolloutSchema,
  intuneWslPluginSchema,
  distroProvisioningSchema,
  wslUserSettingsSchema,
  hyperVFirewallSchema,
  settingsCatalogPolicySchema,
  wslComplianceSchema,
  wslPolicySchema,
} from "./model";

type Input<S extends z.ZodType> = Omit<z.input<S>, "kind">;

export type WslPolicyInput = Input<typeof wslPolicySchema>;
export type HyperVFirewallInput = Input<typeof hyperVFirewallSchema>;
export type DefenderPluginRolloutInput = Input<typeof defenderPluginRolloutSchema>;
export type WslComplianceInput = Input<typeof wslComplianceSchema>;
export type SettingsCatalogPolicyInput = Input<typeof settingsCatalogPolicySchema>;
export type IntuneWslPluginInput = z.input<typeof intuneWslPluginSchema>;

/** WSL enablement and lock-down (Settings Catalog, "Windows Subsystem For Linux"). */
export function wslPolicy(input: WslPolicyInput) {
  return { kind: "wslPolicy" as const, ...input };
}

/**
 * Hyper-V firewall settings and rules for the WSL VM creator: a Settings Catalog policy ("Firewall"), or with
 * `form: "endpointSecurity"` an Endpoint security firewall policy made from its template.
 */
export function hyperVFirewall(input: HyperVFirewallInput) {
  return { kind: "hyperVFirewall" as const, ...input };
}

/** The Microsoft Defender for Endpoint plug-in for WSL as a Win32 app, rolled out in rings. */
export function defenderPluginRollout(input: DefenderPluginRolloutInput) {
  return { kind: "defenderPluginRollout" as const, ...input };
}

/** Which Linux distributions (and versions) are compliant (windows10CompliancePolicy.wslDistributions). */
export function wslCompliance(input: WslComplianceInput) {
  return { kind: "wslCompliance" as const, ...input };
}

/** Any other Settings Catalog settings by definition id, checked against the pinned catalog. */
export function settingsCatalogPolicy(input: SettingsCatalogPolicyInput) {
  return { kind: "settingsCatalogPolicy" as const, ...input };
}

/**
 * The Intune WSL plug-in installer, to share between compliance policies (`plugin: intuneWslPlugin`).
 * Not a policy by itself (no `kind`): the app is deployed to the targets of the policies that name it.
 */
export function intuneWslPlugin(input: IntuneWslPluginInput): IntuneWslPluginInput {
  return { ...input };
}

export type DistroProvisioningInput = Input<typeof distroProvisioningSchema>;
export type WslUserSettingsInput = Input<typeof wslUserSettingsSchema>;

/** cloud-init user-data for new WSL distributions, written into each user's profile by a platform script. */
export function distroProvisioning(input: DistroProvisioningInput) {
  return { kind: "distroProvisioning" as const, ...input };
}

/** Per-user `.wslconfig` keys and DefaultVersion, restored by a Remediation (or set once by a platform script). */
export function wslUserSettings(input: WslUserSettingsInput) {
  return { kind: "wslUserSettings" as const, ...input };
}
