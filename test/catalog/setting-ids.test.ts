import { describe, expect, it } from "vitest";
import { pinnedCatalog, settingIds } from "../../src/catalog";

function collectIds(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "function")
    return ["domain", "private", "public"].flatMap((p) => collectIds((value as (p: string) => unknown)(p)));
  if (value && typeof value === "object") return Object.values(value).flatMap(collectIds);
  return [];
}

describe("pinned catalog", () => {
  it("holds the 14 WSL and 111 Firewall definitions of shared/catalog", () => {
    expect(pinnedCatalog.size).toBe(125);
  });

  it("contains every WSL setting id the compiler names", () => {
    for (const id of Object.values(settingIds.wsl)) expect(pinnedCatalog.has(id), id).toBe(true);
  });

  it("contains every Hyper-V VM setting and rule id the compiler names, options included", () => {
    for (const id of [...collectIds(settingIds.hyperVVm), ...collectIds(settingIds.hyperVRule)]) {
      expect(pinnedCatalog.has(id) || pinnedCatalog.ownerOfOption(id) !== undefined, id).toBe(true);
    }
  });

  it("nests the networking-mode dropdown under the Enabled option of its parent, as required", () => {
    expect(pinnedCatalog.parent(settingIds.wsl.defaultNetworkingModeDropdown)).toEqual({
      parentId: settingIds.wsl.defaultNetworkingMode,
      optionId: `${settingIds.wsl.defaultNetworkingMode}_1`,
      required: true,
    });
  });

  it("nests per-profile Hyper-V settings under their enablefirewall_true option", () => {
    const p = settingIds.hyperVVm.profile("public");
    expect(pinnedCatalog.parent(p.defaultInboundAction)?.optionId).toBe(`${p.enableFirewall}_true`);
    expect(pinnedCatalog.parent(p.enableFirewall)?.optionId).toBe(settingIds.hyperVVm.targetWsl);
  });

  it("labels options for reports", () => {
    expect(pinnedCatalog.optionLabel(`${settingIds.wsl.allowWsl1}_0`)).toBe("Disabled");
    // The profile by name (Firewall CSP: "Domain, Private, Public"), not its FW_PROFILE_TYPE constant.
    expect(pinnedCatalog.optionLabel(`${settingIds.hyperVRule.profiles}_4`)).toBe("Public");
    expect(pinnedCatalog.displayName(settingIds.wsl.allowWsl1)).toMatch(/WSL1/);
  });

  it("types simple values from the CSP format", () => {
    expect(pinnedCatalog.simpleValueType(settingIds.hyperVRule.protocol)).toBe("integer");
    expect(pinnedCatalog.simpleValueType(settingIds.hyperVRule.name)).toBe("string");
  });
});
