// End to end, the way a platform team adopts wslpolicy: `npm pack` of this repository, the tarball
// installed into an empty folder with nothing else (offline, see ./offline-install.ts), then from that
// folder only `npx wslpolicy init`, `validate`, `plan --stack local` against the embedded emulator and
// `import`; the policy files type-checked against the declarations in the package; the provider text
// Pulumi stores in state, current and 0.1.0's, rebuilt in a fresh process of the platform repo and run
// against the installed (compiled) package; and the repo's Pulumi project (its one-line program) through
// the engine-protocol stand-in of test/pulumi/engine: preview, up, preview again, destroy.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator";
import { COLLECTIONS, type ObjectKind } from "../../src/model";
import { readSnapshotFile, runningEmulatorClient } from "../../src/tenant";
import {
  destroy,
  preview,
  readState,
  up,
  type EngineOptions,
  type RunResult,
  type Step,
} from "../pulumi/engine/engine";
import { resolveProject } from "../pulumi/engine/project";
import { compiledExamples, resourceInputs } from "../pulumi/harness/fixtures";
import { installOffline, packRepository, REPO_ROOT, run, type PackResult } from "./offline-install";

const work = mkdtempSync(path.join(tmpdir(), "wslpolicy-package-"));
const repo = path.join(work, "platform");
let pack: PackResult;

/** A shell-less `npx` in the platform repo; the environment a user has (no emulator or Azure variables). */
function npx(args: readonly string[]) {
  return run("npx", ["--offline", "--no", ...args], repo, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    npm_config_cache: process.env.npm_config_cache,
  });
}

