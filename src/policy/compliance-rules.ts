// The other rules of a Windows compliance policy (`windows10CompliancePolicy`): BitLocker, Secure Boot,
// password, OS version … A WSL compliance policy made in the portal usually carries some, and adopting it
// must keep them under management, so `wslCompliance` takes them as `rules`, typed as Graph beta declares
// them (https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta;
// property list: microsoftgraph/msgraph-metadata schemas/type-mappings/beta-entity-types.json, enums:
// beta-enum-types.json `requiredPasswordType`, `deviceThreatProtectionLevel`). A rule left out is not
// configured: wslpolicy neither sends nor compares it. `RULE_OFF` is the value Graph reads back for a rule
// nobody set (every property at its default: SkipToTheEndpoint/OpenIntuneBaseline
// WINDOWS/IntuneManagement/CompliancePolicies/*.json), which import leaves out.
import { z } from "zod";

const flag = z.boolean().optional();
const version = z.string().trim().min(1, "must not be empty").optional();
const count = z.number().int().min(0).optional();

export const complianceRulesSchema = z.strictObject({
  passwordRequired: flag,
  passwordBlockSimple: flag,
  passwordRequiredToUnlockFromIdle: flag,
  passwordMinutesOfInactivityBeforeLock: count,
  passwordExpirationDays: count,
  passwordMinimumLength: count,
  passwordMinimumCharacterSetCount: count,
  passwordRequiredType: z.enum(["deviceDefault", "alphanumeric", "numeric"]).optional(),
  passwordPreviousPasswordBlockCount: count,
  requireHealthyDeviceReport: flag,
  osMinimumVersion: version,
  osMaximumVersion: version,
  mobileOsMinimumVersion: version,
  mobileOsMaximumVersion: version,
  validOperatingSystemBuildRanges: z
    .array(
      z.strictObject({
        lowestVersion: z.string().trim().min(1, "must not be empty"),
        highestVersion: z.string().trim().min(1, "must not be empty"),
        description: z.string().optional(),
      }),
    )
    .optional(),
  earlyLaunchAntiMalwareDriverEnabled: flag,
  bitLockerEnabled: flag,
  secureBootEnabled: flag,
  codeIntegrityEnabled: flag,
  memoryIntegrityEnabled: flag,
  kernelDmaProtectionEnabled: flag,
  virtualizationBasedSecurityEnabled: flag,
  firmwareProtectionEnabled: flag,
  storageRequireEncryption: flag,
  activeFirewallRequired: flag,
  defenderEnabled: flag,
  defenderVersion: version,
  signatureOutOfDate: flag,
  rtpEnabled: flag,
  antivirusRequired: flag,
  antiSpywareRequired: flag,
  deviceThreatProtectionEnabled: flag,
  deviceThreatProtectionRequiredSecurityLevel: z
    .enum(["unavailable", "secured", "low", "medium", "high", "notSet"])
    .optional(),
  configurationManagerComplianceRequired: flag,
  tpmRequired: flag,
});

export type ComplianceRules = z.output<typeof complianceRulesSchema>;
export type ComplianceRule = keyof ComplianceRules;

export const COMPLIANCE_RULES = Object.keys(complianceRulesSchema.shape) as ComplianceRule[];

/** What Graph reads back for a rule nobody set. */
export const RULE_OFF: { [K in ComplianceRule]-?: null | boolean | string | [] } = {
  passwordRequired: false,
  passwordBlockSimple: false,
  passwordRequiredToUnlockFromIdle: false,
  passwordMinutesOfInactivityBeforeLock: null,
  passwordExpirationDays: null,
  passwordMinimumLength: null,
  passwordMinimumCharacterSetCount: null,
  passwordRequiredType: "deviceDefault",
  passwordPreviousPasswordBlockCount: null,
  requireHealthyDeviceReport: false,
  osMinimumVersion: null,
  osMaximumVersion: null,
  mobileOsMinimumVersion: null,
  mobileOsMaximumVersion: null,
  validOperatingSystemBuildRanges: [],
  earlyLaunchAntiMalwareDriverEnabled: false,
  bitLockerEnabled: false,
  secureBootEnabled: false,
  codeIntegrityEnabled: false,
  memoryIntegrityEnabled: false,
  kernelDmaProtectionEnabled: false,
  virtualizationBasedSecurityEnabled: false,
  firmwareProtectionEnabled: false,
  storageRequireEncryption: false,
  activeFirewallRequired: false,
  defenderEnabled: false,
  defenderVersion: null,
  signatureOutOfDate: false,
  rtpEnabled: false,
  antivirusRequired: false,
  antiSpywareRequired: false,
  deviceThreatProtectionEnabled: false,
  deviceThreatProtectionRequiredSecurityLevel: "unavailable",
  configurationManagerComplianceRequired: false,
  tpmRequired: false,
};
