// WSL compliance policies (https://learn.microsoft.com/intune/intune-service/protect/compliance-wsl) and Entra groups (api-reference/v1.0/resources/group.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intuneText, start, type TestEmulator } from "./helpers";

const COMPLIANCE = "beta/deviceManagement/deviceCompliancePolicies";
let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const scheduled = [
  {
    ruleName: "PasswordRequired",
    scheduledActionConfigurations: [
      { actionType: "block", gracePeriodHours: 0, notificationTemplateId: "", notificationMessageCCList: [] },
    ],
  },
];
const compliance = (extra: Record<string, unknown> = {}) => ({
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  displayName: "Win - WSL - Approved distributions",
  description: "",
  wslDistributions: [
    { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
    { distribution: "Debian", minimumOSVersion: "12" },
  ],
  scheduledActionsForRule: scheduled,
  ...extra,
});

describe("deviceCompliancePolicies", () => {
  it("needs @odata.type and scheduledActionsForRule to create", async () => {
    const { "@odata.type": _t, ...untyped } = compliance();
    expect((await emu.call("POST", COMPLIANCE, untyped)).body.error.message).toBe("Cannot create an abstract class.");
    const noActions = await emu.call("POST", COMPLIANCE, compliance({ scheduledActionsForRule: undefined }));
    expect(noActions.status).toBe(400);
    expect(intuneText(noActions.body)).toContain("one and only one block scheduled action");
  });

  it("stores wslDistributions with OS in capitals and null for a missing bound; PATCH updates them (204)", async () => {
    const created = await emu.call("POST", COMPLIANCE, compliance());
    expect(created.status).toBe(201);
    expect(created.body.wslDistributions).toEqual([
      { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
      { distribution: "Debian", minimumOSVersion: "12", maximumOSVersion: null },
    ]);
    expect(created.body.scheduledActionsForRule).toBeUndefined();
    const patched = await emu.call("PATCH", `${COMPLIANCE}/${created.body.id}`, {
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      wslDistributions: [{ distribution: "Ubuntu" }],
    });
    expect(patched.status).toBe(204);
    expect((await emu.call("GET", `${COMPLIANCE}/${created.body.id}`)).body.version).toBe(2);
    const expanded = await emu.call(
      "GET",
      `${COMPLIANCE}/${created.body.id}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations),assignments`,
    );
    expect(expanded.body.wslDistributions).toEqual([
      { distribution: "Ubuntu", minimumOSVersion: null, maximumOSVersion: null },
    ]);
    expect(expanded.body.scheduledActionsForRule[0].scheduledActionConfigurations[0].actionType).toBe("block");
  });

  it("has no wslDistributions on v1.0", async () => {
    const res = await emu.call("POST", "v1.0/deviceManagement/deviceCompliancePolicies", compliance());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("'wslDistributions' does not exist");
  });

  it("assign answers 200 with the list and replaces it", async () => {
    const created = await emu.call("POST", COMPLIANCE, compliance());
    const g = "5f3e2d1c-0b9a-4876-9543-210fedcba987";
    const res = await emu.call("POST", `${COMPLIANCE}/${created.body.id}/assign`, {
      assignments: [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: g } }],
    });
    expect(res.status).toBe(200);
    expect(res.body.value.map((a: { id: string }) => a.id)).toEqual([`${created.body.id}_${g}`]);
    await emu.call("POST", `${COMPLIANCE}/${created.body.id}/assign`, { assignments: [] });
    expect((await emu.call("GET", `${COMPLIANCE}/${created.body.id}/assignments`)).body.value).toEqual([]);
  });
});

