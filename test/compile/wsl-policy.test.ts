// wslPolicy → Settings Catalog: intent keys map to the ADMX options, absent keys are not emitted, and the
// default networking mode nests its dropdown under the parent's Enabled option.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import type { JsonObject } from "../../src/model";
import { WSL_KEYS_COMPILED, WSL_SWITCHES, type EveryKeyCompiled } from "../../src/compile/wsl-policy";
import { chosen, childrenOf, compileAll, findInstance, findInstances } from "./helpers";

const W = settingIds.wsl;
const base = {
  kind: "wslPolicy",
  id: "wsl",
  displayName: "WSL",
  assignments: { include: [{ kind: "group", name: "Devs" }] },
};

function settingsOf(input: Record<string, unknown>): JsonObject[] {
  const { desired, diagnostics } = compileAll([{ ...base, ...input }], {
    guardrails: { "wsl-without-defender": "off", "wsl1-not-disabled": "off" },
  });
  expect(diagnostics).toEqual([]);
  return desired.objects[0]!.document.settings as JsonObject[];
}

describe("wslPolicy compilation", () => {
  it("maps true to the _1 (Enabled) option and false to _0 (Disabled)", () => {
    const settings = settingsOf({ wsl: true, wsl1: false });
    expect(chosen(findInstance(settings, W.allowWsl))).toBe(`${W.allowWsl}_1`);
    expect(chosen(findInstance(settings, W.allowWsl1))).toBe(`${W.allowWsl1}_0`);
  });

  it("does not emit settings whose key is left out (not configured = allowed)", () => {
    const settings = settingsOf({ diskMount: false });
    expect(settings).toHaveLength(1);
    expect(findInstances(settings, W.allowWsl)).toEqual([]);
    expect(chosen(findInstance(settings, W.allowDiskMount))).toBe(`${W.allowDiskMount}_0`);
  });

  it("maps each .wslconfig lock to its user-setting-configurable definition", () => {
    const settings = settingsOf({ wslconfig: { kernelDebugging: false, networkingMode: true, firewall: false } });
    expect(chosen(findInstance(settings, W.kernelDebugging))).toBe(`${W.kernelDebugging}_0`);
    expect(chosen(findInstance(settings, W.customNetworking))).toBe(`${W.customNetworking}_1`);
    expect(chosen(findInstance(settings, W.firewallUserSetting))).toBe(`${W.firewallUserSetting}_0`);
    expect(settings).toHaveLength(3);
  });

  it.each([
    ["none", "0"],
    ["nat", "1"],
    ["mirrored", "3"],
    ["virtioProxy", "4"],
  ])("nests networking mode %s as dropdown option _%s under the wslv3 parent's Enabled option", (mode, suffix) => {
    const settings = settingsOf({ defaultNetworkingMode: mode });
    const parent = findInstance(settings, W.defaultNetworkingMode);
    expect(chosen(parent)).toBe(`${W.defaultNetworkingMode}_1`);
    const [dropdown, ...rest] = childrenOf(parent);
    expect(rest).toEqual([]);
    expect(dropdown!.settingDefinitionId).toBe(W.defaultNetworkingModeDropdown);
    expect(chosen(dropdown!)).toBe(`${W.defaultNetworkingModeDropdown}_${suffix}`);
    // Only the parent sits at the top level.
    expect(settings.map((s) => (s.settingInstance as JsonObject).settingDefinitionId)).toEqual([
      W.defaultNetworkingMode,
    ]);
  });

  it("builds the whole plain Settings Catalog body with the ownership marker", () => {
    const { desired } = compileAll([{ ...base, description: "For developers.", wsl1: false }]);
    const doc = desired.objects[0]!.document;
    expect(Object.keys(doc)).toEqual([
      "name",
      "description",
      "platforms",
      "technologies",
      "roleScopeTagIds",
      "templateReference",
      "settings",
    ]);
    expect(doc).toMatchObject({
      name: "WSL",
      description: "For developers.\n\n[wslpolicy:test/wsl]",
      platforms: "windows10",
      technologies: "mdm",
      roleScopeTagIds: ["0"],
      templateReference: { templateId: "" },
    });
    const s = (doc.settings as JsonObject[])[0]!;
    expect(s["@odata.type"]).toBe("#microsoft.graph.deviceManagementConfigurationSetting");
    expect((s.settingInstance as JsonObject)["@odata.type"]).toBe(
      "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    );
    expect(((s.settingInstance as JsonObject).choiceSettingValue as JsonObject)["@odata.type"]).toBe(
      "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
    );
  });

  it("rejects a policy that configures nothing, naming the file and export", () => {
    const { desired, diagnostics } = compileAll([base]);
    expect(desired.objects).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "policy-empty",
        severity: "error",
        file: "wsl.ts",
        path: "policy",
        message: expect.stringContaining("configures no setting"),
      }),
    ]);
  });
});

describe("every wslPolicy key has a compile row (type-level, checked by `npm run typecheck`)", () => {
  it("names the key a table lacks", () => {
    // @ts-expect-error a schema key ("newSwitch") without a compile row is a type error naming it
    const missing: EveryKeyCompiled<"wsl" | "newSwitch", "wsl"> = true;
    const covered: EveryKeyCompiled<"wsl", "wsl"> = true;
    expect([missing, covered]).toEqual([true, true]);
    // the real tables: a key added to wslPolicySchema without a row makes WSL_KEYS_COMPILED fail to type-check
    expect(WSL_KEYS_COMPILED).toEqual([true, true]);
    expect(WSL_SWITCHES.map(([key]) => key)).toEqual(["wsl", "inboxWsl", "wsl1", "debugShell", "diskMount"]);
  });
});
