// wslCompliance → windows10CompliancePolicy with wslDistributions, and the Intune WSL plug-in app required
// wherever it applies; defenderPluginRollout → win32LobApp plus one required assignment per ring with its
// install window. App fields come from the MSI (the stand-ins of policies/packages), not the policy.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model";
import { compileAll, DEFENDER_MSI, rings, WSL_PLUGIN_MSI } from "./helpers";

const DEFENDER_CODE = "{0F3C5A7E-2B4D-4E6F-8A1C-3D5E7F9A0B2C}";
const PLUGIN_CODE = "{1E4A6C8E-3F5B-4D7F-9A2C-4E6A8C0E2B4D}";
const STAND_IN_PUBLISHER = "wslpolicy example stand-in (not Microsoft)";

const compliance = {
  kind: "wslCompliance",
  id: "distros",
  displayName: "Distros",
  description: "Approved only.",
  distributions: [
    { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
    { distribution: "Debian" },
  ],
  gracePeriodHours: 24,
  assignments: { include: [rings.pilot] },
  plugin: WSL_PLUGIN_MSI,
};

const rollout = {
  kind: "defenderPluginRollout",
  id: "plugin",
  displayName: "Plug-in",
  package: DEFENDER_MSI,
  rings: [
    { target: rings.pilot, start: "2027-01-05T08:00:00Z", deadline: "2027-01-07T17:00:00Z" },
    { target: rings.early, deadline: "2027-01-14T17:00:00Z" },
  ],
  assignments: { exclude: [{ kind: "group", name: "Kiosk Devices" }] },
};

describe("wslCompliance", () => {
  it("builds a windows10CompliancePolicy with wslDistributions (capital OS) and the required scheduled action", () => {
    const { desired, diagnostics } = compileAll([compliance]);
    expect(diagnostics).toEqual([]);
    const o = desired.objects.find((x) => x.policyId === "distros")!;
    expect(o.kind).toBe("compliancePolicy");
    expect(o.document).toEqual({
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      displayName: "Distros",
      description: "Approved only.\n\n[wslpolicy:test/distros]",
      roleScopeTagIds: ["0"],
      wslDistributions: [
        {
          "@odata.type": "#microsoft.graph.wslDistributionConfiguration",
          distribution: "Ubuntu",
          minimumOSVersion: "22.04",
          maximumOSVersion: "24.04",
        },
        {
          "@odata.type": "#microsoft.graph.wslDistributionConfiguration",
          distribution: "Debian",
          minimumOSVersion: null,
          maximumOSVersion: null,
        },
      ],
      scheduledActionsForRule: [
        {
          ruleName: "PasswordRequired",
          scheduledActionConfigurations: [
            { actionType: "block", gracePeriodHours: 24, notificationTemplateId: "", notificationMessageCCList: [] },
          ],
        },
      ],
    });
    expect(o.assignments).toEqual([{ target: { kind: "ring", name: rings.pilot.name }, exclude: false }]);
  });
});

describe("defenderPluginRollout", () => {
  const compiled = () => compileAll([rollout]);

  it("builds a win32LobApp from what the MSI says: silent install as system, uninstall by product code, x64, Windows 10 21H2", () => {
    const o = compiled().desired.objects[0]!;
    expect(o.content).toEqual({ file: DEFENDER_MSI.file, sha256: DEFENDER_MSI.sha256 });
    expect(o.document).toMatchObject({
      "@odata.type": "#microsoft.graph.win32LobApp",
      displayName: "Plug-in",
      publisher: STAND_IN_PUBLISHER,
      fileName: "stand-in-DefenderPlugin-x64-1.24.522.2.intunewin",
      setupFilePath: "stand-in-DefenderPlugin-x64-1.24.522.2.msi",
      installCommandLine: 'msiexec /i "stand-in-DefenderPlugin-x64-1.24.522.2.msi" /qn',
      uninstallCommandLine: `msiexec /x "${DEFENDER_CODE}" /qn`,
      installExperience: { runAsAccount: "system", deviceRestartBehavior: "suppress", maxRunTimeInMinutes: 60 },
      applicableArchitectures: "none",
      allowedArchitectures: "x64",
      minimumSupportedWindowsRelease: "Windows10_21H2",
      displayVersion: "1.24.522.2",
      msiInformation: {
        productCode: DEFENDER_CODE,
        productVersion: "1.24.522.2",
        upgradeCode: "{6A8C0E2F-4B6D-4F8A-9C1E-5D7F9B1D3F5A}",
        requiresReboot: false,
        packageType: "perMachine",
        productName: "Stand-in for the Microsoft Defender for Endpoint plug-in for WSL (wslpolicy example)",
        publisher: STAND_IN_PUBLISHER,
      },
      notes: `wslpolicy content: stand-in-DefenderPlugin-x64-1.24.522.2.msi sha256 ${DEFENDER_MSI.sha256}`,
    });
    expect((o.document.returnCodes as JsonObject[]).map((r) => `${r.returnCode}:${r.type}`)).toEqual([
      "0:success",
      "1707:success",
      "3010:softReboot",
      "1641:hardReboot",
      "1618:retry",
    ]);
    expect(o.document.description).toBe("[wslpolicy:test/plugin]");
  });

  it("detects the plug-in DLL, never the product code: the plug-in updates itself through Windows Update", () => {
    const [rule] = compiled().desired.objects[0]!.document.rules as JsonObject[];
    expect(rule).toEqual({
      "@odata.type": "#microsoft.graph.win32LobAppFileSystemRule",
      ruleType: "detection",
      path: "%ProgramFiles%\\Microsoft Defender for Endpoint plug-in for WSL\\plug-in",
      fileOrFolderName: "DefenderforEndpointPlug-in.dll",
      check32BitOn64System: false,
      operationType: "exists",
      operator: "notConfigured",
      comparisonValue: null,
    });
  });

  it("is an error naming the field when the MSI was not read", () => {
    const { desired, diagnostics } = compileAll([rollout], { packages: new Map() });
    expect(desired.objects).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "package-missing",
        severity: "error",
        file: "plugin.ts",
        path: "policy.package.file",
        message: `the MSI '${DEFENDER_MSI.file}' was not read; compile reads package files through the project build (wslpolicy validate/compile/plan)`,
      },
    ]);
  });

  it("assigns each ring as required with its own install window, then the exclusions", () => {
    const o = compiled().desired.objects[0]!;
    expect(o.kind).toBe("mobileApp");
    expect(o.assignments).toEqual([
      {
        target: { kind: "ring", name: rings.pilot.name },
        exclude: false,
        app: {
          intent: "required",
          installTime: {
            useLocalTime: false,
            startDateTime: "2027-01-05T08:00:00Z",
            deadlineDateTime: "2027-01-07T17:00:00Z",
          },
          notifications: "showReboot",
        },
        ring: rings.pilot.name,
      },
      {
        target: { kind: "ring", name: rings.early.name },
        exclude: false,
        app: {
          intent: "required",
          installTime: { useLocalTime: false, deadlineDateTime: "2027-01-14T17:00:00Z" },
          notifications: "showReboot",
        },
        ring: rings.early.name,
      },
      { target: { kind: "group", name: "Kiosk Devices" }, exclude: true },
    ]);
  });

  it("defines the ring groups it rolls out to", () => {
    expect(compiled().desired.rings.map((r) => r.name)).toEqual([rings.pilot.name, rings.early.name]);
  });
});

