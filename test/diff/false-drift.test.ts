// Each known cause of false drift  has its own case here: the live object differs
// from the compiled one only in that way, and the diff must say "unchanged". A control case shows the
// same comparison does see a real change, so none of these can pass vacuously.
import { describe, expect, it } from "vitest";
import { diffObject } from "../../src/diff/diff-object";
import { normaliseObject } from "../../src/diff/normalise";
import { secretHash } from "../../src/diff/canonical-value";
import type { DesiredObject, JsonObject } from "../../src/model";
import { FILTER, GROUP_A, GROUP_B, clone, ctx, desiredPolicy, getResponse, requestBody } from "./fixtures";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test mutations of JSON

function liveWith(mutate: (live: Mutable) => void): JsonObject {
  const live = clone(getResponse()) as Mutable;
  mutate(live);
  return live as JsonObject;
}

function actionFor(live: JsonObject, desired: DesiredObject = desiredPolicy()) {
  return diffObject(desired, live, ctx);
}

describe("a portal export and its compiled twin", () => {
  it("normalise to the same canonical form (request form vs GET form)", () => {
    const desired = desiredPolicy();
    const assignments = [
      {
        target: {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          groupId: GROUP_A,
          deviceAndAppManagementAssignmentFilterId: FILTER,
          deviceAndAppManagementAssignmentFilterType: "include",
        },
      },
      { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP_B } },
    ];
    expect(normaliseObject("configurationPolicy", getResponse())).toEqual(
      normaliseObject("configurationPolicy", desired.document, assignments),
    );
    expect(actionFor(getResponse()).action).toBe("unchanged");
  });

  it("control: a real setting change is seen", () => {
    const change = actionFor(liveWith((l) => (l.settings[1].settingInstance.simpleSettingValue.value = 50)));
    expect(change.action).toBe("update");
    expect(change.settings).toMatchObject([{ change: "changed", beforeValue: 50, afterValue: 30 }]);
  });
});

