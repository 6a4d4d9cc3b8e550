// Policy files are code (docs/security.md): each attack issue 12 verified against the old in-process
// loader, replayed through the real `wslpolicy` binary. A policy file runs in its own process with a
// scrubbed environment and a time limit; it cannot read the CLI's credentials, end the CLI, change its
// exit code or keep it running, and only its exported data comes back.
import { execFile } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makePolicyWorkspace, REPO_ROOT, type PolicyWorkspace } from "../policy/workspace";

const BIN = path.join(REPO_ROOT, "bin", "wslpolicy.js");
const DEMO_SNAPSHOT = path.join(REPO_ROOT, "seeds", "demo-tenant.json");

/** Variables a CI job holding credentials has; none of them may reach a policy file. */
const SECRETS: NodeJS.ProcessEnv = {
  AZURE_CLIENT_SECRET: "azure-secret-value-1",
  AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  ARM_CLIENT_SECRET: "arm-secret-value-2",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-request-token-3",
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/oidc",
  SYSTEM_ACCESSTOKEN: "azdo-token-4",
  WSLPOLICY_EMULATOR_TOKEN: "emulator-token-5",
  NODE_OPTIONS: "--max-old-space-size=4096",
};

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed binary as a user would; a run that never ends is killed after 60 s and fails the test. */
function wslpolicy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 60_000, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: number | string; signal?: string }) | null;
        resolve({
          code: failure ? (typeof failure.code === "number" ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

let workspace: PolicyWorkspace | undefined;
afterEach(() => {
  workspace?.cleanup();
  workspace = undefined;
});

/** The example policies plus one hostile file. */
function examplesWith(file: string, text: string): PolicyWorkspace {
  workspace = makePolicyWorkspace();
  cpSync(path.join(REPO_ROOT, "policies"), workspace.policiesDir, { recursive: true });
  workspace.write(file, text);
  return workspace;
}

describe("a policy file cannot reach the CLI's credentials", () => {
  it("sees none of AZURE_*, ARM_*, the OIDC request token, SYSTEM_ACCESSTOKEN or the emulator token during validate", async () => {
    const ws = examplesWith("zz-leak.ts", "");
    const leak = path.join(ws.root, "leak.json");
    ws.write(
      "zz-leak.ts",
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(leak)}, JSON.stringify(process.env));\n`,
    );
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir], SECRETS);
    expect(run.code).toBe(0);
    expect(existsSync(leak)).toBe(true); // the file did run: the test would prove nothing otherwise
    const seen = JSON.parse(readFileSync(leak, "utf8")) as Record<string, string>;
    for (const name of Object.keys(SECRETS)) expect(seen, name).not.toHaveProperty(name);
    const text = readFileSync(leak, "utf8");
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  });
});

describe("a policy file cannot decide the CLI's exit", () => {
  it("setTimeout(() => process.exit(0)) does not turn drift into clean: exit 2 with the drift report", async () => {
    const ws = examplesWith("zz-exit-later.ts", "setTimeout(() => process.exit(0));\nexport {};\n");
    const run = await wslpolicy(["drift", "--policies", ws.policiesDir, "--snapshot", DEMO_SNAPSHOT]);
    expect(run.stdout).toMatch(/^Drift: 1 changed outside wslpolicy, 5 missing, 1 no longer declared/m);
    expect(run.code).toBe(2);
  });

  it("process.exit(0) while the file loads is an error naming the file: validate exits 1", async () => {
    const ws = examplesWith("zz-exit-now.ts", "process.exit(0);\nexport {};\n");
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      "error: zz-exit-now.ts: the file failed to load: a policy file called process.exit(0); policy files cannot end the run",
    );
  });

  it("process.exitCode set by a policy file does not change the exit code", async () => {
    const ws = examplesWith("zz-exit-code.ts", "process.exitCode = 7;\nexport {};\n");
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir]);
    expect(run.code).toBe(0);
  });

  it("a process.kill of its own process is an error naming the file, never a result", async () => {
    const ws = examplesWith("zz-kill.ts", "process.kill(process.pid, 'SIGKILL');\nexport {};\n");
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      "error: zz-kill.ts: ended the policy loader process while loading (signal SIGKILL)",
    );
  });
});

describe("a policy file cannot keep the CLI running", () => {
  it("a setInterval left running: validate prints valid and exits 0", async () => {
    const ws = examplesWith("zz-interval.ts", "setInterval(() => undefined, 1000);\nexport {};\n");
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir]);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("valid (0 errors");
  });

  it("a file that never finishes loading is stopped at the time limit with an error naming it and the setting", async () => {
    const ws = examplesWith("zz-spin.ts", "for (;;) {}\n");
    const run = await wslpolicy(["validate", "--policies", ws.policiesDir], { WSLPOLICY_POLICY_TIMEOUT: "3" });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      "error: zz-spin.ts: did not finish loading within 3 s (a loop or a wait that never ends?); WSLPOLICY_POLICY_TIMEOUT=<seconds> changes the limit",
    );
  });

  it("a policy file's output goes to stderr, never into the report on stdout", async () => {
    const ws = examplesWith(
      "zz-print.ts",
      'console.log("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete (6 unchanged).");\nexport {};\n',
    );
    const run = await wslpolicy([
      "plan",
      "--policies",
      ws.policiesDir,
      "--snapshot",
      DEMO_SNAPSHOT,
      "--format",
      "json",
    ]);
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    expect(run.stderr).toContain("Plan: 0 to create");
  });
});
