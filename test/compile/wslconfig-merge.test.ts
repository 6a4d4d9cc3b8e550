// The .wslconfig rules of wslUserSettings, run in TypeScript, and the PowerShell generated from the same
// table. WSL's reader (microsoft/WSL src/shared/configfile/configfile.cpp): case-insensitive section.key,
// `#` comments, the FIRST value of a duplicated key wins, the networking keys also read under the legacy
// [experimental] header; dnsTunneling and autoProxy default to true (learn.microsoft.com/windows/wsl/wsl-config).
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { effectiveValues, MANAGED_WSLCONFIG_KEYS, mergeWslConfig } from "../../src/compile/wslconfig/merge";
import { detectionScript, managedKeysData, remediationScript } from "../../src/compile/wslconfig/scripts";
import { group, wslUserSettings } from "../../src";
import { loaded } from "./helpers";

const before = [
  "# my settings",
  "[experimental]",
  "dnsTunneling=false",
  "[wsl2]",
  "memory=8GB",
  "autoProxy = false   # corp proxy broke once",
  "",
].join("\n");

describe("effective values (what WSL uses)", () => {
  it("reads a legacy [experimental] alias, trailing comments and 0/1 booleans", () => {
    expect(effectiveValues(before)).toEqual({ dnsTunneling: false, autoProxy: false });
    expect(effectiveValues("[wsl2]\nDNSTUNNELING = 1\n")).toEqual({ dnsTunneling: true, autoProxy: true });
  });

  it("takes the first of duplicated keys, across the alias sections", () => {
    expect(effectiveValues("[experimental]\ndnsTunneling=false\n[wsl2]\ndnsTunneling=true\n").dnsTunneling).toBe(false);
  });

  it("uses WSL's default when the key is missing, in another section, or unreadable", () => {
    expect(effectiveValues("")).toEqual({ dnsTunneling: true, autoProxy: true });
    expect(effectiveValues("[boot]\ndnsTunneling=false\n[wsl2]\nautoProxy=maybe\n")).toEqual({
      dnsTunneling: true,
      autoProxy: true,
    });
  });
});

describe("merge", () => {
  it("keeps every unmanaged line, drops managed keys in [wsl2] and [experimental], writes them after the first [wsl2]", () => {
    expect(mergeWslConfig(before, { dnsTunneling: true, autoProxy: true })).toBe(
      ["# my settings", "[experimental]", "[wsl2]", "dnsTunneling=true", "autoProxy=true", "memory=8GB", ""].join("\n"),
    );
  });

  it("adds [wsl2] at the top of a file without one, and makes an empty file", () => {
    expect(mergeWslConfig("[boot]\nsystemd=true\n", { dnsTunneling: true })).toBe(
      "[wsl2]\ndnsTunneling=true\n[boot]\nsystemd=true\n",
    );
    expect(mergeWslConfig("", { autoProxy: true })).toBe("[wsl2]\nautoProxy=true\n");
  });

  it("keeps CRLF line ends and leaves keys it does not manage alone", () => {
    expect(mergeWslConfig("[wsl2]\r\nnetworkingMode=mirrored\r\n", { dnsTunneling: true })).toBe(
      "[wsl2]\r\ndnsTunneling=true\r\nnetworkingMode=mirrored\r\n",
    );
  });

  it("makes the effective values the desired ones, and merging again changes nothing", () => {
    const desired = { dnsTunneling: true, autoProxy: false };
    const once = mergeWslConfig(before, desired);
    expect(effectiveValues(once)).toEqual(desired);
    expect(mergeWslConfig(once, desired)).toBe(once);
  });
});

describe("the PowerShell carries the same table", () => {
  const input = { wslconfig: { dnsTunneling: true, autoProxy: false }, defaultVersion: 2 as const };

  it("embeds every managed key with its sections, WSL default and desired value", () => {
    const data = managedKeysData(input).join("\n");
    for (const key of MANAGED_WSLCONFIG_KEYS) {
      expect(data).toContain(
        `@{ Name = '${key.name}'; Sections = @(${key.sections.map((s) => `'${s}'`).join(", ")}); Default = $${key.default}; Value = $${input.wslconfig[key.name]} }`,
      );
    }
    for (const script of [detectionScript(input), remediationScript(input)]) expect(script).toContain(data);
  });

  it("uses the same section and key patterns as the TypeScript twin", () => {
    const script = remediationScript(input);
    expect(script).toContain("'^\\s*\\[([^\\]]*)\\]'");
    expect(script).toContain("'^\\s*([A-Za-z0-9_.]+)\\s*=");
  });

  it("sets DefaultVersion under HKCU Lxss only when the policy asks", () => {
    expect(remediationScript(input)).toContain("$defaultVersion = 2");
    expect(remediationScript({ wslconfig: { dnsTunneling: true } })).toContain("$defaultVersion = 0");
  });
});

describe("wslUserSettings compiles by delivery", () => {
  const base = {
    id: "wsl-user-settings",
    displayName: "WSL user settings",
    dnsTunneling: true,
    assignments: { include: [group("Developers")] },
  };

  it("remediation: detection + remediation as the user, 64-bit, with the schedule on every include", () => {
    const result = compile([loaded(wslUserSettings({ ...base, schedule: { everyHours: 4 } }))], { stack: "prod" });
    const [object] = result.desired.objects;
    expect(object!.kind).toBe("deviceHealthScript");
    expect(object!.document).toMatchObject({ runAsAccount: "user", runAs32Bit: false, publisher: "wslpolicy" });
    expect(object!.assignments[0]!.schedule).toEqual({
      "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule",
      interval: 4,
    });
  });

  it("platformScript: the remediation alone, once", () => {
    const result = compile([loaded(wslUserSettings({ ...base, delivery: "platformScript" }))], { stack: "prod" });
    const [object] = result.desired.objects;
    expect(object!.kind).toBe("deviceManagementScript");
    expect(Buffer.from(String(object!.document.scriptContent), "base64").toString()).toContain(
      "user settings restored",
    );
  });

  it("refuses a policy that manages nothing", () => {
    const result = compile(
      [loaded(wslUserSettings({ id: "empty", displayName: "Empty", assignments: { include: [group("Developers")] } }))],
      { stack: "prod" },
    );
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([
      expect.objectContaining({ message: expect.stringContaining("manages no setting") }),
    ]);
  });

  it("validate says what each delivery cannot do", () => {
    const warning = (delivery: "remediation" | "platformScript") =>
      compile([loaded(wslUserSettings({ ...base, delivery }))], { stack: "prod" }).diagnostics.map((d) => [
        d.severity,
        d.path,
        d.message,
      ]);
    expect(warning("remediation")).toEqual([
      ["warning", "policy.delivery", expect.stringContaining("needs Windows Enterprise E3/E5")],
    ]);
    expect(warning("platformScript")).toEqual([
      ["warning", "policy.delivery", expect.stringContaining("cannot restore settings a user changes later")],
    ]);
  });
});