describe("false-drift sources are ignored ", () => {
  const cases: [string, (l: Mutable) => void][] = [
    ["server dates differ after a no-op PUT", (l) => (l.lastModifiedDateTime = "2026-03-01T10:00:00.1234567Z")],
    [
      "settingCount, isAssigned, creationSource, priorityMetaData",
      (l) =>
        Object.assign(l, {
          settingCount: 99,
          isAssigned: false,
          creationSource: "portal",
          priorityMetaData: { priority: 3 },
        }),
    ],
    ["an unknown server property nobody listed", (l) => (l.someFutureServerField = { nested: true })],
    [
      "@odata annotations",
      (l) =>
        Object.assign(l, {
          "@odata.etag": "W/1",
          "@microsoft.graph.tips": "x",
          "settings@odata.nextLink": "https://x",
        }),
    ],
    ["templateReference default for plain policies", (l) => (l.templateReference = null)],
    [
      "templateReference with only family/display fields changed",
      (l) =>
        (l.templateReference = {
          templateId: "",
          templateFamily: "none",
          templateDisplayName: "x",
          templateDisplayVersion: "1",
        }),
    ],
    ["settings in another order", (l) => l.settings.reverse()],
    ["settings with other ids", (l) => l.settings.forEach((s: Mutable, i: number) => (s.id = String(10 + i)))],
    ["auditRuleInformation filled in", (l) => (l.settings[0].settingInstance.auditRuleInformation = { ruleId: "x" })],
    ["choice value without children", (l) => delete l.settings[0].settingInstance.choiceSettingValue.children],
    [
      "choice value with an explicit @odata.type",
      (l) =>
        (l.settings[0].settingInstance.choiceSettingValue["@odata.type"] =
          "microsoft.graph.deviceManagementConfigurationChoiceSettingValue"),
    ],
    ["simple collection in another order", (l) => l.settings[2].settingInstance.simpleSettingCollectionValue.reverse()],
    ["an integer returned as a numeric string", (l) => (l.settings[1].settingInstance.simpleSettingValue.value = "30")],
    [
      "setting id in other case",
      (l) =>
        (l.settings[1].settingInstance.settingDefinitionId =
          "DEVICE_vendor_msft_policy_config_defender_avgcpuloadfactor"),
    ],
    ["assignments in another order, with server ids", (l) => l.assignments.reverse()],
    ["group id in upper case", (l) => (l.assignments[0].target.groupId = GROUP_A.toUpperCase())],
    [
      "target @odata.type without '#'",
      (l) => (l.assignments[0].target["@odata.type"] = "microsoft.graph.groupAssignmentTarget"),
    ],
    [
      "filter on an exclusion read back as all-zero GUID",
      (l) =>
        (l.assignments[1].target.deviceAndAppManagementAssignmentFilterId = "00000000-0000-0000-0000-000000000000"),
    ],
    ["roleScopeTagIds omitted (reads back as ['0'])", (l) => delete l.roleScopeTagIds],
    ["technologies flag list spelt with spaces", (l) => (l.technologies = " mdm ")],
    [
      "settingDefinitions expanded next to a setting",
      (l) => (l.settings[0].settingDefinitions = [{ id: "x", displayName: "Real-time monitoring" }]),
    ],
    [
      "disableEntraGroupPolicyAssignment and other unlisted policy flags",
      (l) => Object.assign(l, { disableEntraGroupPolicyAssignment: false, isAssigned: true }),
    ],
    [
      "option id in upper case",
      (l) =>
        (l.settings[0].settingInstance.choiceSettingValue.value =
          "DEVICE_vendor_msft_policy_config_defender_allowrealtimemonitoring_1"),
    ],
    [
      "description with trailing whitespace and CRLF",
      (l) => (l.description = `${String(l.description).replace(/\n/g, "\r\n")}  \r\n`),
    ],
  ];
  it.each(cases)("%s", (_name, mutate) => {
    const change = actionFor(liveWith(mutate));
    expect(change.action, JSON.stringify(change, null, 1)).toBe("unchanged");
  });

  it("roleScopeTagIds compare as a set", () => {
    const doc = { ...requestBody(), roleScopeTagIds: ["0", "7"] };
    expect(
      actionFor(
        liveWith((l) => (l.roleScopeTagIds = ["7", "0", "7"])),
        desiredPolicy(doc),
      ).action,
    ).toBe("unchanged");
  });

  it('an empty description: absent, null and "" are the same', () => {
    const doc = { ...requestBody(), description: "" };
    for (const d of [null, undefined, "", "  "])
      expect(
        actionFor(
          liveWith((l) => (l.description = d)),
          desiredPolicy(doc),
        ).action,
      ).toBe("unchanged");
  });

  it("filter defaults: null, all-zero GUID and 'none' all mean no filter", () => {
    const desired = desiredPolicy();
    desired.assignments = [{ target: { kind: "groupId", id: GROUP_A }, exclude: false }];
    for (const [id, type] of [
      [null, "none"],
      ["00000000-0000-0000-0000-000000000000", "none"],
      ["00000000-0000-0000-0000-000000000000", "include"],
      [undefined, undefined],
    ] as const) {
      const live = liveWith((l) => {
        l.assignments = [
          {
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId: GROUP_A,
              deviceAndAppManagementAssignmentFilterId: id,
              deviceAndAppManagementAssignmentFilterType: type,
            },
          },
        ];
      });
      expect(actionFor(live, desired).action, `${id}/${type}`).toBe("unchanged");
    }
  });

  it("flag lists compare as sets, so a template policy's technologies order does not matter", () => {
    const doc = {
      ...requestBody(),
      technologies: "mdm,microsoftSense",
      templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" },
    };
    const live = liveWith((l) => {
      l.technologies = "microsoftSense,mdm";
      l.templateReference = {
        templateId: "6078910E-D808-4A9F-A51D-1B8A7BACB7C0_1",
        templateFamily: "endpointSecurityFirewall",
        templateDisplayName: "Windows Firewall",
        templateDisplayVersion: "Version 1",
      };
    });
    expect(actionFor(live, desiredPolicy(doc)).action).toBe("unchanged");
  });

  it("setting template references follow from the template id and its definitions, so only the template id is compared", () => {
    // Read shape of a template policy's instances (SkipToTheEndpoint/OpenIntuneBaseline
    // WINDOWS/IntuneManagement/SettingsCatalog/ "Win - OIB - ES - Windows Firewall - D - Firewall Configuration -
    // v3.1.json"): annotated references on the top-level instance and its value; Graph refuses a reference the
    // template does not have (KelvinTegelaar/CIPP#4241).
    const template = { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" };
    const doc = { ...requestBody(), technologies: "mdm,microsoftSense", templateReference: template };
    const live = liveWith((l) => {
      l.technologies = "mdm,microsoftSense";
      l.templateReference = {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicyTemplateReference",
        ...template,
        templateFamily: "endpointSecurityFirewall",
        "templateFamily@odata.type": "#microsoft.graph.deviceManagementConfigurationTemplateFamily",
        templateDisplayName: "Windows Firewall",
        templateDisplayVersion: "Version 1",
      };
      const first = l.settings[0].settingInstance;
      first.settingInstanceTemplateReference = {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSettingInstanceTemplateReference",
        settingInstanceTemplateId: "be9453a7-6348-4112-a49e-ad029d5d3548",
      };
      first.choiceSettingValue.settingValueTemplateReference = {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSettingValueTemplateReference",
        settingValueTemplateId: "f5e48ffe-d924-4ee1-a1a1-677e259952fa",
        useTemplateDefault: false,
      };
    });
    expect(actionFor(live, desiredPolicy(doc)).action).toBe("unchanged");
    // control: another template is a replacement, not a setting change
    const other = actionFor(
      liveWith((l) => {
        l.technologies = "mdm,microsoftSense";
        l.templateReference = { templateId: "a5481c22-7a2a-4f59-a33e-6eee30d02f94_1" };
      }),
      desiredPolicy(doc),
    );
    expect(other.action).toBe("replace");
    expect(other.replaceReasons).toEqual([
      "template a5481c22-7a2a-4f59-a33e-6eee30d02f94_1 → 6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
    ]);
  });

  it("group-collection entries compare regardless of order", () => {
    const rule = (name: string, port: string) => ({
      children: [
        {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
          settingDefinitionId: "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}_name",
          simpleSettingValue: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
            value: name,
          },
        },
        {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
          settingDefinitionId: "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}_localportranges",
          simpleSettingCollectionValue: [
            { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", value: port },
          ],
        },
      ],
    });
    const group = (entries: unknown[]) => ({
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
        settingDefinitionId: "vendor_msft_firewall_mdmstore_hypervfirewallrules_{firewallrulename}",
        groupSettingCollectionValue: entries,
      },
    });
    const doc = {
      ...requestBody(),
      settings: [group([rule("SSH", "22"), rule("Dev servers", "3000-3100")])],
    } as JsonObject;
    const live = liveWith((l) => (l.settings = [group([rule("Dev servers", "3000-3100"), rule("SSH", "22")])]));
    expect(actionFor(live, desiredPolicy(doc)).action).toBe("unchanged");
    const changed = liveWith((l) => (l.settings = [group([rule("Dev servers", "3000-3200"), rule("SSH", "22")])]));
    const change = actionFor(changed, desiredPolicy(doc));
    expect(change.settings.map((s) => [s.label, s.before, s.after])).toEqual([
      ['HyperVFirewallRules "Dev servers" › Local Port Ranges', '["3000-3200"]', '["3000-3100"]'],
    ]);
  });
});

