// One rule for "is this the Defender for Endpoint plug-in for WSL", asked by the guardrail, the plan risk
// and import. Before there were three: the guardrail wanted a `DefenderPlugin-` setup file, the risk any
// app with "defender" in its name, import the published MSI name or a plug-in-like display name — so an
// app named "Defender for Cloud Apps connector" raised a plug-in risk the guardrail never saw.
import { describe, expect, it } from "vitest";
import { risksOf } from "../../src/diff/risks";
import { normaliseObject } from "../../src/diff/normalise";
import { diffObject } from "../../src/diff/diff-object";
import { directoryFrom, isDefenderPlugin } from "../../src/intune";
import { ODATA, type DesiredObject, type JsonObject } from "../../src/model";

const GROUP = "1e7c1d3f-2a2b-4d66-8b1f-4e2d5c8f9a02";
const assignment = {
  "@odata.type": ODATA.mobileAppAssignment,
  intent: "required",
  target: { "@odata.type": ODATA.groupTarget, groupId: GROUP },
};

function unassignRisks(document: JsonObject): string[] {
  const desired: DesiredObject = {
    kind: "mobileApp",
    policyId: "app",
    resourceName: "app",
    displayName: String(document.displayName),
    sourceFile: "app.ts",
    document,
    assignments: [],
  };
  const live = { ...document, id: "x", assignments: [assignment] };
  const ctx = { directory: directoryFrom([{ id: GROUP, displayName: "Ring" }]), stack: "s", resolvedAssignments: [] };
  const change = diffObject(desired, live, ctx);
  return risksOf({
    change,
    mode: "plan",
    after: normaliseObject("mobileApp", document, []),
    before: normaliseObject("mobileApp", live),
  }).map((r) => r.rule);
}

describe("the Defender plug-in", () => {
  it("is the app with the published MSI, or a plug-in for WSL by name", () => {
    expect(isDefenderPlugin({ setupFilePath: "DefenderPlugin-x64-0.24.426.1.msi", displayName: "WSL sensor" })).toBe(
      true,
    );
    expect(
      isDefenderPlugin({ setupFilePath: "setup.msi", displayName: "Microsoft Defender for Endpoint plug-in for WSL" }),
    ).toBe(true);
    expect(isDefenderPlugin({ setupFilePath: "connector.msi", displayName: "Defender for Cloud Apps connector" })).toBe(
      false,
    );
  });

  it("is what the unassignment risk looks for, and only that", () => {
    const plugin = {
      "@odata.type": ODATA.win32LobApp,
      displayName: "WSL sensor",
      description: "d",
      setupFilePath: "DefenderPlugin-x64-0.24.426.1.msi",
    };
    expect(unassignRisks(plugin)).toContain("defender-plugin-unassigned");
    const other = {
      "@odata.type": ODATA.win32LobApp,
      displayName: "Defender for Cloud Apps connector",
      description: "d",
      setupFilePath: "connector.msi",
    };
    expect(unassignRisks(other)).not.toContain("defender-plugin-unassigned");
  });
});
