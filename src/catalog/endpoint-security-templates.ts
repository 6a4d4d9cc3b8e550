// Endpoint security templates that hold Hyper-V firewall settings, and the template ids their setting
// instances carry. A policy made from a template is still a `deviceManagementConfigurationPolicy`; what
// differs is `templateReference` (set at create, never changed) and a `settingInstanceTemplateReference`
// on each top-level instance. The portal lists such a policy under Endpoint security › Firewall instead of
// Devices › Configuration (profiles "Windows Firewall" and "Windows Hyper-V Firewall Rules" of
// https://learn.microsoft.com/intune/intune-service/protect/endpoint-security-firewall-policy).
// Sources, all public:
//   - "Windows Firewall" 6078910e-…_1: templateFamily, display name and version, technologies
//     "mdm,microsoftSense" as Graph reads them back: SkipToTheEndpoint/OpenIntuneBaseline
//     WINDOWS/IntuneManagement/SettingsCatalog/
//     "Win - OIB - ES - Windows Firewall - D - Firewall Configuration - v3.1.json";
//     its Hyper-V VM settings group instance template 24805bd4-…: microsoft/Microsoft365DSC
//     Tests/Unit/Microsoft365DSC/Microsoft365DSC.IntuneFirewallPolicyWindows10.Tests.ps1.
//   - "Windows Hyper-V Firewall Rules" a5481c22-…_1 with its rules group instance template 76c7a8be-…:
//     microsoft/Microsoft365DSC
//     Tests/Unit/Microsoft365DSC/Microsoft365DSC.IntuneFirewallRulesHyperVPolicyWindows10.Tests.ps1 and
//     Modules/Microsoft365DSC/DSCResources/MSFT_IntuneFirewallRulesHyperVPolicyWindows10/
//     MSFT_IntuneFirewallRulesHyperVPolicyWindows10.psm1 (technologies "mdm,microsoftSense").
// None of these sources shows a `settingValueTemplateReference` on the Hyper-V group values, so none is sent.
import { hyperVRule, hyperVVm } from "./setting-ids";

export interface EndpointSecurityTemplate {
  templateId: string;
  templateFamily: string;
  /** What the service fills in on read (the client sends only `templateId`). */
  templateDisplayName: string;
  templateDisplayVersion: string;
  technologies: string;
  /** Top-level setting definition id → its `settingInstanceTemplateId` in this template (the ids we know). */
  settingInstanceTemplates: Readonly<Record<string, string>>;
}

export const windowsFirewallTemplate = {
  templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
  templateFamily: "endpointSecurityFirewall",
  templateDisplayName: "Windows Firewall",
  templateDisplayVersion: "Version 1",
  technologies: "mdm,microsoftSense",
  settingInstanceTemplates: { [hyperVVm.group]: "24805bd4-1133-4790-82ae-4caa63e16aa6" },
} as const satisfies EndpointSecurityTemplate;

export const hyperVFirewallRulesTemplate = {
  templateId: "a5481c22-7a2a-4f59-a33e-6eee30d02f94_1",
  templateFamily: "endpointSecurityFirewall",
  templateDisplayName: "Windows Hyper-V Firewall Rules",
  templateDisplayVersion: "Version 1",
  technologies: "mdm,microsoftSense",
  settingInstanceTemplates: { [hyperVRule.group]: "76c7a8be-67d2-44bf-81a5-38c94926b1a1" },
} as const satisfies EndpointSecurityTemplate;

/** The templates a `hyperVFirewall` policy of form "endpointSecurity" is made from. */
export const HYPERV_TEMPLATES: readonly EndpointSecurityTemplate[] = [
  windowsFirewallTemplate,
  hyperVFirewallRulesTemplate,
];

/** The Hyper-V firewall template with this id (compared case-insensitively), if it is one. */
export function hyperVTemplate(templateId: string | null | undefined): EndpointSecurityTemplate | undefined {
  const id = (templateId ?? "").toLowerCase();
  return HYPERV_TEMPLATES.find((t) => t.templateId === id);
}