describe("secrets", () => {
  const secretDoc = (value: unknown) =>
    ({
      ...requestBody(),
      settings: [
        {
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
            settingDefinitionId: "vendor_secret_setting",
            simpleSettingValue: value,
          },
        },
      ],
    }) as JsonObject;
  const desired = desiredPolicy(
    secretDoc({
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
      value: "hunter2",
      valueState: "notEncrypted",
    }),
  );
  const live = liveWith(
    (l) =>
      (l.settings = (
        secretDoc({
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
          value: "8c1f0c9e-opaque-token",
          valueState: "encryptedValueToken",
        }) as Mutable
      ).settings),
  );

  it("an encrypted token is never compared: unchanged, and the report says so", () => {
    const change = diffObject(desired, live, ctx);
    expect(change.action).toBe("unchanged");
    expect(change.notes.join("\n")).toMatch(/secret not compared/);
    expect(JSON.stringify(change)).not.toContain("hunter2");
  });

  it("with the hash of the secret last written, a new desired secret is a change (shown without the plaintext)", () => {
    const change = diffObject(desired, live, {
      ...ctx,
      knownSecretHashes: { vendor_secret_setting: secretHash("old-password") },
    });
    expect(change.action).toBe("update");
    expect(change.settings[0]).toMatchObject({
      before: "(secret)",
      after: "(secret)",
      beforeValue: null,
      afterValue: null,
    });
    expect(JSON.stringify(change)).not.toContain(secretHash("hunter2"));
    expect(JSON.stringify(change)).not.toContain("hunter2");
    expect(
      diffObject(desired, live, { ...ctx, knownSecretHashes: { vendor_secret_setting: secretHash("hunter2") } }).action,
    ).toBe("unchanged");
  });
});