describe("groups", () => {
  it.each(["", "has space", "a@b", "semi;colon", "dot.ted", "x".repeat(65), "ümlaut"])(
    "rejects mailNickname %j (Doc S49)",
    async (nick) => {
      const res = await emu.call("POST", "v1.0/groups", {
        displayName: "Bad nickname",
        mailEnabled: false,
        mailNickname: nick,
        securityEnabled: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe("Invalid value specified for property 'mailNickname' of resource 'Group'.");
    },
  );

  it("creates a dynamic device group and requires its membership rule", async () => {
    const body = {
      displayName: "WSL Ring 2 - Early adopters",
      mailEnabled: false,
      mailNickname: "wsl-ring-2",
      securityEnabled: true,
      groupTypes: ["DynamicMembership"],
      membershipRule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:WSL-EARLY")',
      membershipRuleProcessingState: "On",
    };
    const res = await emu.call("POST", "v1.0/groups", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      groupTypes: ["DynamicMembership"],
      membershipRuleProcessingState: "On",
      securityEnabled: true,
    });
    expect((await emu.call("POST", "v1.0/groups", { ...body, membershipRule: undefined })).status).toBe(400);
  });

  it("finds groups by a name with & and + only when the literal is percent-encoded", async () => {
    await emu.call("POST", "v1.0/groups", {
      displayName: "R&D + QA",
      mailEnabled: false,
      mailNickname: "rdqa",
      securityEnabled: true,
    });
    const encoded = await emu.call("GET", `v1.0/groups?$filter=displayName eq '${encodeURIComponent("R&D + QA")}'`);
    expect(encoded.body.value).toHaveLength(1);
    const raw = await emu.call("GET", "v1.0/groups?$filter=displayName eq 'R&D + QA'");
    expect(raw.status).toBe(400);
  });

  it("adds members by reference", async () => {
    const g = await emu.call("POST", "v1.0/groups", {
      displayName: "WSL Ring 1 - Pilot",
      mailEnabled: false,
      mailNickname: "wsl-ring-1",
      securityEnabled: true,
    });
    const device = "3f2b8c1e-6d4a-4e2f-9b7c-1a5d8e9f0c21";
    const add = await emu.call("POST", `v1.0/groups/${g.body.id}/members/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${device}`,
    });
    expect(add.status).toBe(204);
    expect(
      (await emu.call("GET", `v1.0/groups/${g.body.id}/members`)).body.value.map((m: { id: string }) => m.id),
    ).toEqual([device]);
    expect(
      (
        await emu.call("POST", `v1.0/groups/${g.body.id}/members/$ref`, {
          "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${device}`,
        })
      ).status,
    ).toBe(400);
  });

  it("404s with Entra's code for an unknown group", async () => {
    const res = await emu.call("GET", "v1.0/groups/9d7a1b8e-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("Request_ResourceNotFound");
  });
});

describe("reference data", () => {
  it("serves the pinned setting definitions, by id with percent-encoded braces", async () => {
    const id = "vendor_msft_firewall_mdmstore_hypervvmsettings_{vmcreatorid}_target";
    const res = await emu.call("GET", `beta/deviceManagement/configurationSettings/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    const list = await emu.call(
      "GET",
      `beta/deviceManagement/configurationSettings?$filter=${encodeURIComponent("contains(id,'wslv1')")}&$select=id,displayName`,
    );
    expect(list.body.value.length).toBeGreaterThan(10);
    expect(list.body.value.every((d: { id: string }) => d.id.includes("wslv1"))).toBe(true);
  });

  it("serves the policy templates wslpolicy knows, filterable by family", async () => {
    const res = await emu.call(
      "GET",
      `beta/deviceManagement/configurationPolicyTemplates?$filter=${encodeURIComponent("templateFamily eq 'endpointSecurityFirewall'")}`,
    );
    expect(res.body.value.map((t: { id: string }) => t.id).sort()).toEqual([
      "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
      "a5481c22-7a2a-4f59-a33e-6eee30d02f94_1",
    ]);
    expect(
      (
        await emu.call(
          "GET",
          "beta/deviceManagement/configurationPolicyTemplates/6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
        )
      ).body.displayName,
    ).toBe("Windows Firewall");
  });
});
