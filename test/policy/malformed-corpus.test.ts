// The malformed corpus (test/fixtures/malformed/<case>/): each case is a tiny policies directory and an
// expected.json naming the exact errors it must produce (code, file, field path, message). The whole pipeline
// runs (load, validate, compile), so a case may expect a schema error or a compiler/guardrail finding.
// Files named `*.ts.txt` are copied in as `*.ts`: they cannot sit in the tree as .ts (tsc and eslint
// would reject a syntax error), so each case runs from a scratch copy laid out like a platform repo.
import { cpSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import type { CliIO } from "../../src/cli/io";
import type { Severity } from "../../src/config/stack-config";
import type { Diagnostic } from "../../src/model/diagnostic";
import { buildDesiredState } from "../../src/project/build";
import { makePolicyWorkspace, type PolicyWorkspace } from "./workspace";

const CORPUS = path.resolve(__dirname, "../fixtures/malformed");

interface ExpectedCase {
  description: string;
  /** Guardrail severities for the case (as a stack file's `wslpolicy:guardrails` would set them). */
  guardrails?: Record<string, Severity>;
  /** Every error the case produces (warnings are not compared). `message` is a fragment. */
  diagnostics: Diagnostic[];
}

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const workspaces: PolicyWorkspace[] = [];
afterAll(() => {
  for (const ws of workspaces) ws.cleanup();
});

function readCase(name: string): ExpectedCase {
  return JSON.parse(readFileSync(path.join(CORPUS, name, "expected.json"), "utf8")) as ExpectedCase;
}

/** A scratch copy of the case's policy files (`*.ts.txt` renamed to `*.ts`). */
function materialise(name: string): string {
  const ws = makePolicyWorkspace();
  workspaces.push(ws);
  cpSync(path.join(CORPUS, name), ws.policiesDir, {
    recursive: true,
    filter: (src) => path.basename(src) !== "expected.json",
  });
  for (const file of readdirSync(ws.policiesDir)) {
    if (file.endsWith(".ts.txt"))
      renameSync(path.join(ws.policiesDir, file), path.join(ws.policiesDir, file.slice(0, -".txt".length)));
  }
  return ws.policiesDir;
}

function captureIO(cwd: string): { io: CliIO; out: () => string } {
  let text = "";
  const io: CliIO = { stdout: (t) => void (text += t), stderr: (t) => void (text += t), isTTY: false, env: {}, cwd };
  return { io, out: () => text };
}

describe("the malformed corpus", () => {
  it("has at least 25 cases, each expecting at least one error", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const name of cases) {
      const expected = readCase(name);
      expect(expected.diagnostics.length, name).toBeGreaterThan(0);
      expect(
        expected.diagnostics.every((d) => d.severity === "error"),
        name,
      ).toBe(true);
    }
  });

  it.each(cases)("%s", async (name) => {
    const expected = readCase(name);
    const dir = materialise(name);
    const result = await buildDesiredState({
      policiesDir: dir,
      stack: "test",
      ...(expected.guardrails ? { guardrails: expected.guardrails } : {}),
    });
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual(
      expected.diagnostics.map((d) => ({
        code: d.code,
        severity: "error",
        file: d.file,
        path: d.path,
        message: expect.stringContaining(d.message),
        ...(d.rule ? { rule: d.rule } : {}),
      })),
    );
  });
});

describe("wslpolicy validate on malformed input", () => {
  // A sample across the kinds of failure: schema, duplicates across files, syntax, load-time throw.
  const sample = [
    "unknown-key",
    "duplicate-id-across-files",
    "protocol-number-out-of-range",
    "exclude-all-devices",
    "syntax-error",
    "file-throws",
  ];

  it.each(sample)("%s: exits 1 and names the file and the field", async (name) => {
    const expected = readCase(name);
    const dir = materialise(name);
    const { io, out } = captureIO(path.dirname(dir));
    const code = await main(["node", "wslpolicy", "validate", "--policies", dir], io);
    expect(code).toBe(1);
    for (const d of expected.diagnostics) {
      const where = d.path ? `${d.file}: ${d.path}: ` : `${d.file}: `;
      expect(out()).toContain(`error: ${where}${d.message}`);
    }
    expect(out()).toMatch(/is invalid: \d+ errors?, \d+ warnings?/);
  });
});
