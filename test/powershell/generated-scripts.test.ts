// Every PowerShell script wslpolicy generates parses offline and stays within Windows PowerShell 5.1 and
// Intune's rules for script content: ASCII without BOM (learn.microsoft.com/mem/intune/fundamentals/remediations:
// "UTF-8 not UTF-8 BOM" with signature checks), under 200 KB (learn.microsoft.com/mem/intune/apps/powershell-scripts),
// output on stdout only (no Write-Error/Write-Warning/Write-Host), every path ending in an exit code, and never
// `wsl --shutdown` or a reboot ("Don't put reboot commands", remediations docs).
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { distroProvisioning, group, wslUserSettings } from "../../src";
import { loaded } from "../compile/helpers";
import { syntaxProblems } from "./grammar";

const developers = group("Developers");
const policies = [
  distroProvisioning({
    id: "provisioning-all",
    displayName: "P all",
    defaultUser: { name: "dev", sshKeys: [] },
    rootLogin: false,
    ssh: { maxAuthTries: 3, allowUsers: ["dev"] },
    wslConf: { defaultUser: true },
    assignments: { include: [developers] },
  }),
  distroProvisioning({
    id: "provisioning-instance",
    displayName: "P instance",
    distributions: { instance: "Ubuntu-24.04" },
    overwriteUserFile: true,
    packages: { update: true, upgrade: true, install: ["git"] },
    assignments: { include: [developers] },
  }),
  distroProvisioning({
    id: "provisioning-pro",
    displayName: "P pro",
    ubuntuPro: { tokenFrom: { env: "PRO_TOKEN" } },
    landscape: { accountName: "acme", computerTitle: "wsl", registrationKeyFrom: { env: "LANDSCAPE_KEY" } },
    assignments: { include: [developers] },
  }),
  wslUserSettings({
    id: "settings-remediation",
    displayName: "S rem",
    dnsTunneling: true,
    autoProxy: false,
    defaultVersion: 2,
    assignments: { include: [developers] },
  }),
  wslUserSettings({
    id: "settings-version-only",
    displayName: "S ver",
    defaultVersion: 2,
    schedule: { dailyAt: "08:00" },
    assignments: { include: [developers] },
  }),
  wslUserSettings({
    id: "settings-platform",
    displayName: "S plat",
    dnsTunneling: true,
    delivery: "platformScript",
    assignments: { include: [developers] },
  }),
];

const compiled = compile(
  policies.map((p) => loaded(p)),
  { stack: "prod" },
);
const scripts: [string, string][] = compiled.desired.objects.flatMap((o) =>
  ["scriptContent", "detectionScriptContent", "remediationScriptContent"]
    .filter((f) => typeof o.document[f] === "string")
    .map((f): [string, string] => [
      `${o.policyId} ${f}`,
      Buffer.from(String(o.document[f]), "base64").toString("latin1"),
    ]),
);

describe("generated PowerShell", () => {
  it("covers every script of every example (platform script, detection, remediation)", () => {
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(scripts.map(([name]) => name)).toEqual([
      "provisioning-all scriptContent",
      "provisioning-instance scriptContent",
      "provisioning-pro scriptContent",
      "settings-platform scriptContent",
      "settings-remediation detectionScriptContent",
      "settings-remediation remediationScriptContent",
      "settings-version-only detectionScriptContent",
      "settings-version-only remediationScriptContent",
    ]);
  });

  it.each(scripts)("%s parses and uses only Windows PowerShell 5.1 syntax", async (_name, script) => {
    expect(await syntaxProblems(script)).toEqual([]);
  });

  it.each(scripts)(
    "%s is ASCII, LF, under 200 KB, stdout only, exits explicitly, and never stops WSL or the device",
    (_name, script) => {
      expect(script).toMatch(/^[\t\n\x20-\x7e]*$/);
      expect(script.length).toBeLessThan(200 * 1024);
      expect(script).not.toMatch(/Write-(Error|Warning|Host)/);
      expect(script).toMatch(/exit 0/);
      expect(script).not.toMatch(/wsl(\.exe)?\s+--shutdown|Restart-Computer|shutdown(\.exe)?\s+\/r/i);
    },
  );
});

describe("the grammar check can fail", () => {
  it.each([
    ["a missing brace", "if ($a) { exit 1\n"],
    ["an unterminated string", "Write-Output 'oops\n"],
    ["PowerShell 7's null-coalescing operator", "$x = $null ?? 2\n"],
    ["PowerShell 7's ternary", "$y = $a ? 1 : 2\n"],
    ["a pipeline chain", "Get-Item x && exit 0\n"],
  ])("%s is reported", async (_what, script) => {
    expect((await syntaxProblems(script)).length).toBeGreaterThan(0);
  });
});
