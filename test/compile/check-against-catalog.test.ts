// The catalog checker must catch what the golden tests rely on it to catch: planted wrong options,
// missing required children, children under the wrong parent, non-roots at the top, missing @odata.type.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { checkAgainstCatalog } from "../../src/compile";
import type { JsonObject } from "../../src/model";
import { compileAll, findInstance } from "./helpers";

const W = settingIds.wsl;

/** A correct compiled document to plant faults in (deep copy per test). */
function good(): JsonObject[] {
  const { desired, diagnostics } = compileAll(
    [
      {
        kind: "wslPolicy",
        id: "w",
        displayName: "W",
        wsl1: false,
        defaultNetworkingMode: "mirrored",
        assignments: { include: [{ kind: "group", name: "G" }] },
      },
      {
        kind: "hyperVFirewall",
        id: "f",
        displayName: "F",
        profiles: { public: { enabled: true, defaultInbound: "block" } },
        rules: [{ name: "r", direction: "in", action: "allow" }],
        assignments: { include: [{ kind: "group", name: "G" }] },
      },
    ],
    { guardrails: { "wsl-without-defender": "off" } },
  );
  expect(diagnostics).toEqual([]);
  return desired.objects.flatMap((o) => JSON.parse(JSON.stringify(o.document.settings)) as JsonObject[]);
}

describe("checkAgainstCatalog", () => {
  it("finds nothing wrong in correct compiled settings", () => {
    expect(checkAgainstCatalog(good())).toEqual([]);
  });

  it("catches a planted option that is not an option of the setting", () => {
    const settings = good();
    (findInstance(settings, W.allowWsl1).choiceSettingValue as JsonObject).value = `${W.allowWsl1}_2`;
    expect(checkAgainstCatalog(settings)).toEqual([
      expect.objectContaining({
        settingDefinitionId: W.allowWsl1,
        message: expect.stringContaining(`'${W.allowWsl1}_2' is not an option`),
      }),
    ]);
  });

  it("catches an option of another setting", () => {
    const settings = good();
    (findInstance(settings, W.allowWsl1).choiceSettingValue as JsonObject).value = `${W.allowWsl}_0`;
    expect(checkAgainstCatalog(settings)).toHaveLength(1);
  });

  it("catches a missing required child (the networking-mode dropdown)", () => {
    const settings = good();
    (findInstance(settings, W.defaultNetworkingMode).choiceSettingValue as JsonObject).children = [];
    expect(checkAgainstCatalog(settings)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`required child '${W.defaultNetworkingModeDropdown}' is missing`),
      }),
    ]);
  });

  it("catches a missing required rule name inside a group collection entry", () => {
    const settings = good();
    const rules = findInstance(settings, settingIds.hyperVRule.group);
    const entry = (rules.groupSettingCollectionValue as JsonObject[])[0]!;
    entry.children = (entry.children as JsonObject[]).filter(
      (c) => c.settingDefinitionId !== settingIds.hyperVRule.name,
    );
    expect(checkAgainstCatalog(settings).map((p) => p.message)).toEqual([
      expect.stringContaining(`required child '${settingIds.hyperVRule.name}'`),
    ]);
  });

  it("catches a child under the wrong option and a child setting at the top level", () => {
    const settings = good();
    const p = settingIds.hyperVVm.profile("public");
    const enable = findInstance(settings, p.enableFirewall);
    (enable.choiceSettingValue as JsonObject).value = `${p.enableFirewall}_false`; // children stay: now under the wrong option
    settings.push({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
      settingInstance: findInstance(settings, W.defaultNetworkingModeDropdown),
    });
    const messages = checkAgainstCatalog(settings).map((x) => x.message);
    expect(messages).toContainEqual(
      expect.stringContaining(
        `nested under '${p.enableFirewall}_false' but the catalog puts it under '${p.enableFirewall}_true'`,
      ),
    );
    expect(messages).toContainEqual(expect.stringContaining("is not a root setting"));
  });

  it("catches an id that is not in the catalog and a missing @odata.type", () => {
    const settings = good();
    findInstance(settings, W.allowWsl1).settingDefinitionId =
      "device_vendor_msft_policy_config_wslv1~policy~wsl_allowwsl9";
    delete (findInstance(settings, settingIds.hyperVRule.name).simpleSettingValue as JsonObject)["@odata.type"];
    delete (settings[0] as JsonObject)["@odata.type"];
    const messages = checkAgainstCatalog(settings).map((x) => `${x.path}: ${x.message}`);
    expect(messages).toContainEqual(expect.stringContaining("wsl_allowwsl9' is not in the pinned Settings Catalog"));
    expect(messages).toContainEqual(expect.stringMatching(/simpleSettingValue\.@odata\.type: missing @odata\.type/));
    expect(messages).toContainEqual(
      "settings[0].@odata.type: expected '#microsoft.graph.deviceManagementConfigurationSetting'",
    );
  });

  it("refuses a secret value: Pulumi's dynamic-provider host would keep its plaintext in state", () => {
    const settings = good();
    const value = findInstance(settings, settingIds.hyperVRule.name).simpleSettingValue as JsonObject;
    value["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSecretSettingValue";
    const problems = checkAgainstCatalog(settings);
    expect(problems).toEqual([
      expect.objectContaining({
        settingDefinitionId: settingIds.hyperVRule.name,
        message: expect.stringContaining(
          "secret setting values are not supported: Pulumi would store the plaintext in its state",
        ),
      }),
    ]);
  });

  it("catches an integer node sent as a string value", () => {
    const settings = good();
    const entry = (findInstance(settings, settingIds.hyperVRule.group).groupSettingCollectionValue as JsonObject[])[0]!;
    (entry.children as JsonObject[]).push({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
      settingDefinitionId: settingIds.hyperVRule.protocol,
      simpleSettingValue: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
        value: "6",
      },
    });
    expect(checkAgainstCatalog(settings).map((x) => x.message)).toEqual([
      expect.stringContaining("takes an integer value"),
    ]);
  });
});
