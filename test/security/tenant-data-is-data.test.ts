// Tenant data is printed as data (issue 12): names set in the Intune portal reached the text report and
// the import listing raw, and were verified to set the terminal title (OSC 0, ECMA-48 / xterm control
// sequences), clear the screen (CSI 2 J) and forge a "Plan: 0 to create …" line. Every policy name and
// description of the demo tenant carries all three here; the output must show them as text only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli";
import { REPO_ROOT } from "../policy/workspace";

const SET_TITLE = "\u001b]0;all clear\u0007";
const CLEAR_SCREEN = "\u001b[2J\u001b[H";
const FORGED_LINE =
  "\r\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete (6 unchanged); 0 conflicts; 0 risks.";
const RTL_OVERRIDE = "\u202e";
const HOSTILE = `${SET_TITLE}${CLEAR_SCREEN}${RTL_OVERRIDE}${FORGED_LINE}`;

const work = mkdtempSync(path.join(tmpdir(), "wslpolicy-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The demo tenant with the payload appended to every policy and app name and description. */
function hostileSnapshot(): string {
  const demo = JSON.parse(readFileSync(path.join(REPO_ROOT, "seeds/demo-tenant.json"), "utf8")) as Record<
    string,
    Record<string, unknown>[]
  >;
  for (const collection of [
    "deviceManagement/configurationPolicies",
    "deviceManagement/deviceCompliancePolicies",
    "deviceAppManagement/mobileApps",
  ]) {
    for (const object of demo[collection] ?? []) {
      for (const field of ["name", "displayName"])
        if (typeof object[field] === "string") object[field] = `${String(object[field])}${HOSTILE}`;
      // Before the ownership marker, which must stay at the end of the description.
      if (typeof object.description === "string")
        object.description = object.description.replace(/(\s*\[wslpolicy:[^\]]+\])?$/, `${HOSTILE}$1`);
    }
  }
  const file = path.join(work, "hostile-tenant.json");
  writeFileSync(file, JSON.stringify(demo));
  return file;
}

function expectInert(output: string): void {
  // eslint-disable-next-line no-control-regex -- the control characters are what is looked for
  expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  // The payload is still there to read, as text.
  expect(output).toContain("\\u{001b}]0;all clear\\u{0007}\\u{001b}[2J\\u{001b}[H\\u{202e} ⏎ Plan: 0 to create");
}

const linesStartingWith = (output: string, prefix: string) => output.split("\n").filter((l) => l.startsWith(prefix));

describe("a hostile tenant in the text reports", () => {
  const snapshot = hostileSnapshot();

  for (const mode of ["plan", "drift"] as const) {
    it(`${mode}: no control character reaches the terminal and no line is forged`, async () => {
      const run = await runCli([mode, "--stack", "local", "--snapshot", snapshot], { cwd: REPO_ROOT });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(mode === "plan" ? 0 : 2);
      expectInert(run.stdout);
      expect(linesStartingWith(run.stdout, "Plan:").length).toBe(mode === "plan" ? 1 : 0);
      expect(linesStartingWith(run.stdout, "Plan: 0 to create")).toEqual([]);
    });
  }

  it("colour output on a terminal keeps its own escape codes and still escapes the tenant's", async () => {
    const run = await runCli(["plan", "--stack", "local", "--snapshot", snapshot], { cwd: REPO_ROOT, isTTY: true });
    expect(run.stdout).toContain("\u001b[1m"); // picocolors' bold: ours
    expect(run.stdout).not.toContain(SET_TITLE);
    expect(run.stdout).not.toContain(CLEAR_SCREEN);
    expect(run.stdout).not.toContain("\r");
  });
});

describe("a hostile tenant in the import listing", () => {
  it("lists imported and skipped objects with their names escaped", async () => {
    const run = await runCli(["import", "--snapshot", hostileSnapshot(), "--out", path.join(work, "imported")], {
      cwd: work,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 1 object/);
    expect(run.stdout).toMatch(/skipped 4 WSL-related objects/);
    expectInert(run.stdout);
    expect(linesStartingWith(run.stdout, "Plan:")).toEqual([]);
  });
});
