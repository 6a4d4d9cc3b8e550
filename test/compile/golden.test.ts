// Golden output: every example policy in policies/ (and the extra fixtures in test/fixtures/compile)
// compiles to exactly the bytes in test/golden/compile. `UPDATE_GOLDEN=1 npx vitest run test/compile`
// rewrites them; review the diff before committing. Every golden document also passes the catalog check.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkAgainstCatalog, compile, stableStringify } from "../../src/compile";
import type { DesiredState, Diagnostic } from "../../src/model";
import { loadPolicyDirectory } from "../../src/policy/loader";
import { readPolicyPackages } from "../../src/project/packages";

const ROOT = path.resolve(__dirname, "../..");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function summary(desired: DesiredState, diagnostics: Diagnostic[]) {
  return {
    stack: desired.stack,
    objects: desired.objects.map((o) => ({
      resourceName: o.resourceName,
      kind: o.kind,
      displayName: o.displayName,
      sourceFile: o.sourceFile,
      ...(o.adoptId !== undefined ? { adoptId: o.adoptId } : {}),
      assignments: o.assignments,
    })),
    rings: desired.rings,
    diagnostics,
  };
}

function expectedFiles(desired: DesiredState, diagnostics: Diagnostic[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const o of desired.objects) files.set(`${o.resourceName}.json`, stableStringify(o.document));
  files.set("summary.json", stableStringify(summary(desired, diagnostics)));
  return files;
}

function compareWithGolden(dir: string, files: Map<string, string>): void {
  if (UPDATE) {
    mkdirSync(dir, { recursive: true });
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isFile()) rmSync(path.join(dir, e.name));
    for (const [name, content] of files) writeFileSync(path.join(dir, name), content);
  }
  expect(existsSync(dir), `${dir} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  const onDisk = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  expect(onDisk, "golden files without a compiled object (or objects without a golden file)").toEqual(
    [...files.keys()].sort(),
  );
  for (const [name, content] of files) {
    expect(readFileSync(path.join(dir, name), "utf8"), `${name} differs from its golden file`).toBe(content);
  }
}

async function goldenSuite(policiesDir: string, goldenDir: string, stack: string) {
  const loadedPolicies = await loadPolicyDirectory(policiesDir);
  expect(loadedPolicies.diagnostics).toEqual([]);
  const { packages, diagnostics: packageDiagnostics } = await readPolicyPackages(loadedPolicies.policies, policiesDir);
  expect(packageDiagnostics).toEqual([]);
  const { desired, diagnostics } = compile(loadedPolicies.policies, { stack, packages });
  return { loadedPolicies, desired, diagnostics, goldenDir };
}

describe("golden output of the example policies (policies/)", () => {
  it("compiles every example policy without diagnostics, to the golden bytes", async () => {
    const { loadedPolicies, desired, diagnostics, goldenDir } = await goldenSuite(
      path.join(ROOT, "policies"),
      path.join(ROOT, "test/golden/compile"),
      "local",
    );
    expect(diagnostics).toEqual([]);
    // One object per exported policy, and the Intune WSL plug-in app: nothing dropped on the way.
    expect(desired.objects.map((o) => o.policyId)).toEqual([
      ...loadedPolicies.policies.map((p) => p.policy.id).sort(),
      "intune-wsl-plugin",
    ]);
    expect(desired.objects.length).toBeGreaterThanOrEqual(5);
    compareWithGolden(goldenDir, expectedFiles(desired, diagnostics));
  });

  it("emits only catalog ids and options, with every required child, in each golden settings document", () => {
    const dir = path.join(ROOT, "test/golden/compile");
    const documents = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "summary.json");
    let checked = 0;
    for (const file of documents) {
      const doc = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { settings?: unknown };
      if (doc.settings === undefined) continue;
      expect(checkAgainstCatalog(doc.settings), file).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3); // wsl-developers, wsl-off, wsl-hyperv-firewall
  });
});

describe("golden output of the extra compiler fixtures (test/fixtures/compile/extra)", () => {
  it("compiles raw settings, a rollout from another MSI, adoption and rule options to the golden bytes", async () => {
    const { desired, diagnostics, goldenDir } = await goldenSuite(
      path.join(ROOT, "test/fixtures/compile/extra"),
      path.join(ROOT, "test/golden/compile/fixtures"),
      "ci",
    );
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    compareWithGolden(goldenDir, expectedFiles(desired, diagnostics));
    for (const o of desired.objects) {
      if (o.kind === "configurationPolicy")
        expect(checkAgainstCatalog(o.document.settings), o.resourceName).toEqual([]);
    }
  });
});
