// Policies made from the Hyper-V Endpoint security templates, as Graph takes and returns them: the client
// sends `templateReference.templateId` only and the service fills in family, display name and version
// (SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/SettingsCatalog/"Win - OIB - ES - Windows Firewall -
// D - Firewall Configuration - v3.1.json": endpointSecurityFirewall, "Windows Firewall", "Version 1"); a setting
// instance carrying a reference the template does not have is refused with "Invalid Reference id found in Policy
// created from Template …" (the message quoted in KelvinTegelaar/CIPP#4241). And the whole way round: hyperVFirewall
// form "endpointSecurity" → compile → the real writer → the emulator → the real reader → plan: unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { computePlan } from "../../src/diff/plan";
import type { GraphClient } from "../../src/graph";
import { COLLECTIONS, type JsonObject } from "../../src/model";
import { readTenant, updateObject } from "../../src/tenant";
import { compileAll } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "../diff/emulator-tenant";
import { intuneText, POLICIES, start, type TestEmulator } from "./helpers";

const WINDOWS_FIREWALL = "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1";
const HYPERV_RULES = "a5481c22-7a2a-4f59-a33e-6eee30d02f94_1";
const devices = { include: [{ kind: "group", name: "All Windows Workstations" }] };
const quiet = { guardrails: { "public-inbound-allow": "off" } } as const;

const templatePolicies = () =>
  compileAll(
    [
      {
        kind: "hyperVFirewall",
        id: "es-vm",
        displayName: "Win - ES - Hyper-V firewall for WSL",
        form: "endpointSecurity",
        profiles: {
          domain: { enabled: true },
          private: { enabled: true, defaultInbound: "block" },
          public: { enabled: true, defaultInbound: "block", allowLocalPolicyMerge: false },
        },
        loopback: true,
        assignments: devices,
      },
      {
        kind: "hyperVFirewall",
        id: "es-rules",
        displayName: "Win - ES - Hyper-V firewall rules for WSL",
        form: "endpointSecurity",
        rules: [
          { name: "dns out", direction: "out", action: "allow", protocol: "udp", remotePorts: ["53"] },
          {
            name: "smb out",
            direction: "out",
            action: "block",
            protocol: "tcp",
            remotePorts: ["445"],
            profiles: ["public"],
          },
        ],
        assignments: devices,
      },
    ],
    quiet,
  );