describe("template references", () => {
  it("template-bound settings compare by value; the instance/value template references Graph echoes do not count", () => {
    const ref = (doc: JsonObject, valueRef: Record<string, unknown>) => {
      const s = (doc.settings as Mutable[])[0]!.settingInstance;
      s.settingInstanceTemplateReference = { settingInstanceTemplateId: "F0790E28-9231-4D37-8F44-84BB47CA1B3E" };
      s.choiceSettingValue.settingValueTemplateReference = valueRef;
      return doc;
    };
    const desired = desiredPolicy(
      ref(requestBody(), { settingValueTemplateId: "0492c452-1069-4b91-9363-93b8e006ab12" }),
    );
    const live = liveWith((l) => {
      l.settings[0].settingInstance.settingInstanceTemplateReference = {
        settingInstanceTemplateId: "f0790e28-9231-4d37-8f44-84bb47ca1b3e",
      };
      l.settings[0].settingInstance.choiceSettingValue.settingValueTemplateReference = {
        settingValueTemplateId: "0492c452-1069-4b91-9363-93b8e006ab12",
        useTemplateDefault: false,
      };
    });
    expect(diffObject(desired, live, ctx).action).toBe("unchanged");
  });
});

describe("a compliance policy's scheduled actions", () => {
  // What the create sends (the portal's request: deploymenttheory/terraform-provider-microsoft365,
  // …/windows_device_compliance_policy/resource_docs/create_reqs.md) and what Graph reads back with
  // `$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)` (SkipToTheEndpoint/OpenIntuneBaseline,
  // WINDOWS/IntuneManagement/CompliancePolicies/*.json: ids, `ruleName: null`, zero-GUID template, annotations).
  const sent = (grace: number) => [
    {
      ruleName: "PasswordRequired",
      scheduledActionConfigurations: [
        { actionType: "block", gracePeriodHours: grace, notificationTemplateId: "", notificationMessageCCList: [] },
      ],
    },
  ];
  const read = (grace: number) => [
    {
      "@odata.type": "#microsoft.graph.deviceComplianceScheduledActionForRule",
      "scheduledActionConfigurations@odata.context": "https://graph.microsoft.com/beta/$metadata#x",
      id: "32046693-d787-496c-af0c-02f450fc14f0",
      ruleName: null,
      scheduledActionConfigurations: [
        {
          "@odata.type": "#microsoft.graph.deviceComplianceActionItem",
          actionType: "block",
          notificationMessageCCList: [],
          gracePeriodHours: grace,
          id: "a388c176-b79b-402f-ad32-252f89760c11",
          notificationTemplateId: "00000000-0000-0000-0000-000000000000",
        },
      ],
    },
  ];
  const policy = (scheduledActionsForRule: unknown) => ({
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    displayName: "Win - WSL",
    wslDistributions: [{ distribution: "Ubuntu" }],
    scheduledActionsForRule,
  });

  it("a create body and Graph's read of it normalise alike", () => {
    expect(normaliseObject("compliancePolicy", policy(read(12)))).toEqual(
      normaliseObject("compliancePolicy", policy(sent(12))),
    );
  });

  it("control: another grace period is a change", () => {
    expect(normaliseObject("compliancePolicy", policy(read(24)))).not.toEqual(
      normaliseObject("compliancePolicy", policy(sent(12))),
    );
  });
});
