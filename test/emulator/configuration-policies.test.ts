// Fidelity of the settings-catalog endpoints to Graph
// (api-reference/beta/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy.md and real exports): what
// POST returns, how GET reads, PUT replacing settings, PATCH refusing settings and immutable fields, paging, OData
// options, validation against the pinned catalog, and `assign` replacing the whole list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIRTUAL_GROUP_IDS } from "../../src/model";
import { choiceSetting, intuneText, policyBody, POLICIES, start, WSL, wslFlag, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

async function create(name: string, settings?: unknown[]) {
  const res = await emu.call("POST", POLICIES, policyBody(name, settings));
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe("POST configurationPolicies", () => {
  it("answers 201 with the server fields of a created policy and no settings in the echo", async () => {
    const res = await emu.call(
      "POST",
      POLICIES,
      policyBody("create-echo", [wslFlag("allowwsl1", false), wslFlag("allowdebugshell", false)]),
    );
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(res.body.lastModifiedDateTime).toBe(res.body.createdDateTime);
    expect(res.body).toMatchObject({
      settingCount: 2,
      creationSource: null,
      priorityMetaData: null,
      roleScopeTagIds: ["0"],
    });
    expect(res.body.templateReference).toEqual({
      templateId: "",
      templateFamily: "none",
      templateDisplayName: null,
      templateDisplayVersion: null,
    });
    expect(res.body.settings).toBeUndefined();
    expect(res.body["@odata.context"]).toBe(
      `${emu.baseUrl}beta/$metadata#deviceManagement/configurationPolicies/$entity`,
    );
  });

  it("stores settings in the read shape of real exports: positional ids, null template references, no @odata.type on choice values", async () => {
    const { id } = await create("read-shape");
    const res = await emu.call("GET", `${POLICIES}/${id}?$expand=settings`);
    expect(res.body.settings).toEqual([
      {
        id: "0",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
          settingDefinitionId: `${WSL}allowwsl1`,
          settingInstanceTemplateReference: null,
          auditRuleInformation: null,
          choiceSettingValue: { settingValueTemplateReference: null, value: `${WSL}allowwsl1_0`, children: [] },
        },
      },
    ]);
    expect(res.body["settings@odata.context"]).toContain(`configurationPolicies('${id}')/settings`);
  });

  it("rejects a top-level @odata.type, as one public report saw", async () => {
    const res = await emu.call("POST", POLICIES, {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
      ...policyBody("typed"),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("could not be resolved by the model");
  });

  it("rejects an instance without @odata.type (abstract type)", async () => {
    const setting = wslFlag("allowwsl1", false);
    const { "@odata.type": _dropped, ...instance } = setting.settingInstance;
    const res = await emu.call("POST", POLICIES, policyBody("untyped", [{ settingInstance: instance }]));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Cannot create an abstract class.");
  });

  it("rejects a simple value without @odata.type", async () => {
    const setting = {
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
        settingDefinitionId: "vendor_msft_firewall_mdmstore_global_saidletime",
        simpleSettingValue: { value: 300 },
      },
    };
    const res = await emu.call("POST", POLICIES, policyBody("untyped-simple", [setting]));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Cannot create an abstract class.");
  });

  it("rejects a setting id outside the catalog and an option the setting does not have, with an Intune-style message", async () => {
    const unknown = await emu.call(
      "POST",
      POLICIES,
      policyBody("unknown-id", [choiceSetting(`${WSL}allowwsl9`, `${WSL}allowwsl9_0`)]),
    );
    expect(unknown.status).toBe(400);
    expect(intuneText(unknown.body)).toContain(`${WSL}allowwsl9`);
    const badOption = await emu.call(
      "POST",
      POLICIES,
      policyBody("bad-option", [choiceSetting(`${WSL}allowwsl1`, `${WSL}allowwsl1_7`)]),
    );
    expect(badOption.status).toBe(400);
    expect(intuneText(badOption.body)).toContain(`Invalid option '${WSL}allowwsl1_7'`);
  });

  it("rejects a child setting at the top level and a child under the wrong parent", async () => {
    const child = choiceSetting(
      "vendor_msft_firewall_mdmstore_domainprofile_defaultinboundaction",
      "vendor_msft_firewall_mdmstore_domainprofile_defaultinboundaction_1",
    );
    expect((await emu.call("POST", POLICIES, policyBody("top-child", [child]))).status).toBe(400);
    const wrongParent = choiceSetting(`${WSL}allowwsl1`, `${WSL}allowwsl1_0`, [child.settingInstance]);
    expect((await emu.call("POST", POLICIES, policyBody("wrong-parent", [wrongParent]))).status).toBe(400);
  });

  it("rejects Windows settings in a policy for another platform", async () => {
    const res = await emu.call("POST", POLICIES, { ...policyBody("mac wsl"), platforms: "macOS" });
    expect(res.status).toBe(400);
    expect(intuneText(res.body)).toContain("not applicable to platform 'macOS'");
  });

  it("accepts a nested Hyper-V firewall block whose children hang where the catalog says", async () => {
    const VM = "vendor_msft_firewall_mdmstore_hypervvmsettings_{vmcreatorid}";
    const enable = choiceSetting(`${VM}_publicprofile_enablefirewall`, `${VM}_publicprofile_enablefirewall_true`, [
      choiceSetting(`${VM}_publicprofile_defaultinboundaction`, `${VM}_publicprofile_defaultinboundaction_1`)
        .settingInstance,
    ]).settingInstance;
    const group = {
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
        settingDefinitionId: VM,
        groupSettingCollectionValue: [
          { children: [choiceSetting(`${VM}_target`, `${VM}_target_wsl`, [enable]).settingInstance] },
        ],
      },
    };
    const res = await emu.call("POST", POLICIES, policyBody("hyperv", [group]));
    expect(res.status).toBe(201);
    const settings = await emu.call("GET", `${POLICIES}/${res.body.id}/settings`);
    expect(
      settings.body.value[0].settingInstance.groupSettingCollectionValue[0].children[0].choiceSettingValue.children[0]
        .settingDefinitionId,
    ).toBe(`${VM}_publicprofile_enablefirewall`);
  });
});

describe("GET configurationPolicies", () => {
  it("accepts the OData key syntax ('{id}') as well as /{id}", async () => {
    const { id } = await create("key-syntax");
    expect((await emu.call("GET", `${POLICIES}('${id}')`)).body.id).toBe(id);
    expect((await emu.call("GET", `${POLICIES}/${id}`)).body.id).toBe(id);
  });

  it("404s for an unknown id", async () => {
    const res = await emu.call("GET", `${POLICIES}/00000000-0000-0000-0000-0000000000ff`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("rejects an expand of a property that does not exist", async () => {
    const { id } = await create("bad-expand");
    const res = await emu.call("GET", `${POLICIES}/${id}?$expand=settings,relationships`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("Could not find a property named 'relationships'");
  });

  it("is beta only: v1.0 knows no configurationPolicies segment", async () => {
    const res = await emu.call("GET", "v1.0/deviceManagement/configurationPolicies");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("Resource not found for the segment 'configurationPolicies'.");
  });
});

describe("list paging and query options", () => {
  let page: TestEmulator;
  beforeAll(async () => {
    page = await start({ throttling: { enabled: false } });
    for (let i = 0; i < 60; i++) {
      const res = await page.call(
        "POST",
        POLICIES,
        policyBody(`Paged ${String(i).padStart(2, "0")}${i % 10 === 0 ? " WSL" : ""}`),
      );
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => page.stop());

  it("pages at 25 with an absolute nextLink and @odata.count equal to the page length", async () => {
    const first = await page.call("GET", POLICIES);
    expect(first.body.value).toHaveLength(25);
    expect(first.body["@odata.count"]).toBe(25);
    expect(first.body["@odata.nextLink"]).toMatch(
      new RegExp(`^${page.baseUrl.replace(/[/.]/g, "\\$&")}beta/deviceManagement/configurationPolicies\\?.*skiptoken=`),
    );
    const second = await page.call("GET", first.body["@odata.nextLink"]);
    const third = await page.call("GET", second.body["@odata.nextLink"]);
    expect(third.body.value).toHaveLength(10);
    expect(third.body["@odata.count"]).toBe(10);
    expect(third.body["@odata.nextLink"]).toBeUndefined();
    const ids = [...first.body.value, ...second.body.value, ...third.body.value].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(60);
  });

  it("honours $top and top without $ on beta, keeping it in the nextLink", async () => {
    const res = await page.call("GET", `${POLICIES}?top=40`);
    expect(res.body.value).toHaveLength(40);
    expect(res.body["@odata.nextLink"]).toContain("top=40");
    const next = await page.call("GET", res.body["@odata.nextLink"]);
    expect(next.body.value).toHaveLength(20);
  });

  it("rejects $count (Obs S25)", async () => {
    const res = await page.call("GET", `${POLICIES}?$count=true`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("Query option 'Count' is not allowed");
  });

  it("filters by name, contains(), platforms and technologies has, and keeps filters across pages", async () => {
    const eq = await page.call("GET", `${POLICIES}?$filter=${encodeURIComponent("name eq 'Paged 03'")}`);
    expect(eq.body.value.map((p: { name: string }) => p.name)).toEqual(["Paged 03"]);
    const contains = await page.call("GET", `${POLICIES}?$filter=${encodeURIComponent("contains(name,'wsl')")}`);
    expect(contains.body.value).toHaveLength(6);
    const combined = await page.call(
      "GET",
      `${POLICIES}?$filter=${encodeURIComponent("platforms eq 'windows10' and technologies has 'mdm' and (templateReference/templateFamily eq 'none')")}&$top=50`,
    );
    expect(combined.body.value).toHaveLength(50);
    const rest = await page.call("GET", combined.body["@odata.nextLink"]);
    expect(rest.body.value).toHaveLength(10);
  });

  it("orders by $orderby, descending on request", async () => {
    const res = await page.call("GET", `${POLICIES}?$orderby=${encodeURIComponent("name desc")}&$top=3&$select=name`);
    expect(res.body.value.map((p: { name: string }) => p.name)).toEqual(["Paged 59", "Paged 58", "Paged 57"]);
  });

  it("omits isAssigned unless selected, and $select projects", async () => {
    const plain = await page.call("GET", `${POLICIES}?$top=1`);
    expect(plain.body.value[0]).not.toHaveProperty("isAssigned");
    expect(plain.body["@microsoft.graph.tips"]).toBeTypeOf("string");
    const selected = await page.call("GET", `${POLICIES}?$top=1&$select=id,name,isAssigned`);
    expect(Object.keys(selected.body.value[0]).sort()).toEqual(["id", "isAssigned", "name"]);
    expect(selected.body.value[0].isAssigned).toBe(false);
  });

  it("pages /settings at 25: a client that ignores nextLink loses settings", async () => {
    // made "in the portal": 30 settings (more than the pinned catalog has roots)
    const roots = Array.from({ length: 30 }, (_, i) =>
      choiceSetting(
        `device_vendor_msft_policy_config_example_setting${i}`,
        `device_vendor_msft_policy_config_example_setting${i}_1`,
      ),
    );
    const stored = page.state.addConfigurationPolicy(policyBody("many settings", roots));
    const res = { body: stored };
    const first = await page.call("GET", `${POLICIES}/${res.body.id}/settings`);
    expect(first.body.value).toHaveLength(25);
    const all = [...first.body.value];
    let next: string | undefined = first.body["@odata.nextLink"];
    while (next) {
      const r = await page.call("GET", next);
      all.push(...r.body.value);
      next = r.body["@odata.nextLink"];
    }
    expect(all.map((s: { id: string }) => s.id)).toEqual(roots.map((_, i) => String(i)));
  });
});

describe("PUT, PATCH, DELETE", () => {
  it("PUT answers 204 and replaces the settings wholesale", async () => {
    const { id } = await create("put-me", [wslFlag("allowwsl1", false), wslFlag("allowdebugshell", false)]);
    const put = await emu.call(
      "PUT",
      `${POLICIES}('${id}')`,
      policyBody("put-me renamed", [wslFlag("allowdiskmount", false)]),
    );
    expect(put.status).toBe(204);
    expect(put.text).toBe("");
    const after = await emu.call("GET", `${POLICIES}/${id}?$expand=settings`);
    expect(after.body.name).toBe("put-me renamed");
    expect(after.body.settingCount).toBe(1);
    expect(
      after.body.settings.map(
        (s: { settingInstance: { settingDefinitionId: string } }) => s.settingInstance.settingDefinitionId,
      ),
    ).toEqual([`${WSL}allowdiskmount`]);
    expect(after.body.lastModifiedDateTime > after.body.createdDateTime).toBe(true);
  });

  it("PATCH with settings fails with Graph's navigation-property message (Obs S21)", async () => {
    const { id } = await create("patch-settings");
    const res = await emu.call("PATCH", `${POLICIES}/${id}`, { settings: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Cannot apply PATCH to navigation property 'settings' on entity type 'microsoft.management.services.api.deviceManagementConfigurationPolicy'.",
    );
  });

  it("PATCH of metadata answers 204 as Intune is observed to (microsoftgraph/microsoft-graph-docs-contrib#6570, #8701) and keeps the settings", async () => {
    const { id } = await create("patch-meta");
    const res = await emu.call("PATCH", `${POLICIES}/${id}`, { name: "patched", description: "d" });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await emu.call("GET", `${POLICIES}/${id}`)).body).toMatchObject({
      id,
      name: "patched",
      description: "d",
      settingCount: 1,
    });
  });

  it("PATCH answers 200 with the entity when told to answer as the docs show (api-reference/beta/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-update.md)", async () => {
    const documented = await start({ throttling: { enabled: false }, patchAnswer: "entity" });
    try {
      const made = await documented.call("POST", POLICIES, {
        name: "doc-patch",
        platforms: "windows10",
        technologies: "mdm",
        settings: [],
      });
      const res = await documented.call("PATCH", `${POLICIES}/${made.body.id}`, { name: "patched" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: made.body.id, name: "patched" });
    } finally {
      await documented.stop();
    }
  });

  it.each([
    ["platforms", { platforms: "macOS" }],
    ["technologies", { technologies: "mdm,microsoftSense" }],
    ["template", { templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" } }],
    ["creationSource", { creationSource: "portal" }],
  ])("PATCH and PUT changing %s fail with Intune's immutable-fields message (Obs S37)", async (_field, change) => {
    const { id } = await create(`immutable-${_field}`);
    const patch = await emu.call("PATCH", `${POLICIES}/${id}`, change);
    expect(patch.status).toBe(400);
    expect(intuneText(patch.body)).toContain(
      "Platform, PolicyType, and CreationSource cannot be changed once created.",
    );
    const put = await emu.call("PUT", `${POLICIES}/${id}`, { ...policyBody(`immutable-${_field}`), ...change });
    expect(put.status).toBe(400);
  });

  it("has no route for writes to a single setting (Obs S22)", async () => {
    const { id } = await create("setting-patch");
    const res = await emu.call("PATCH", `${POLICIES}/${id}/settings/0`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "No OData route exists that match template ~/singleton/navigation/key/navigation/key with http verb PATCH",
    );
  });

  it("DELETE answers 204 and the policy is gone", async () => {
    const { id } = await create("delete-me");
    expect((await emu.call("DELETE", `${POLICIES}/${id}`)).status).toBe(204);
    expect((await emu.call("GET", `${POLICIES}/${id}`)).status).toBe(404);
  });
});

describe("assign", () => {
  it("answers 200 with the new list, which replaces the old one entirely", async () => {
    const { id } = await create("assign-me");
    const g1 = "4ab60a30-b0d4-46e5-b9a3-4c6d5c6fc9f5";
    const g2 = "62e39046-aad3-4423-98e0-b486e3538aff";
    const first = await emu.call("POST", `${POLICIES}/${id}/assign`, {
      assignments: [
        { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: g1 } },
        { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.value).toEqual([
      {
        id: `${id}_${g1}`,
        source: "direct",
        sourceId: id,
        target: {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: "none",
          groupId: g1,
        },
      },
      {
        id: `${id}_${VIRTUAL_GROUP_IDS.allDevices}`,
        source: "direct",
        sourceId: id,
        target: {
          "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: "none",
        },
      },
    ]);
    await emu.call("POST", `${POLICIES}/${id}/assign`, {
      assignments: [{ target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: g2 } }],
    });
    const listed = await emu.call("GET", `${POLICIES}/${id}/assignments`);
    expect(listed.body.value.map((a: { id: string }) => a.id)).toEqual([`${id}_${g2}`]);
    await emu.call("POST", `${POLICIES}/${id}/assign`, { assignments: [] });
    expect((await emu.call("GET", `${POLICIES}/${id}/assignments`)).body.value).toEqual([]);
  });

  it("is visible through $expand=assignments and isAssigned", async () => {
    const { id } = await create("assign-expand");
    await emu.call("POST", `${POLICIES}/${id}/assign`, {
      assignments: [{ target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } }],
    });
    const res = await emu.call("GET", `${POLICIES}/${id}?$expand=assignments&$select=id,isAssigned`);
    expect(res.body.isAssigned).toBe(true);
    expect(res.body.assignments[0].id).toBe(`${id}_${VIRTUAL_GROUP_IDS.allUsers}`);
  });

  it("requires @odata.type on targets and groupId on group targets", async () => {
    const { id } = await create("assign-bad");
    expect(
      (await emu.call("POST", `${POLICIES}/${id}/assign`, { assignments: [{ target: { groupId: "x" } }] })).status,
    ).toBe(400);
    expect(
      (
        await emu.call("POST", `${POLICIES}/${id}/assign`, {
          assignments: [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget" } }],
        })
      ).status,
    ).toBe(400);
  });
});

describe("responses", () => {
  it("carry request-id, echo client-request-id and put both in error bodies", async () => {
    const res = await emu.call("GET", `${POLICIES}/missing-id`, undefined, {
      headers: { "client-request-id": "abc-123" },
    });
    expect(res.headers.get("client-request-id")).toBe("abc-123");
    const requestId = res.headers.get("request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error.innerError).toMatchObject({ "request-id": requestId, "client-request-id": "abc-123" });
    expect(res.body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });
});
