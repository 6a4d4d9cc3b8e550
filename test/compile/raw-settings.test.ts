// settingsCatalogPolicy: raw settings are validated against the pinned catalog and emitted with the
// instance type of their definition kind; every problem names the field path.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model";
import { chosen, compileAll, findInstance } from "./helpers";

const P = "vendor_msft_firewall_mdmstore_publicprofile_";
const base = {
  kind: "settingsCatalogPolicy",
  id: "raw",
  displayName: "Raw",
  assignments: { include: [{ kind: "group", name: "Devs" }] },
};

function compileRaw(settings: unknown[]) {
  return compileAll([{ ...base, settings }]);
}

function errors(settings: unknown[]) {
  const { desired, diagnostics } = compileRaw(settings);
  expect(desired.objects).toEqual([]);
  return diagnostics.map((d) => ({ code: d.code, path: d.path, message: d.message, severity: d.severity }));
}

describe("raw Settings Catalog settings", () => {
  it("emits choice, nested children, integer and string simple values, and choice collections by definition kind", () => {
    const { desired, diagnostics } = compileRaw([
      {
        id: `${P}enablefirewall`,
        value: "true",
        children: [
          { id: `${P}logmaxfilesize`, value: 1024 },
          { id: `${P}logfilepath`, value: "x.log" },
        ],
      },
      { id: "vendor_msft_firewall_mdmstore_global_ipsecexempt", values: ["1", "2"] },
    ]);
    expect(diagnostics).toEqual([]);
    const settings = desired.objects[0]!.document.settings as JsonObject[];
    expect(chosen(findInstance(settings, `${P}enablefirewall`))).toBe(`${P}enablefirewall_true`);
    expect(findInstance(settings, `${P}logmaxfilesize`).simpleSettingValue).toEqual({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
      value: 1024,
    });
    expect(findInstance(settings, `${P}logfilepath`).simpleSettingValue).toEqual({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
      value: "x.log",
    });
    expect(findInstance(settings, "vendor_msft_firewall_mdmstore_global_ipsecexempt")["@odata.type"]).toBe(
      "#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionInstance",
    );
  });

  it("names an unknown id with its path", () => {
    expect(
      errors([
        { id: `${P}enablefirewall`, value: "true" },
        { id: "device_vendor_msft_policy_config_nope", value: "1" },
        { id: "nope2", value: "x" },
      ]),
    ).toEqual([
      {
        code: "catalog-unknown-setting",
        severity: "error",
        path: "policy.settings[1].id",
        message: "'device_vendor_msft_policy_config_nope' is not a setting in the pinned Settings Catalog",
      },
      {
        code: "catalog-unknown-setting",
        severity: "error",
        path: "policy.settings[2].id",
        message: "'nope2' is not a setting in the pinned Settings Catalog",
      },
    ]);
  });

  it("suggests the lowercase id when only the case is wrong", () => {
    expect(errors([{ id: `${P}EnableFirewall`, value: "true" }])[0]!.message).toContain(
      `did you mean '${P}enablefirewall'`,
    );
  });

  it("rejects an option that belongs to another setting, listing the valid ones", () => {
    const [e] = errors([
      { id: `${P}enablefirewall`, value: "vendor_msft_firewall_mdmstore_domainprofile_enablefirewall_true" },
    ]);
    expect(e).toMatchObject({ code: "catalog-invalid-option", path: "policy.settings[0].value" });
    expect(e!.message).toContain(`${P}enablefirewall_false, ${P}enablefirewall_true`);
  });

  it("rejects a child setting at the top level and says where it belongs", () => {
    const [e] = errors([{ id: `${P}defaultinboundaction`, value: "1" }]);
    expect(e).toMatchObject({ code: "catalog-misplaced-setting", path: "policy.settings[0].id" });
    expect(e!.message).toContain(
      `nest it in \`children\` of '${P}enablefirewall' with value '${P}enablefirewall_true'`,
    );
  });

  it("rejects a child under the wrong parent or option", () => {
    expect(
      errors([
        { id: `${P}enablefirewall`, value: "false", children: [{ id: `${P}defaultinboundaction`, value: "1" }] },
      ]),
    ).toEqual([
      expect.objectContaining({
        code: "catalog-misplaced-setting",
        path: "policy.settings[0].children[0].id",
        message: expect.stringContaining(`the catalog puts it under '${P}enablefirewall_true'`),
      }),
    ]);
  });

  it("checks the value type: strings for string nodes, integers for integer nodes", () => {
    expect(
      errors([{ id: `${P}enablefirewall`, value: "true", children: [{ id: `${P}logmaxfilesize`, value: "1024" }] }]),
    ).toEqual([
      expect.objectContaining({
        code: "catalog-invalid-value",
        path: "policy.settings[0].children[0].value",
        message: expect.stringContaining("takes an integer"),
      }),
    ]);
    expect(
      errors([{ id: `${P}enablefirewall`, value: "true", children: [{ id: `${P}logfilepath`, value: 3 }] }])[0]!
        .message,
    ).toContain("takes a string");
  });

  it("requires an option on a choice and rejects fields its kind does not take", () => {
    expect(errors([{ id: `${P}enablefirewall` }])[0]).toMatchObject({
      code: "catalog-invalid-option",
      path: "policy.settings[0].value",
    });
    expect(errors([{ id: `${P}enablefirewall`, values: ["true"] }])[0]).toMatchObject({
      code: "catalog-invalid-value",
      path: "policy.settings[0].values",
    });
  });

  it("reports a missing required child, naming it", () => {
    const [e] = errors([{ id: "device_vendor_msft_policy_config_wslv3~policy~wsl_defaultnetworkingmode", value: "1" }]);
    expect(e).toMatchObject({ code: "catalog-missing-setting", path: "policy.settings[0].children" });
    expect(e!.message).toContain(
      "required setting 'device_vendor_msft_policy_config_wslv3~policy~wsl_defaultnetworkingmode_defaultnetworkingmode_dropdown'",
    );
  });

  it("requires the rule name inside each Hyper-V rule group entry", () => {
    const R = "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}";
    const errs = errors([
      { id: R, groups: [[{ id: `${R}_name`, value: "ok" }], [{ id: `${R}_direction`, value: "in" }]] },
    ]);
    expect(errs).toEqual([
      expect.objectContaining({
        code: "catalog-missing-setting",
        path: "policy.settings[0].groups[1]",
        message: expect.stringContaining(`'${R}_name'`),
      }),
    ]);
  });

  it("rejects the same setting twice", () => {
    expect(
      errors([
        { id: `${P}enablefirewall`, value: "true" },
        { id: `${P}enablefirewall`, value: "false" },
      ])[0],
    ).toMatchObject({ code: "catalog-duplicate-setting", path: "policy.settings[1].id" });
  });
});
