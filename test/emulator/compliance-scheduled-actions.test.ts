// A compliance policy's scheduled actions as Graph keeps and returns them. Sources, per case:
//   - read-back shape: the real exports in SkipToTheEndpoint/OpenIntuneBaseline,
//     WINDOWS/IntuneManagement/CompliancePolicies/*.json (a GET with
//     `$expand=assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)`): the rule's id is the
//     policy's, `ruleName: null`, `notificationTemplateId` the zero GUID;
//   - "one and only one block scheduled action": microsoftgraph/microsoft-graph-docs#7746,
//     microsoftgraph/microsoft-graph-docs-contrib#5561;
//   - `scheduledActionConfigurations` is a relationship (only through a nested `$expand`):
//     microsoftgraph/microsoft-graph-docs-contrib
// api-reference/v1.0/resources/intune-deviceconfig-devicecompliancescheduledactionforrule.md;
//   - no GET route for `…/scheduledActionsForRule`: microsoftgraph/microsoft-graph-docs#4104, #16701;
//   - `scheduleActionsForRules` answers 204:
// api-reference/beta/api/intune-deviceconfig-devicecompliancepolicy-scheduleactionsforrules.md.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intuneText, start, type TestEmulator } from "./helpers";

const COMPLIANCE = "beta/deviceManagement/deviceCompliancePolicies";
const ZERO = "00000000-0000-0000-0000-000000000000";
const EXPAND = "$expand=assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)";
let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const action = (actionType: string, gracePeriodHours = 0) => ({
  actionType,
  gracePeriodHours,
  notificationTemplateId: "",
  notificationMessageCCList: [],
});
/** The portal's create body
 * (deploymenttheory/terraform-provider-microsoft365
 * …/windows_device_compliance_policy/resource_docs/create_reqs.md). */
const policy = (configs: unknown[] = [action("block", 12)]) => ({
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  displayName: "Win - WSL - Approved distributions",
  wslDistributions: [{ distribution: "Ubuntu" }],
  scheduledActionsForRule: [{ ruleName: "PasswordRequired", scheduledActionConfigurations: configs }],
});

async function created(configs?: unknown[]): Promise<string> {
  const res = await emu.call("POST", COMPLIANCE, policy(configs));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("scheduled actions of a compliance policy", () => {
  it("read back with the policy's id as the rule id, ruleName null and the zero-GUID template, whatever the create sent", async () => {
    const id = await created();
    const res = await emu.call("GET", `${COMPLIANCE}/${id}?${EXPAND}`);
    expect(res.status).toBe(200);
    const [rule] = res.body.scheduledActionsForRule;
    expect(rule).toMatchObject({ id, ruleName: null });
    expect(rule.scheduledActionConfigurations).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        actionType: "block",
        gracePeriodHours: 12,
        notificationTemplateId: ZERO,
        notificationMessageCCList: [],
      },
    ]);
    expect(rule.scheduledActionConfigurations[0].id).not.toBe(id);
  });

  it.each([
    ["no block action", [action("notification")]],
    ["two block actions", [action("block"), action("block", 24)]],
    ["no actions", []],
  ])("refuses a create with %s: exactly one block action", async (_name, configs) => {
    const res = await emu.call("POST", COMPLIANCE, policy(configs));
    expect(res.status).toBe(400);
    expect(intuneText(res.body)).toContain("Compliance policy must have one and only one block scheduled action");
  });

  it("refuses a create without scheduledActionsForRule with the same rule", async () => {
    const { scheduledActionsForRule: _s, ...body } = policy();
    const res = await emu.call("POST", COMPLIANCE, body);
    expect(res.status).toBe(400);
    expect(intuneText(res.body)).toContain("one and only one block scheduled action");
  });

  it("returns scheduledActionConfigurations only through the nested $expand", async () => {
    const id = await created();
    const flat = await emu.call("GET", `${COMPLIANCE}/${id}?$expand=scheduledActionsForRule`);
    expect(flat.status).toBe(200);
    expect(flat.body.scheduledActionsForRule).toEqual([{ id, ruleName: null }]);
    const bad = await emu.call("GET", `${COMPLIANCE}/${id}?$expand=scheduledActionsForRule($expand=bogus)`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("Could not find a property named 'bogus'");
    const plain = await emu.call("GET", `${COMPLIANCE}/${id}`);
    expect(plain.body.scheduledActionsForRule).toBeUndefined();
  });

  it("has no GET route for the navigation itself", async () => {
    const id = await created();
    const res = await emu.call("GET", `${COMPLIANCE}/${id}/scheduledActionsForRule`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "No OData route exists that match template ~/singleton/navigation/key/navigation with http verb GET",
    );
  });

  it("PATCH cannot carry them; scheduleActionsForRules replaces them (204) under the same one-block rule", async () => {
    const id = await created();
    const patch = await emu.call("PATCH", `${COMPLIANCE}/${id}`, {
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      scheduledActionsForRule: [],
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain("navigation property 'scheduledActionsForRule'");

    const set = await emu.call("POST", `${COMPLIANCE}/${id}/scheduleActionsForRules`, {
      deviceComplianceScheduledActionForRules: [
        {
          ruleName: "PasswordRequired",
          scheduledActionConfigurations: [action("block", 48), action("notification", 24)],
        },
      ],
    });
    expect(set.status).toBe(204);
    expect(set.text).toBe("");
    const read = await emu.call("GET", `${COMPLIANCE}/${id}?${EXPAND}`);
    const configs = read.body.scheduledActionsForRule[0].scheduledActionConfigurations as {
      actionType: string;
      gracePeriodHours: number;
    }[];
    expect(configs.map((c) => [c.actionType, c.gracePeriodHours])).toEqual([
      ["block", 48],
      ["notification", 24],
    ]);

    const twoBlocks = await emu.call("POST", `${COMPLIANCE}/${id}/scheduleActionsForRules`, {
      deviceComplianceScheduledActionForRules: [{ scheduledActionConfigurations: [action("block"), action("block")] }],
    });
    expect(twoBlocks.status).toBe(400);
    const unchanged = await emu.call("GET", `${COMPLIANCE}/${id}?${EXPAND}`);
    expect(unchanged.body.scheduledActionsForRule[0].scheduledActionConfigurations).toHaveLength(2);
  });
});
