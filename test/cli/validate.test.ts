// `wslpolicy validate`: exit codes, what it prints, and where guardrail severities come from.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makePolicyWorkspace, REPO_ROOT, type PolicyWorkspace } from "../policy/workspace";
import { runCli } from "./run-cli";

const wslWithoutWsl1Lock = `import { group, wslPolicy } from "wslpolicy";
export const developers = wslPolicy({
  id: "wsl-developers",
  displayName: "Win - WSL - Developers",
  wsl: true,
  assignments: { include: [group("Developer Workstations")] },
});
`;

let workspace: PolicyWorkspace | undefined;
afterEach(() => {
  workspace?.cleanup();
  workspace = undefined;
});
function workspaceWith(files: Record<string, string>, stacks: Record<string, string> = {}): PolicyWorkspace {
  workspace = makePolicyWorkspace(files);
  for (const [name, text] of Object.entries(stacks)) {
    mkdirSync(path.join(workspace.root, "stacks"), { recursive: true });
    writeFileSync(path.join(workspace.root, "stacks", name), text);
  }
  return workspace;
}

describe("wslpolicy validate", () => {
  it("accepts the example policies (exit 0) and says how many it checked", async () => {
    const run = await runCli(["validate"], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("✔ 5 policies in policies: valid (0 errors, 0 warnings, stack local)\n");
  });

  it("prints a machine-readable report with --format json", async () => {
    const run = await runCli(["validate", "--format", "json"], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      policies: { id: string; file: string }[];
      diagnostics: unknown[];
      errors: number;
    };
    expect(report.ok).toBe(true);
    expect(report.errors).toBe(0);
    expect(report.diagnostics).toEqual([]);
    expect(report.policies.map((p) => p.id).sort()).toEqual([
      "defender-wsl-plugin",
      "wsl-approved-distros",
      "wsl-developers",
      "wsl-hyperv-firewall",
      "wsl-off",
    ]);
  });

  it("exits 1 and prints `error: <file>: <path>: <message>` for each problem", async () => {
    const ws = workspaceWith({
      "wsl-off.ts": wslWithoutWsl1Lock
        .replace("wsl: true,", 'wsl: "off",')
        .replace('id: "wsl-developers"', 'id: "WSL Off"'),
    });
    const run = await runCli(["validate", "--policies", ws.policiesDir], { cwd: ws.root });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")).toEqual([
      "error: wsl-off.ts: developers.id: must be kebab-case: a lowercase letter, then lowercase letters, digits or '-' (at most 63 characters)",
      "error: wsl-off.ts: developers.wsl: expected true or false, got 'off'",
      "✖ policies is invalid: 2 errors, 0 warnings (stack local)",
      "",
    ]);
  });

  it("reports errors in the json format too, with exit 1", async () => {
    const ws = workspaceWith({ "wsl-off.ts": wslWithoutWsl1Lock.replace("wsl: true,", "wsl: true,\n  wsl2: true,") });
    const run = await runCli(["validate", "--policies", ws.policiesDir, "--format", "json"], { cwd: ws.root });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      diagnostics: { file: string; path: string; message: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual({
      code: "schema-invalid",
      severity: "error",
      file: "wsl-off.ts",
      path: "developers.wsl2",
      message: expect.stringContaining("unknown key 'wsl2'"),
    });
  });

  it("takes guardrail severities from the stack file named by --stack", async () => {
    const ws = workspaceWith(
      { "developers.ts": wslWithoutWsl1Lock },
      {
        "Pulumi.strict.yaml":
          "config:\n  wslpolicy:tenant: emulator\n  wslpolicy:guardrails:\n    wsl1-not-disabled: error\n    wsl-without-defender: off\n",
      },
    );
    const lenient = await runCli(["validate", "--policies", ws.policiesDir], { cwd: ws.root });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("warning: developers.ts: developers.wsl1: ");
    expect(lenient.stdout).toContain("[wsl1-not-disabled]");

    const strict = await runCli(["validate", "--policies", ws.policiesDir, "--stack", "strict"], { cwd: ws.root });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("error: developers.ts: developers.wsl1: ");
    expect(strict.stdout).not.toContain("[wsl-without-defender]");
    expect(strict.stdout).toContain("✖ policies is invalid: 1 error, 0 warnings (stack strict)");
  });

  it("reads the policies directory from the stack file when --policies is not given", async () => {
    const ws = workspaceWith(
      {},
      { "Pulumi.local.yaml": "config:\n  wslpolicy:tenant: emulator\n  wslpolicy:policies: org/policies\n" },
    );
    mkdirSync(path.join(ws.root, "org", "policies"), { recursive: true });
    writeFileSync(
      path.join(ws.root, "org", "policies", "developers.ts"),
      wslWithoutWsl1Lock.replace("wsl: true,", "wsl: false,"),
    );
    const run = await runCli(["validate"], { cwd: ws.root });
    expect(run.stdout).toContain("1 policy in org/policies: valid");
    expect(run.code).toBe(0);
  });

  it("two policies that adopt the same object are an error naming both files", async () => {
    const adopting = (id: string) =>
      wslWithoutWsl1Lock.replace(
        'id: "wsl-developers",',
        `id: "${id}", adopt: "5ADA1CD7-bdd6-5616-b7e5-859b8d8b9d0c", wsl1: false,`,
      );
    const ws = workspaceWith({
      "a.ts": adopting("first"),
      "nested/b.ts": adopting("second").replace("developers =", "second ="),
    });
    const run = await runCli(["validate", "--policies", ws.policiesDir], { cwd: ws.root });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "error: a.ts: developers.adopt: object 5ada1cd7-bdd6-5616-b7e5-859b8d8b9d0c is also adopted by nested/b.ts (policy 'second'); an object can be adopted by one policy only",
    );
    expect(run.stdout).toContain(
      "error: nested/b.ts: second.adopt: object 5ada1cd7-bdd6-5616-b7e5-859b8d8b9d0c is also adopted by a.ts (policy 'first')",
    );
  });

  it("fails with exit 1 when the named stack has no stack file", async () => {
    const ws = workspaceWith({ "developers.ts": wslWithoutWsl1Lock });
    const run = await runCli(["validate", "--stack", "prod"], { cwd: ws.root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Pulumi.prod.yaml: no such stack file (stack 'prod')");
  });

  it("rejects an unknown --format", async () => {
    const run = await runCli(["validate", "--format", "xml"], { cwd: REPO_ROOT });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Allowed choices are text, json");
  });

  it("colours only on a terminal", async () => {
    const ws = workspaceWith({ "developers.ts": wslWithoutWsl1Lock.replace("wsl: true,", "wsl: 1,") });
    const plain = await runCli(["validate", "--policies", ws.policiesDir], { cwd: ws.root, isTTY: false });
    const tty = await runCli(["validate", "--policies", ws.policiesDir], { cwd: ws.root, isTTY: true });
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(plain.stdout).not.toMatch(ansi);
    expect(tty.stdout).toMatch(ansi);
    // eslint-disable-next-line no-control-regex
    expect(tty.stdout.replace(/\u001b\[\d+m/g, "")).toBe(plain.stdout);
  });

  it("explains itself with --help", async () => {
    const run = await runCli(["validate", "--help"], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/\s+/g, " ")).toContain(
      "Load and check every policy file: the policy schema, the pinned Settings Catalog",
    );
    expect(run.stdout).toMatch(/--policies <dir>[\s\S]*--stack <name>[\s\S]*--format <format>/);
  });
});
