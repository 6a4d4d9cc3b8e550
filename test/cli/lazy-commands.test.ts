// A command loads only the code it uses: `validate` and `compile` run in a child process of the real CLI
// (bin/wslpolicy.js) and never load the Graph client, the Azure credentials, the Graph emulator, the
// tenant stack or Pulumi; `plan`, which reads a tenant, does load the Graph stack (so the recording works).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-modules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules a run of the CLI loaded, relative to the repository. */
function modulesLoadedBy(args: string[]): string[] {
  const out = path.join(dir, `${args[0]}.txt`);
  const run = spawnSync(
    process.execPath,
    ["--require", path.join(__dirname, "fixtures/record-modules.js"), "bin/wslpolicy.js", ...args],
    {
      cwd: ROOT,
      env: { ...process.env, WSLPOLICY_TEST_MODULES_OUT: out, NO_COLOR: "1" },
      encoding: "utf8",
    },
  );
  expect(run.stderr).toBe("");
  return readFileSync(out, "utf8")
    .split("\n")
    .map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
}

const HEAVY = [
  /^node_modules\/@microsoft\/microsoft-graph-client\//,
  /^node_modules\/@azure\//,
  /^node_modules\/@pulumi\//,
  /^node_modules\/undici\//,
  /^src\/graph\//,
  /^src\/tenant\//,
  /^src\/emulator\//,
  /^src\/pulumi\//,
];
const heavy = (modules: string[]) => modules.filter((m) => HEAVY.some((h) => h.test(m)));

describe("commands load only the code they use", () => {
  it("validate loads the policy, compile and catalog stages, and nothing of Graph, the tenant, the emulator or Pulumi", () => {
    const modules = modulesLoadedBy(["validate"]);
    expect(modules).toContain("src/compile/compile.ts");
    expect(heavy(modules)).toEqual([]);
  });

  it("compile does not either", () => {
    const modules = modulesLoadedBy(["compile", "--out", path.join(dir, "out")]);
    expect(modules).toContain("src/compile/compile.ts");
    expect(heavy(modules)).toEqual([]);
  });

  it("plan, which reads a tenant (here a snapshot file), does load the Graph and tenant stack", () => {
    const modules = modulesLoadedBy(["plan", "--snapshot", "seeds/demo-tenant.json"]);
    expect(modules).toContain("src/tenant/index.ts");
    expect(modules.some((m) => m.startsWith("node_modules/@microsoft/microsoft-graph-client/"))).toBe(true);
  });
});
