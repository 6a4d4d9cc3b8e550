// The emulator reads objects back the way Graph does, not the way the client wrote them: the shapes of real
// exports. Settings come back in envelopes with positional ids and null template references
// (SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/SettingsCatalog/*.json, each a GET of
// configurationPolicies/{id} with its settings); a Win32 app comes back with the legacy
// `detectionRules`/`requirementRules` mirror of `rules` and the `minimumSupportedOperatingSystem` flags of its
// release (…/Applications/Computer Name Rename.json), and with `applicableArchitectures: "none"` once
// `allowedArchitectures` is set (https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobapp?view=graph-rest-beta).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyBody, POLICIES, start, WSL, wslFlag, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await start({ throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

describe("configurationPolicies/{id}/settings", () => {
  it('answers each setting in its envelope: id "0"…, settingInstanceTemplateReference and settingValueTemplateReference null', async () => {
    const created = await emu.call(
      "POST",
      POLICIES,
      policyBody("envelopes", [wslFlag("allowwsl1", false), wslFlag("allowdebugshell", false)]),
    );
    const res = await emu.call("GET", `${POLICIES}/${created.body.id}/settings`);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual(
      ["allowwsl1", "allowdebugshell"].map((name, i) => ({
        id: String(i),
        settingInstance: expect.objectContaining({
          settingDefinitionId: `${WSL}${name}`,
          settingInstanceTemplateReference: null,
          choiceSettingValue: { settingValueTemplateReference: null, value: `${WSL}${name}_0`, children: [] },
        }),
      })),
    );
  });
});

const APPS = "beta/deviceAppManagement/mobileApps";
const fileRule = {
  "@odata.type": "#microsoft.graph.win32LobAppFileSystemRule",
  ruleType: "detection",
  path: "%ProgramFiles%\\Microsoft Defender for Endpoint plug-in for WSL\\plug-in",
  fileOrFolderName: "DefenderforEndpointPlug-in.dll",
  check32BitOn64System: false,
  operationType: "exists",
  operator: "notConfigured",
  comparisonValue: null,
};
const scriptRule = {
  "@odata.type": "#microsoft.graph.win32LobAppPowerShellScriptRule",
  ruleType: "detection",
  displayName: null,
  enforceSignatureCheck: false,
  runAs32Bit: false,
  runAsAccount: null,
  scriptContent: "V3JpdGUtT3V0cHV0ICJvayI=",
  operationType: "notConfigured",
  operator: "notConfigured",
  comparisonValue: null,
};
const app = {
  "@odata.type": "#microsoft.graph.win32LobApp",
  displayName: "Read-back shape",
  publisher: "Microsoft Corporation",
  fileName: "DefenderPlugin-x64-0.24.426.1.intunewin",
  setupFilePath: "DefenderPlugin-x64-0.24.426.1.msi",
  installCommandLine: "msiexec /i x.msi /qn",
  uninstallCommandLine: "msiexec /x x.msi /qn",
  allowedArchitectures: "x64",
  minimumSupportedWindowsRelease: "2004",
  rules: [fileRule, scriptRule],
};

describe("win32LobApp server fields", () => {
  it("reads back the legacy rule mirror, the release flags and applicableArchitectures none", async () => {
    const created = await emu.call("POST", APPS, app);
    expect(created.status).toBe(201);
    const res = await emu.call("GET", `${APPS}/${created.body.id}`);
    expect(res.body.applicableArchitectures).toBe("none");
    expect(res.body.allowedArchitectures).toBe("x64");
    expect(res.body.rules).toEqual([fileRule, scriptRule]);
    expect(res.body.detectionRules).toEqual([
      {
        "@odata.type": "#microsoft.graph.win32LobAppFileSystemDetection",
        path: fileRule.path,
        fileOrFolderName: fileRule.fileOrFolderName,
        check32BitOn64System: false,
        detectionType: "exists",
        operator: "notConfigured",
        detectionValue: null,
      },
      // The capture's own pair: a PowerShell detection keeps only the script fields.
      {
        "@odata.type": "#microsoft.graph.win32LobAppPowerShellScriptDetection",
        enforceSignatureCheck: false,
        runAs32Bit: false,
        scriptContent: scriptRule.scriptContent,
      },
    ]);
    expect(res.body.requirementRules).toEqual([]);
    expect(res.body.minimumSupportedOperatingSystem).toMatchObject({
      v10_1607: false,
      v10_2004: true,
      v10_21H1: false,
    });
    expect(Object.values(res.body.minimumSupportedOperatingSystem as object).filter(Boolean)).toHaveLength(1);
  });

  it("keeps the mirror in step when a PATCH changes the rules", async () => {
    const created = await emu.call("POST", APPS, app);
    const patched = await emu.call("PATCH", `${APPS}/${created.body.id}`, {
      "@odata.type": "#microsoft.graph.win32LobApp",
      rules: [scriptRule],
    });
    expect([200, 204]).toContain(patched.status);
    const res = await emu.call("GET", `${APPS}/${created.body.id}`);
    expect((res.body.detectionRules as { "@odata.type": string }[]).map((r) => r["@odata.type"])).toEqual([
      "#microsoft.graph.win32LobAppPowerShellScriptDetection",
    ]);
  });

  it("leaves applicableArchitectures as sent when allowedArchitectures is not set", async () => {
    const { allowedArchitectures: _a, ...legacy } = app;
    const created = await emu.call("POST", APPS, { ...legacy, applicableArchitectures: "x86,x64" });
    const res = await emu.call("GET", `${APPS}/${created.body.id}`);
    expect(res.body.applicableArchitectures).toBe("x86,x64");
  });
});
