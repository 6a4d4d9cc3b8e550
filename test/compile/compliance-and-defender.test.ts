// wslCompliance → windows10CompliancePolicy with wslDistributions; defenderPluginRollout → win32LobApp
// plus one required assignment per ring with its install window.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model";
import { compileAll, rings } from "./helpers";

const compliance = {
  kind: "wslCompliance",
  id: "distros",
  displayName: "Distros",
  description: "Approved only.",
  distributions: [{ distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" }, { distribution: "Debian" }],
  gracePeriodHours: 24,
  assignments: { include: [rings.pilot] },
};

const rollout = {
  kind: "defenderPluginRollout",
  id: "plugin",
  displayName: "Plug-in",
  package: { fileName: "DefenderPlugin-x64-0.24.426.1.msi", version: "0.24.426.1" },
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
    const o = desired.objects[0]!;
    expect(o.kind).toBe("compliancePolicy");
    expect(o.document).toEqual({
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      displayName: "Distros",
      description: "Approved only.\n\n[wslpolicy:test/distros]",
      roleScopeTagIds: ["0"],
      wslDistributions: [
        { "@odata.type": "#microsoft.graph.wslDistributionConfiguration", distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
        { "@odata.type": "#microsoft.graph.wslDistributionConfiguration", distribution: "Debian", minimumOSVersion: null, maximumOSVersion: null },
      ],
      scheduledActionsForRule: [
        { ruleName: "PasswordRequired", scheduledActionConfigurations: [{ actionType: "block", gracePeriodHours: 24, notificationTemplateId: "", notificationMessageCCList: [] }] },
      ],
    });
    expect(o.assignments).toEqual([{ target: { kind: "ring", name: rings.pilot.name }, exclude: false }]);
  });
});

describe("defenderPluginRollout", () => {
  const compiled = () => compileAll([rollout]);

  it("builds a win32LobApp that installs the MSI silently as system, x64 only", () => {
    const doc = compiled().desired.objects[0]!.document;
    expect(doc).toMatchObject({
      "@odata.type": "#microsoft.graph.win32LobApp",
      displayName: "Plug-in",
      publisher: "Microsoft Corporation",
      fileName: "DefenderPlugin-x64-0.24.426.1.intunewin",
      setupFilePath: "DefenderPlugin-x64-0.24.426.1.msi",
      installCommandLine: 'msiexec /i "DefenderPlugin-x64-0.24.426.1.msi" /qn',
      uninstallCommandLine: 'msiexec /x "DefenderPlugin-x64-0.24.426.1.msi" /qn',
      installExperience: { runAsAccount: "system", deviceRestartBehavior: "suppress", maxRunTimeInMinutes: 60 },
      allowedArchitectures: "x64",
      minimumSupportedWindowsRelease: "2004",
      displayVersion: "0.24.426.1",
    });
    expect((doc.returnCodes as JsonObject[]).map((r) => `${r.returnCode}:${r.type}`)).toEqual(["0:success", "1707:success", "3010:softReboot", "1641:hardReboot", "1618:retry"]);
    expect(doc.description).toBe("[wslpolicy:test/plugin]");
  });

  it("detects the plug-in DLL when no product code is known", () => {
    const [rule] = compiled().desired.objects[0]!.document.rules as JsonObject[];
    expect(rule).toMatchObject({ "@odata.type": "#microsoft.graph.win32LobAppFileSystemRule", ruleType: "detection", fileOrFolderName: "DefenderforEndpointPlug-in.dll", operationType: "exists" });
    expect(rule!.path).toBe("%ProgramFiles%\\Microsoft Defender for Endpoint plug-in for WSL\\plug-in");
  });

  it("detects by product code with greaterThanOrEqual (never equal: Windows Update raises the version) and uninstalls by code", () => {
    const code = "{1B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D}";
    const { desired } = compileAll([{ ...rollout, package: { ...rollout.package, productCode: code } }]);
    const doc = desired.objects[0]!.document;
    expect(doc.rules).toEqual([{ "@odata.type": "#microsoft.graph.win32LobAppProductCodeRule", ruleType: "detection", productCode: code, productVersionOperator: "greaterThanOrEqual", productVersion: "0.24.426.1" }]);
    expect(doc.uninstallCommandLine).toBe(`msiexec /x "${code}" /qn`);
  });

  it("assigns each ring as required with its own install window, then the exclusions", () => {
    const o = compiled().desired.objects[0]!;
    expect(o.kind).toBe("mobileApp");
    expect(o.assignments).toEqual([
      { target: { kind: "ring", name: rings.pilot.name }, exclude: false, app: { intent: "required", installTime: { useLocalTime: false, startDateTime: "2027-01-05T08:00:00Z", deadlineDateTime: "2027-01-07T17:00:00Z" }, notifications: "showReboot" }, ring: rings.pilot.name },
      { target: { kind: "ring", name: rings.early.name }, exclude: false, app: { intent: "required", installTime: { useLocalTime: false, deadlineDateTime: "2027-01-14T17:00:00Z" }, notifications: "showReboot" }, ring: rings.early.name },
      { target: { kind: "group", name: "Kiosk Devices" }, exclude: true },
    ]);
  });

  it("defines the ring groups it rolls out to", () => {
    expect(compiled().desired.rings.map((r) => r.name)).toEqual([rings.pilot.name, rings.early.name]);
  });
});
