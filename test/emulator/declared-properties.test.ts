// Graph refuses a request-body property its (non-open) entity type does not declare: OData's 400
// "The property '…' does not exist on type '…'". The declared properties come from the Graph beta schema
// (microsoftgraph/msgraph-metadata, schemas/type-mappings/beta-entity-types.json; src/emulator/graph-schema/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const POLICIES = "beta/deviceManagement/configurationPolicies";
const COMPLIANCE = "beta/deviceManagement/deviceCompliancePolicies";
const policy = { name: "typo", platforms: "windows10", technologies: "mdm", settings: [] };
const compliance = {
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  displayName: "typo",
  scheduledActionsForRule: [
    { ruleName: "PasswordRequired", scheduledActionConfigurations: [{ actionType: "block", gracePeriodHours: 0 }] },
  ],
};
const refused = (property: string, type: string) =>
  `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;

describe("undeclared properties in a request body", () => {
  it("a settings-catalog policy: POST, PUT and PATCH refuse them, and nothing is stored", async () => {
    const post = await emu.call("POST", POLICIES, { ...policy, bogusProperty: 1 });
    expect(post.status).toBe(400);
    expect(post.body.error.message).toBe(refused("bogusProperty", "deviceManagementConfigurationPolicy"));
    expect((await emu.call("GET", `${POLICIES}?$filter=name eq 'typo'`)).body.value).toEqual([]);

    const made = await emu.call("POST", POLICIES, policy);
    expect(made.status).toBe(201);
    expect((await emu.call("PUT", `${POLICIES}/${made.body.id}`, { ...policy, descripton: "x" })).status).toBe(400);
    const patch = await emu.call("PATCH", `${POLICIES}/${made.body.id}`, { displayName: "compliance spelling" });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toBe(refused("displayName", "deviceManagementConfigurationPolicy"));
  });

  it("a compliance policy: properties of the concrete type and its base are accepted, others refused, also inside scheduled actions", async () => {
    expect(
      (await emu.call("POST", COMPLIANCE, { ...compliance, bitLockerEnabled: true, roleScopeTagIds: ["0"] })).status,
    ).toBe(201);
    const post = await emu.call("POST", COMPLIANCE, { ...compliance, name: "settings-catalog spelling" });
    expect(post.status).toBe(400);
    expect(post.body.error.message).toBe(refused("name", "windows10CompliancePolicy"));
    const action = await emu.call("POST", COMPLIANCE, {
      ...compliance,
      scheduledActionsForRule: [{ scheduledActionConfigurations: [{ actionType: "block", gracePeriod: 12 }] }],
    });
    expect(action.status).toBe(400);
    expect(action.body.error.message).toBe(refused("gracePeriod", "deviceComplianceActionItem"));
  });

  it("annotations are not properties", async () => {
    expect(
      (await emu.call("POST", POLICIES, { ...policy, "@odata.context": "x", "settings@odata.context": "y" })).status,
    ).toBe(201);
  });

  it("a group: v1.0 POST refuses an undeclared property", async () => {
    const res = await emu.call("POST", "v1.0/groups", {
      displayName: "G",
      mailEnabled: false,
      mailNickname: "g",
      securityEnabled: true,
      owner: "x",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(refused("owner", "group"));
  });
});
