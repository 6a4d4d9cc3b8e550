// How reports show values whose catalog form is a wire constant: the Firewall CSP's profile options are
// named after their FW_PROFILE_TYPE constants in the catalog ("FWPROFILETYPESTANDARD: … AND
// FWPROFILETYPEPRIVATE …"), and a rule's protocol is an IANA number ("0-255 number representing the ip
// protocol (TCP = 6, UDP = 17)", the catalog's own description). A reviewer reads Domain/Private/Public and
// TCP/UDP, the words the portal, the CSP documentation
// (https://learn.microsoft.com/windows/client-management/mdm/firewall-csp: "Profiles … Domain, Private,
// Public") and the policy language use; ICMPv4 is protocol 1 and ICMPv6 58
// (https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml).

/** FW_PROFILE_TYPE constant (as the option's display name starts) → the profile's name. STANDARD is Private. */
const PROFILE_NAMES: Readonly<Record<string, string>> = {
  FWPROFILETYPEDOMAIN: "Domain",
  FWPROFILETYPESTANDARD: "Private",
  FWPROFILETYPEPRIVATE: "Private",
  FWPROFILETYPEPUBLIC: "Public",
  FWPROFILETYPEALL: "All",
};

/** The profile name for an option display name that starts with a FW_PROFILE_TYPE constant, else undefined. */
export function profileOptionLabel(displayName: string): string | undefined {
  const constant = /^(FWPROFILETYPE[A-Z]+)\b/.exec(displayName.trim())?.[1];
  return constant ? PROFILE_NAMES[constant] : undefined;
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: "ICMPv4", 6: "TCP", 17: "UDP", 58: "ICMPv6" };

/** Firewall rule protocol settings (`…firewallrules_{firewallrulename}_protocol`, host and Hyper-V rules). */
const PROTOCOL_SETTING = /^vendor_msft_firewall_mdmstore_(hyperv)?firewallrules_\{firewallrulename\}_protocol$/;

/** A simple setting's value as a report shows it, when it is a named constant; undefined otherwise. */
export function simpleValueLabel(definitionId: string, value: unknown): string | undefined {
  if (!PROTOCOL_SETTING.test(definitionId.toLowerCase()) || typeof value !== "number") return undefined;
  return PROTOCOL_NAMES[value];
}