describe("the Intune WSL plug-in", () => {
  const other = {
    ...compliance,
    id: "distros-kiosk",
    displayName: "Kiosk distros",
    assignments: { include: [{ kind: "group", name: "Kiosk Devices" }, rings.pilot] },
  };

  it("is deployed required to every target of the compliance policies naming it, once per target", () => {
    const { desired, diagnostics } = compileAll([compliance, other]);
    expect(diagnostics).toEqual([]);
    const apps = desired.objects.filter((o) => o.kind === "mobileApp");
    expect(apps.map((a) => a.policyId)).toEqual(["intune-wsl-plugin"]);
    const app = apps[0]!;
    expect(app.provides).toBe("intuneWslPlugin");
    expect(app.content).toEqual(WSL_PLUGIN_MSI);
    expect(app.assignments).toEqual([
      {
        target: { kind: "group", name: "Kiosk Devices" },
        exclude: false,
        app: { intent: "required", notifications: "showAll" },
      },
      {
        target: { kind: "ring", name: rings.pilot.name },
        exclude: false,
        app: { intent: "required", notifications: "showAll" },
      },
    ]);
    expect(app.document).toMatchObject({
      displayName: "Intune WSL Plugin",
      publisher: STAND_IN_PUBLISHER,
      description: "Evaluates wslDistributions for distros, distros-kiosk.\n\n[wslpolicy:test/intune-wsl-plugin]",
      rules: [
        {
          "@odata.type": "#microsoft.graph.win32LobAppProductCodeRule",
          ruleType: "detection",
          productCode: PLUGIN_CODE,
          productVersionOperator: "greaterThanOrEqual",
          productVersion: "1.25.04.0",
        },
      ],
      allowedArchitectures: "x64",
      uninstallCommandLine: `msiexec /x "${PLUGIN_CODE}" /qn`,
    });
  });

  it("validate errors for a compliance policy no plug-in deployment covers", () => {
    const { plugin: _p, ...withoutPlugin } = compliance;
    const { diagnostics } = compileAll([withoutPlugin]);
    expect(diagnostics).toEqual([
      {
        code: "guardrail",
        severity: "error",
        file: "distros.ts",
        path: "policy.assignments.include[0]",
        rule: "compliance-without-wsl-plugin",
        message: `no Intune WSL plug-in deployment covers group "${rings.pilot.name}", so wslDistributions is never evaluated there; name the installer with plugin: intuneWslPlugin({ file, sha256 })`,
      },
    ]);
  });

  it("refuses two different installers under one plug-in id", () => {
    const { diagnostics } = compileAll([
      compliance,
      { ...other, plugin: { ...WSL_PLUGIN_MSI, file: "packages/other.msi" } },
    ]);
    expect(diagnostics.map((d) => `${d.file} ${d.path}: ${d.message}`)).toContain(
      "distros-kiosk.ts policy.plugin: plug-in 'intune-wsl-plugin' is declared differently in distros.ts (policy.plugin); share one intuneWslPlugin(...) value",
    );
  });
});