/** One Hyper-V VM settings group, as a template policy body sends it, with the given instance reference. */
function vmBody(templateId: string, settingInstanceTemplateId: string): JsonObject {
  const vm = settingIds.hyperVVm;
  return {
    name: `template ${templateId} ${settingInstanceTemplateId}`,
    platforms: "windows10",
    technologies: "mdm,microsoftSense",
    templateReference: { templateId },
    settings: [
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
          settingDefinitionId: vm.group,
          settingInstanceTemplateReference: { settingInstanceTemplateId },
          groupSettingCollectionValue: [
            {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingValue",
              children: [
                {
                  "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                  settingDefinitionId: vm.target,
                  choiceSettingValue: {
                    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
                    value: vm.targetWsl,
                    children: [
                      {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                        settingDefinitionId: vm.enableLoopback,
                        choiceSettingValue: {
                          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
                          value: `${vm.enableLoopback}_true`,
                          children: [],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      },
    ],
  };
}

describe("template-based configuration policies in the emulator", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await start({ throttling: { enabled: false } });
  });
  afterAll(async () => emu?.stop());

  it("fills in the template's family, display name and version, and reads the instance reference back", async () => {
    const made = await emu.call("POST", POLICIES, vmBody(WINDOWS_FIREWALL, "24805bd4-1133-4790-82ae-4caa63e16aa6"));
    expect(made.status).toBe(201);
    expect(made.body.templateReference).toEqual({
      templateId: WINDOWS_FIREWALL,
      templateFamily: "endpointSecurityFirewall",
      templateDisplayName: "Windows Firewall",
      templateDisplayVersion: "Version 1",
    });
    const settings = await emu.call("GET", `${POLICIES}/${made.body.id}/settings`);
    expect(settings.body.value[0].settingInstance.settingInstanceTemplateReference).toEqual({
      settingInstanceTemplateId: "24805bd4-1133-4790-82ae-4caa63e16aa6",
    });
  });

  it("refuses an instance reference the template does not have for that setting, on create and on PUT", async () => {
    // the rules group's reference, on the VM settings group
    const wrong = await emu.call("POST", POLICIES, vmBody(WINDOWS_FIREWALL, "76c7a8be-67d2-44bf-81a5-38c94926b1a1"));
    expect(wrong.status).toBe(400);
    expect(intuneText(wrong.body)).toContain(
      `Invalid Reference id found in Policy created from Template ${WINDOWS_FIREWALL}`,
    );
    expect(intuneText(wrong.body)).toContain("InvalidReferenceId\n76c7a8be-67d2-44bf-81a5-38c94926b1a1");
    // the VM settings group does not belong to the Hyper-V rules template
    expect(
      (await emu.call("POST", POLICIES, vmBody(HYPERV_RULES, "24805bd4-1133-4790-82ae-4caa63e16aa6"))).status,
    ).toBe(400);

    const made = await emu.call("POST", POLICIES, vmBody(WINDOWS_FIREWALL, "24805bd4-1133-4790-82ae-4caa63e16aa6"));
    const put = await emu.call(
      "PUT",
      `${POLICIES}/${made.body.id}`,
      vmBody(WINDOWS_FIREWALL, "00000000-1111-4222-8333-444444444444"),
    );
    expect(put.status).toBe(400);
    expect(intuneText(put.body)).toContain(`PolicyId\n${made.body.id}`);
  });
});

describe("hyperVFirewall form endpointSecurity, applied and read back", () => {
  let graph: GraphClient;
  let stop: () => Promise<void>;
  let ids: Map<string, string>;
  beforeAll(async () => {
    const emulator = await start({ seed: groupsSeed(), throttling: { enabled: false } });
    graph = clientFor(emulator);
    stop = emulator.stop;
    const { desired, diagnostics } = templatePolicies();
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    ids = await applyAll(graph, desired, groupsSeed(), emulator);
  });
  afterAll(async () => {
    await graph?.close();
    await stop?.();
  });

  it("plans unchanged, each policy read back as made from its template", async () => {
    const { desired } = templatePolicies();
    const live = await readTenant(graph);
    const templates = live[COLLECTIONS.configurationPolicies].map((p) => [
      p.name,
      p.templateReference?.templateDisplayName,
      p.technologies,
    ]);
    expect(templates.sort()).toEqual([
      ["Win - ES - Hyper-V firewall for WSL", "Windows Firewall", "mdm,microsoftSense"],
      ["Win - ES - Hyper-V firewall rules for WSL", "Windows Hyper-V Firewall Rules", "mdm,microsoftSense"],
    ]);
    const plan = computePlan({
      desired,
      live,
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
    });
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => `${c.key} ${c.action}`).sort()).toEqual([
      "configurationPolicy/es-rules unchanged",
      "configurationPolicy/es-vm unchanged",
    ]);
  });

  it("takes an in-place update (PUT, the template kept) and plans unchanged after it", async () => {
    const { desired } = templatePolicies();
    const rules = desired.objects.find((o) => o.policyId === "es-rules")!;
    const renamed = {
      ...rules,
      document: { ...rules.document, name: "Win - ES - Hyper-V firewall rules for WSL (renamed)" },
    };
    await updateObject(graph, "configurationPolicy", ids.get("es-rules")!, renamed.document);
    const plan = computePlan({
      desired: { ...desired, objects: desired.objects.map((o) => (o.policyId === "es-rules" ? renamed : o)) },
      live: await readTenant(graph),
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
    });
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
  });

  it("plans a replacement when the same policy moves to the Settings Catalog form (Graph never changes a template)", async () => {
    const { desired } = templatePolicies();
    const moved = compileAll(
      [
        {
          kind: "hyperVFirewall",
          id: "es-vm",
          displayName: "Win - ES - Hyper-V firewall for WSL",
          loopback: true,
          profiles: {
            domain: { enabled: true },
            private: { enabled: true, defaultInbound: "block" },
            public: { enabled: true, defaultInbound: "block", allowLocalPolicyMerge: false },
          },
          assignments: devices,
        },
      ],
      quiet,
    ).desired;
    const plan = computePlan({
      desired: { ...desired, objects: [...moved.objects, ...desired.objects.filter((o) => o.policyId !== "es-vm")] },
      live: await readTenant(graph),
      tenant: { kind: "emulator", label: "test", tenantId: null, endpoint: null },
    });
    const change = plan.changes.find((c) => c.key === "configurationPolicy/es-vm")!;
    expect(change.action).toBe("replace");
    expect(JSON.stringify(change)).toContain(`template ${WINDOWS_FIREWALL} → (none)`);
  });
});
