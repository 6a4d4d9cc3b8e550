// `wslpolicy init [DIR]`: writes a working platform repo, updates an existing package.json in place (the
// state `npm install wslpolicy` leaves), and refuses to overwrite anything else unless --force, writing
// nothing at all when it refuses.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { projectName } from "../../src/cli/commands/init";
import { runCli } from "./run-cli";

const work = mkdtempSync(path.join(tmpdir(), "wslpolicy-init-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const VERSION = (JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string })
  .version;

function freshDir(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const readJson = (dir: string, file: string) => JSON.parse(read(dir, file)) as Record<string, unknown>;

describe("wslpolicy init", () => {
  it("writes a platform repo into DIR whose policies validate and whose local stack plans against the shipped demo tenant", async () => {
    const r = await runCli(["init", "acme-platform"], { cwd: work });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dir = path.join(work, "acme-platform");
    expect(readJson(dir, "package.json")).toMatchObject({
      name: "acme-platform",
      private: true,
      dependencies: { wslpolicy: VERSION },
      scripts: { validate: "wslpolicy validate" },
    });
    const project = parseYaml(read(dir, "Pulumi.yaml")) as Record<string, unknown>;
    expect(project).toMatchObject({
      name: "acme-platform",
      runtime: { name: "nodejs", options: { typescript: false } },
      main: "stacks/index.js",
      stackConfigDir: "stacks",
    });
    expect(read(dir, "stacks/index.js")).toBe(
      'module.exports = () => require("wslpolicy/program").runStack(require("node:path").resolve(__dirname, ".."));\n',
    );
    expect(parseYaml(read(dir, "stacks/Pulumi.local.yaml"))).toEqual({
      config: { "wslpolicy:tenant": "emulator", "wslpolicy:emulatorSeed": "wslpolicy/seeds/demo-tenant.json" },
    });
    expect(read(dir, ".gitignore")).toBe("node_modules/\nout/\n.wslpolicy/\n");
    for (const workflow of [
      ".github/workflows/wslpolicy-plan.yml",
      ".github/workflows/wslpolicy-drift.yml",
      "azure-pipelines/wslpolicy-plan.yml",
      "azure-pipelines/wslpolicy-drift.yml",
    ]) {
      expect(read(dir, workflow)).toMatch(/npx wslpolicy (plan|drift) --stack prod/);
    }

    const v = await runCli(["validate"], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("✔ 2 policies in policies: valid (0 errors, 1 warning, stack local)");
    const p = await runCli(["plan", "--format", "json"], { cwd: dir });
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.stdout) as { tenant: { label: string }; changes: { action: string; policyId: string }[] };
    expect(plan.tenant.label).toMatch(/^local Graph emulator \(embedded, seed demo-tenant\.json, /);
    expect(
      plan.changes
        .filter((c) => c.action === "create")
        .map((c) => c.policyId)
        .sort(),
    ).toEqual(["intune-wsl-plugin", "wsl-developers", "wsl-distributions"]);
  });

  it("updates the package.json `npm install wslpolicy` wrote: pins the version, adds missing scripts, keeps everything else", async () => {
    const dir = freshDir("after-npm-install");
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: "ours",
        dependencies: { wslpolicy: "^0.1.0", other: "1.2.3" },
        scripts: { plan: "custom" },
      }),
    );
    writeFileSync(path.join(dir, ".gitignore"), "dist/\nnode_modules/");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`updated package.json (wslpolicy ${VERSION})`);
    expect(readJson(dir, "package.json")).toEqual({
      name: "ours",
      dependencies: { wslpolicy: VERSION, other: "1.2.3" },
      scripts: { validate: "wslpolicy validate", plan: "custom" },
    });
    expect(read(dir, ".gitignore")).toBe("dist/\nnode_modules/\nout/\n.wslpolicy/\n");
  });

  it("refuses when any file it would write exists, names every one, and writes nothing; --force replaces them", async () => {
    const dir = freshDir("existing");
    mkdirSync(path.join(dir, "stacks"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mine\n");
    writeFileSync(path.join(dir, "stacks", "Pulumi.prod.yaml"), "config: {}\n");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "wslpolicy init: not overwriting existing files (use --force to replace them); nothing was written:\n  stacks/Pulumi.prod.yaml\n  Pulumi.yaml\n",
    );
    expect(existsSync(path.join(dir, "package.json"))).toBe(false);
    expect(existsSync(path.join(dir, "policies"))).toBe(false);
    expect(read(dir, "Pulumi.yaml")).toBe("name: mine\n");

    const forced = await runCli(["init", "--force", "--name", "fleet"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("replaced Pulumi.yaml");
    expect(forced.stdout).toContain("created policies/wsl-developers.ts");
    expect(parseYaml(read(dir, "Pulumi.yaml"))).toMatchObject({ name: "fleet" });
  });

  it("a package.json that is not JSON is an error naming it, and nothing is written", async () => {
    const dir = freshDir("bad-package");
    writeFileSync(path.join(dir, "package.json"), "{ not json");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wslpolicy init: package\.json: not valid JSON \(.+\); nothing was written\n$/);
    expect(read(dir, "package.json")).toBe("{ not json");
    expect(existsSync(path.join(dir, "Pulumi.yaml"))).toBe(false);
  });

  it("a package.json whose dependencies is not an object is an error naming the field", async () => {
    const dir = freshDir("bad-dependencies");
    writeFileSync(path.join(dir, "package.json"), '{"dependencies": ["wslpolicy"]}');
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("wslpolicy init: package.json: dependencies: expected an object; nothing was written\n");
    expect(existsSync(path.join(dir, "policies"))).toBe(false);
  });

  it("derives a valid Pulumi project name from the folder", () => {
    expect(projectName("/x/Acme Platform (WSL)")).toBe("Acme-Platform-WSL");
    expect(projectName("/x/...")).toBe("wsl-platform");
  });
});
