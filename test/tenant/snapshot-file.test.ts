// Snapshot files: a real portal export (annotations and server fields) loads unchanged, files are
// written stable and atomically, bad input names the file and the field, and no token is ever written.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { COLLECTIONS, type TenantSnapshot } from "../../src/model";
import { formatSnapshot, readSnapshotFile, writeSnapshotFile } from "../../src/tenant";

const WSL = "device_vendor_msft_policy_config_wslv1~policy~wsl_";

/**
 * The OpenIntuneBaseline WSL policy as IntuneManagement exported it (SkipToTheEndpoint/OpenIntuneBaseline,
 * WINDOWS/IntuneManagement/SettingsCatalog/), with the annotations a Graph read carries (same folder, *.json).
 */
function portalExport() {
  const names = [
    "customkernelusersettingconfigurable",
    "customnetworkingusersettingconfigurable",
    "allowdebugshell",
    "allowinboxwsl",
    "allowwsl1",
  ];
  return {
    "@odata.context":
      "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies(settings(),assignments())",
    [COLLECTIONS.configurationPolicies]: [
      {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
        createdDateTime: "2024-04-10T19:37:07.4694279Z",
        creationSource: null,
        description: "",
        lastModifiedDateTime: "2024-12-05T19:49:47.8753244Z",
        name: "Win - OIB - SC - Device Security - D - Windows Subsystem for Linux - v3.2",
        platforms: "windows10",
        priorityMetaData: null,
        roleScopeTagIds: ["0"],
        settingCount: names.length,
        technologies: "mdm",
        id: "038a93e9-ff2b-4750-be2e-21f2e43bb617",
        templateReference: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicyTemplateReference",
          templateId: "",
          templateFamily: "none",
          templateDisplayName: null,
          templateDisplayVersion: null,
        },
        "settings@odata.context":
          "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('038a93e9-ff2b-4750-be2e-21f2e43bb617')/settings",
        settings: names.map((n, i) => ({
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
          id: String(i),
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
            settingDefinitionId: `${WSL}${n}`,
            settingInstanceTemplateReference: null,
            auditRuleInformation: null,
            choiceSettingValue: {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
              settingValueTemplateReference: null,
              value: `${WSL}${n}_0`,
              children: [],
            },
          },
        })),
        "assignments@odata.context":
          "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('038a93e9-ff2b-4750-be2e-21f2e43bb617')/assignments",
        assignments: [
          {
            id: "038a93e9-ff2b-4750-be2e-21f2e43bb617_adadadad-808e-44e2-905a-0b7873a8a531",
            source: "direct",
            sourceId: "038a93e9-ff2b-4750-be2e-21f2e43bb617",
            target: {
              "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
              deviceAndAppManagementAssignmentFilterId: null,
              deviceAndAppManagementAssignmentFilterType: "none",
            },
          },
        ],
      },
    ],
    [COLLECTIONS.compliancePolicies]: [],
    [COLLECTIONS.mobileApps]: [],
    [COLLECTIONS.deviceManagementScripts]: [],
    [COLLECTIONS.deviceHealthScripts]: [],
    [COLLECTIONS.groups]: [],
    [COLLECTIONS.assignmentFilters]: [],
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-snapshot-"));
});

describe("readSnapshotFile", () => {
  it("loads a real portal export unchanged, annotations and server fields included", () => {
    const file = path.join(dir, "export.json");
    const data = portalExport();
    writeFileSync(file, JSON.stringify(data));
    expect(readSnapshotFile(file)).toEqual(data);
  });

  it("fills absent collections with empty lists", () => {
    const file = path.join(dir, "partial.json");
    writeFileSync(file, JSON.stringify({ groups: [{ id: "g", displayName: "G" }] }));
    const snapshot = readSnapshotFile(file);
    expect(snapshot[COLLECTIONS.configurationPolicies]).toEqual([]);
    expect(snapshot.groups).toHaveLength(1);
  });

  it("names the file and the field that is wrong", () => {
    const file = path.join(dir, "bad.json");
    const data = portalExport();
    delete (data[COLLECTIONS.configurationPolicies][0] as Record<string, unknown>).platforms;
    writeFileSync(file, JSON.stringify(data));
    expect(() => readSnapshotFile(file)).toThrow(`${file}: invalid tenant snapshot`);
    expect(() => readSnapshotFile(file)).toThrow("deviceManagement/configurationPolicies[0].platforms");
  });

  it("says so when the file is missing or not JSON", () => {
    expect(() => readSnapshotFile(path.join(dir, "nope.json"))).toThrow(/nope\.json: cannot read snapshot \(ENOENT\)/);
    const file = path.join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    expect(() => readSnapshotFile(file)).toThrow(/broken\.json: not valid JSON/);
  });
});

describe("writeSnapshotFile", () => {
  it("round-trips through the file unchanged", () => {
    const file = path.join(dir, "out.json");
    const data = portalExport() as unknown as TenantSnapshot;
    writeSnapshotFile(file, data);
    expect(readSnapshotFile(file)).toEqual(data);
  });

  it("writes the same bytes for the same tenant whatever order Graph listed it in", () => {
    const a = {
      ...portalExport(),
      groups: [
        { id: "b", displayName: "B" },
        { id: "a", displayName: "A" },
      ],
    } as unknown as TenantSnapshot;
    const b = {
      ...portalExport(),
      groups: [
        { id: "a", displayName: "A" },
        { id: "b", displayName: "B" },
      ],
    } as unknown as TenantSnapshot;
    expect(formatSnapshot(a)).toBe(formatSnapshot(b));
    const text = formatSnapshot(a);
    expect(text.endsWith("}\n")).toBe(true);
    expect(Object.keys(JSON.parse(text)).slice(0, 7)).toEqual([
      COLLECTIONS.configurationPolicies,
      COLLECTIONS.compliancePolicies,
      COLLECTIONS.mobileApps,
      COLLECTIONS.deviceManagementScripts,
      COLLECTIONS.deviceHealthScripts,
      COLLECTIONS.groups,
      COLLECTIONS.assignmentFilters,
    ]);
  });

  it("replaces the file atomically and leaves no temporary file behind", () => {
    const file = path.join(dir, "snap.json");
    writeFileSync(file, "old");
    writeSnapshotFile(file, portalExport() as unknown as TenantSnapshot);
    expect(JSON.parse(readFileSync(file, "utf8"))[COLLECTIONS.configurationPolicies]).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(["snap.json"]);
  });

  it("writes a tenant whose descriptions merely use the words Basic or Bearer", () => {
    const file = path.join(dir, "plain.json");
    const data = portalExport() as unknown as TenantSnapshot;
    (data.groups as unknown[]).push({ id: "g", displayName: "G", description: "Basic WSL lock-down ring" });
    writeSnapshotFile(file, data);
    expect(readFileSync(file, "utf8")).toContain("Basic WSL lock-down ring");
  });

  it("refuses to write a snapshot with a token in it", () => {
    const file = path.join(dir, "leak.json");
    const data = portalExport() as unknown as TenantSnapshot;
    (data.groups as unknown[]).push({
      id: "g",
      displayName: "G",
      description: "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlcyI6W119.",
    });
    expect(() => writeSnapshotFile(file, data)).toThrow(/token or secret/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