beforeAll(() => {
  const started = Date.now();
  pack = packRepository(work);
  const packed = Date.now();
  mkdirSync(repo);
  installOffline(pack.tarball, repo);
  // Figures for the report (`npm run bench` territory, never asserted).
  console.info(
    `npm pack: ${((packed - started) / 1000).toFixed(1)} s, ${(pack.size / 1024).toFixed(0)} KB (${pack.files.length} files); offline install: ${((Date.now() - packed) / 1000).toFixed(1)} s`,
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the published package", () => {
  it("ships the compiled code with declarations, the pinned catalog, the demo seed, the templates and the bin; no sources, tests or stacks", () => {
    const files = pack.files.map((f) => f.path);
    for (const expected of [
      "package.json",
      "bin/wslpolicy.js",
      "entry/load.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "dist/pulumi/index.js",
      "dist/pulumi/run-stack.d.ts",
      "dist/catalog/definitions/wsl.settings.json",
      "dist/catalog/definitions/firewall.settings.json",
      "seeds/demo-tenant.json",
      "templates/init/Pulumi.yaml",
      "templates/init/policies/wsl-developers.ts",
    ]) {
      expect(files).toContain(expected);
    }
    // The only stack files are the templates `init` writes; this repository's stacks/ stays out.
    const forbidden = files.filter(
      (f) => /^(src|test|stacks|policies|policy-pack|bench|scripts|docs)\//.test(f) || /\.test\.[jt]s$/.test(f),
    );
    expect(forbidden).toEqual([]);
  });

  it("refers to nothing of this repository's layout", () => {
    const installed = path.join(repo, "node_modules", "wslpolicy");
    const offenders: string[] = [];
    for (const f of pack.files.map((p) => p.path).filter((p) => /\.(js|json|yaml|yml|ts)$/.test(p))) {
      const text = readFileSync(path.join(installed, f), "utf8");
      if (/["'`](\.\.\/)+(src|stacks|policies|test)\//.test(text) || text.includes(REPO_ROOT)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});

describe("a platform repo that depends on wslpolicy", () => {
  it("init writes the repo from the installed package and pins the dependency", () => {
    const r = npx(["wslpolicy", "init"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const file of [
      "policies/wsl-developers.ts",
      "stacks/index.js",
      "stacks/Pulumi.local.yaml",
      "stacks/Pulumi.prod.yaml",
      "Pulumi.yaml",
      "tsconfig.json",
      ".github/workflows/wslpolicy-plan.yml",
      "azure-pipelines/wslpolicy-drift.yml",
      ".gitignore",
    ]) {
      expect(r.stdout).toContain(`created ${file}`);
    }
    const pkg = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(pkg.dependencies).toEqual({ wslpolicy: version });
    expect(
      readFileSync(path.join(repo, "stacks", "index.js"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1);
  });

  it("init a second time refuses and changes nothing", () => {
    const before = readFileSync(path.join(repo, "Pulumi.yaml"), "utf8");
    const r = npx(["wslpolicy", "init"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not overwriting existing files .*nothing was written/);
    expect(readFileSync(path.join(repo, "Pulumi.yaml"), "utf8")).toBe(before);
  });

  it("validate loads the TypeScript policy files through the installed package", () => {
    const r = npx(["wslpolicy", "validate"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("✔ 2 policies in policies: valid (0 errors, 1 warning, stack local)");
  });

  it("plan --stack local reads the embedded emulator seeded with the demo tenant shipped in the package", () => {
    const r = npx(["wslpolicy", "plan", "--stack", "local", "--detailed-exitcode"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(
      /Tenant: local Graph emulator \(embedded, seed demo-tenant\.json, localhost:\d+\) — not a real tenant/,
    );
    expect(r.stdout).toContain(
      "Plan: 3 to create, 0 to update, 0 to replace, 2 to delete (0 unchanged); 2 conflicts; 2 risks.",
    );
    expect(r.stdout).toContain(
      '+ create: wsl-developers — "Win - WSL - Developers" (configurationPolicy) [wsl-developers.ts]',
    );
  });

  it("import writes adoptable policy files for the demo tenant's unmanaged WSL objects, and they validate", () => {
    const r = npx(["wslpolicy", "import", "--stack", "local", "--out", "imported"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readdirSync(path.join(repo, "imported"))).toEqual(["win-wsl-legacy-developer-exceptions.ts"]);
    expect(readFileSync(path.join(repo, "imported", "win-wsl-legacy-developer-exceptions.ts"), "utf8")).toMatch(
      /^import \{ .* \} from "wslpolicy";$/m,
    );
    const v = npx(["wslpolicy", "validate", "--policies", "imported"]);
    expect(v.stderr).toBe("");
    expect(v.status).toBe(0);
  });

  it("type-checks the policy files against the declarations the package ships (tsc of this repository, the repo's tsconfig.json)", () => {
    const r = run(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      repo,
    );
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.each([
    ["the current provider text", "current"],
    ["the provider text of 0.1.0 in existing stacks' state", "0.1.0"],
  ])(
    "%s, rebuilt by a fresh process of the platform repo as the provider host does, runs the installed compiled package",
    async (_name, which) => {
      const kind: ObjectKind = "configurationPolicy";
      let text: string;
      if (which === "current") {
        // Serialized the way dynamic.Resource does it, from the installed package's own providers.
        const serialize = `require("@pulumi/pulumi").runtime.serializeFunction(() => require("wslpolicy/pulumi").providers.${kind}, { allowSecrets: true }).then((sf) => process.stdout.write(sf.text))`;
        const s = run(process.execPath, ["-e", serialize], repo, { PATH: process.env.PATH, NODE_NO_WARNINGS: "1" });
        expect(s.stderr).toBe("");
        text = s.stdout;
        expect(text).toContain('"wslpolicy/pulumi"');
        expect(text).not.toContain(REPO_ROOT);
      } else {
        text = (
          JSON.parse(readFileSync(path.join(REPO_ROOT, "test/fixtures/provider-text/0.1.0.json"), "utf8")) as Record<
            ObjectKind,
            string
          >
        )[kind];
      }
      const obj = (await compiledExamples("local")).objects.find((o) => o.policyId === "wsl-off")!;
      const olds = resourceInputs(obj, "local", "https://localhost:1/");
      const news = { ...olds, document: { ...(olds.document as object), name: "renamed" } };
      // What cmd/dynamic-provider's getProvider does, in the folder the engine starts the host in.
      const host = `
      const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
      const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
      const provider = requireFromString(input.text).handler();
      provider.diff("id", input.olds, input.news).then((diff) => process.stdout.write(JSON.stringify({
        diff, loaded: Object.keys(require.cache).filter((f) => f.includes("wslpolicy") && f.includes("operations")),
      })), (e) => { console.error(e); process.exit(1); });`;
      const r = spawnSync(process.execPath, ["-e", host], {
        cwd: path.join(repo, "stacks"),
        input: JSON.stringify({ text, olds, news }),
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout) as {
        diff: { changes: boolean; detailedDiff: Record<string, unknown> };
        loaded: string[];
      };
      expect(out.diff).toMatchObject({ changes: true, detailedDiff: { "document.name": { kind: "update" } } });
      expect(out.loaded).toEqual([path.join(repo, "node_modules", "wslpolicy", "dist", "pulumi", "operations.js")]);
    },
  );

  it("pulumi preview, up, preview again and destroy of the local stack, through the engine-protocol stand-in from the repo's Pulumi.yaml, against an emulator", async () => {
    const launch = resolveProject(repo);
    // main: stacks/index.js, plain JavaScript: no nodeargs, no TypeScript in the program's process.
    expect(launch).toMatchObject({
      pwd: path.join(repo, "stacks"),
      entryPoint: "index.js",
      nodeargs: [],
      typescript: false,
    });
    const emulator = await startEmulator({
      seed: readSnapshotFile(path.join(REPO_ROOT, "seeds", "demo-tenant.json")),
      timeScale: 0.01,
    });
    const emulatorEnv = {
      WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
      WSLPOLICY_EMULATOR_CA: emulator.caFile,
      WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
    };
    const graph = runningEmulatorClient(emulator.baseUrl, emulatorEnv, { where: "the engine stand-in" });
    const options: EngineOptions = {
      launch,
      stack: "local",
      env: { PATH: process.env.PATH, ...emulatorEnv },
      config: { "wslpolicy:graphEndpoint": emulator.baseUrl }, // `pulumi config set` of stacks/Pulumi.local.yaml's comment
      statePath: path.join(work, "pulumi-state.json"),
      graph,
    };
    const steps = (result: RunResult, op: Step["op"]) =>
      result.steps
        .filter((st) => st.op === op)
        .map((st) => st.urn.split("::").slice(-2).join("::"))
        .sort();
    const failure = (result: RunResult) =>
      [result.error ?? "", ...result.log.filter((l) => l.startsWith("error") || l.startsWith("stderr"))]
        .join("\n")
        .trim();
    const declared = [
      "azuread:index/group:Group::ring-developers",
      "pulumi-nodejs:dynamic/wslpolicy:CompliancePolicy::wsl-distributions",
      "pulumi-nodejs:dynamic/wslpolicy:ConfigurationPolicy::wsl-developers",
      "pulumi-nodejs:dynamic/wslpolicy:MobileApp::intune-wsl-plugin",
      "pulumi:providers:azuread::azuread",
    ];
    try {
      const writesBefore = emulator.log.writes().length;
      const previewed = await preview(options);
      expect(failure(previewed)).toBe("");
      expect(steps(previewed, "create")).toEqual(declared);
      expect(emulator.log.writes().length).toBe(writesBefore);

      const applied = await up(options);
      expect(failure(applied)).toBe("");
      expect(steps(applied, "create")).toEqual(declared);
      const state = readState(options.statePath);
      const idOf = (name: string) => state.find((r) => r.urn.endsWith(`::${name}`))!.id;
      const ring = emulator.state.get(COLLECTIONS.groups, idOf("ring-developers"))!;
      expect(ring.displayName).toBe("WSL - Developer devices");
      const policy = emulator.state.get(COLLECTIONS.configurationPolicies, idOf("wsl-developers"))!;
      expect(policy.description).toMatch(/\[wslpolicy:local\/wsl-developers\]$/);
      expect(JSON.stringify(policy.assignments)).toContain(ring.id as string);
      expect(emulator.state.get(COLLECTIONS.compliancePolicies, idOf("wsl-distributions"))).toBeDefined();
      // The provider text in state is the one the installed package serialized, and names no path.
      const providerText = String(state.find((r) => r.urn.endsWith("::wsl-developers"))!.outputs.__provider);
      expect(providerText).toContain('"wslpolicy/pulumi"');
      expect(providerText).not.toContain(REPO_ROOT);

      const writesAfterUp = emulator.log.writes().length;
      const again = await preview(options);
      expect(failure(again)).toBe("");
      expect(again.steps.filter((st) => st.op !== "same")).toEqual([]);
      expect(emulator.log.writes().length).toBe(writesAfterUp);

      const destroyed = await destroy(options);
      expect(failure(destroyed)).toBe("");
      expect(emulator.state.get(COLLECTIONS.configurationPolicies, idOf("wsl-developers"))).toBeUndefined();
      expect(emulator.state.get(COLLECTIONS.groups, idOf("ring-developers"))).toBeUndefined();
      expect(readState(options.statePath)).toEqual([]);
    } finally {
      await graph.close();
      await emulator.stop();
    }
  }, 240_000); // four engine runs, each spawning the program and the provider host: minutes on a loaded machine
});
