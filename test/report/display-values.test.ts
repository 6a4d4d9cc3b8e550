// Reports show values in the words a reviewer knows: a firewall rule's protocol by name (TCP, not 6: the
// catalog's own description says "TCP = 6, UDP = 17") and its profiles by name (Private, not the
// FWPROFILETYPESTANDARD constant the catalog's option display name starts with; the Firewall CSP,
// https://learn.microsoft.com/windows/client-management/mdm/firewall-csp, names them Domain, Private,
// Public). Drift never says "(was …)" of a value the tenant never had.
import { describe, expect, it } from "vitest";
import { pinnedCatalog } from "../../src/catalog";
import { computeDrift } from "../../src/diff/drift";
import { computePlan } from "../../src/diff/plan";
import { COLLECTIONS, emptySnapshot, type TenantSnapshot } from "../../src/model";
import { renderText } from "../../src/report";
import { readSnapshotFile } from "../../src/tenant";
import { desiredState } from "../diff/emulator-tenant";
import { EXAMPLES_FILE, EXAMPLES_STACK } from "../fixtures/real-shape/generate";

const TENANT = { kind: "snapshot", label: "t", tenantId: null, endpoint: null } as const;
const RULE = "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}";

describe("value labels", () => {
  it("protocols by name where the CSP number has one, the number otherwise", () => {
    const protocol = `${RULE}_protocol`;
    expect([6, 17, 1, 58, 47].map((n) => pinnedCatalog.simpleValueLabel(protocol, n))).toEqual([
      "TCP",
      "UDP",
      "ICMPv4",
      "ICMPv6",
      "47",
    ]);
    expect(pinnedCatalog.simpleValueLabel(`${RULE}_priority`, 6)).toBe("6");
  });

  it("profiles by name, STANDARD being Private", () => {
    const labels = pinnedCatalog.optionIds(`${RULE}_profiles`).map((o) => pinnedCatalog.optionLabel(o));
    expect(labels).toEqual(["Domain", "Private", "Public", "All"]);
  });
});

describe("text reports", () => {
  it("a plan shows the Hyper-V firewall rules' protocol and profiles by name", async () => {
    const desired = await desiredState(EXAMPLES_STACK);
    const text = renderText(computePlan({ desired, live: emptySnapshot(), tenant: TENANT }));
    expect(text).toContain('HyperVFirewallRules "WSL SSH from corporate network" › Protocol = TCP');
    expect(text).toContain('HyperVFirewallRules "WSL dev servers on private networks" › Profiles = Private');
    expect(text).not.toMatch(/FWPROFILETYPE|Protocol = 6/);
  });

  it("drift of objects missing from the tenant lists the declared values, never '(was …)'", async () => {
    const desired = await desiredState(EXAMPLES_STACK);
    const text = renderText(computeDrift({ desired, live: emptySnapshot(), tenant: TENANT }));
    expect(text).toContain("missing from the tenant: wsl-developers");
    expect(text).toContain("      - Allow WSL1 = Disabled\n");
    expect(text).not.toContain("(was ");
  });

  it("drift of a declared setting removed in the portal says it is declared and not set in the tenant", async () => {
    const desired = await desiredState(EXAMPLES_STACK);
    const live = readSnapshotFile(EXAMPLES_FILE) as TenantSnapshot;
    const policies = live[COLLECTIONS.configurationPolicies];
    const developers = policies.find((p) => p.name === "Win - WSL - Developers")!;
    developers.settings = developers.settings!.filter(
      (s) =>
        (s as { settingInstance: { settingDefinitionId: string } }).settingInstance.settingDefinitionId !==
        "device_vendor_msft_policy_config_wslv1~policy~wsl_allowwsl1",
    );
    const text = renderText(computeDrift({ desired, live, tenant: TENANT }));
    expect(text).toContain("      - Allow WSL1 = Disabled (declared; not set in the tenant)");
    expect(text).not.toContain("(was ");
  });
});
