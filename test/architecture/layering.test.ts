// The pipeline's shape, as a test: imports point down the pipeline, and the pure core does no I/O and
// reads no clock. A new import that breaks either fails here with the file and the import named.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../src");

/** Which stages each stage may import. Stages not listed on the left may not be imported at all. */
const ALLOWED: Record<string, string[]> = {
  kinds: [],
  model: ["kinds"],
  catalog: ["kinds", "model"],
  config: ["kinds"],
  policy: ["kinds", "model", "catalog"],
  intune: ["kinds", "model", "catalog"],
  compile: ["kinds", "model", "catalog", "intune", "policy"],
  diff: ["kinds", "model", "catalog", "intune", "compile"],
  report: ["kinds", "model", "catalog", "intune", "compile", "diff"],
  import: ["kinds", "model", "catalog", "intune", "policy", "compile", "diff"],
  graph: ["kinds", "model", "config"],
  package: ["kinds", "model"],
  emulator: ["kinds", "model", "catalog", "config", "package"],
  tenant: ["kinds", "model", "catalog", "intune", "config", "graph", "emulator", "compile", "package"],
  project: ["kinds", "model", "catalog", "intune", "config", "policy", "compile", "package"],
  pulumi: [
    "kinds",
    "model",
    "catalog",
    "intune",
    "config",
    "policy",
    "compile",
    "diff",
    "graph",
    "tenant",
    "project",
    "package",
  ],
  cli: [
    "kinds",
    "model",
    "catalog",
    "intune",
    "config",
    "policy",
    "compile",
    "diff",
    "report",
    "graph",
    "emulator",
    "tenant",
    "project",
    "import",
    "package",
  ],
};

/** The pure core: no network, no files, no clock (README, "Layout"). */
const PURE = ["kinds", "model", "catalog", "intune", "policy", "compile", "diff", "report", "import"];
/** Files of pure stages that are their stage's I/O edge on purpose. */
const PURE_EXCEPTIONS = new Set(["policy/loader.ts"]);
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|http|https|http2|net|tls|dgram|child_process|worker_threads)$|^undici$|^@microsoft\/microsoft-graph-client|^@azure\/identity|^@pulumi\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [
    ...text.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)|import\("([^"]+)"\)/g),
  ];
  return found.map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

const files = sourceFiles(SRC).map((f) => ({ file: f, rel: path.relative(SRC, f).split(path.sep).join("/") }));

describe("pipeline layering", () => {
  it("knows every stage folder under src/", () => {
    const stages = new Set(files.map((f) => f.rel.split("/")[0]).filter((s) => !s!.endsWith(".ts")));
    for (const stage of stages)
      expect(Object.keys(ALLOWED), `src/${stage}/ has no place in the pipeline`).toContain(stage);
  });

  it("imports only stages further down the pipeline", () => {
    const violations: string[] = [];
    for (const { file, rel } of files) {
      const stage = rel.split("/")[0]!;
      if (!(stage in ALLOWED)) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) continue;
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
        if (target === stage || target.startsWith("..")) continue;
        if (!ALLOWED[stage]!.includes(target)) violations.push(`src/${rel} imports ${spec} (stage '${target}')`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("reaches another stage only through its index.ts (an I/O edge such as the policy loader by its path)", () => {
    const violations: string[] = [];
    for (const { file, rel } of files) {
      const stage = rel.split("/")[0]!;
      if (!(stage in ALLOWED)) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) continue;
        const target = path
          .relative(SRC, path.resolve(path.dirname(file), spec))
          .split(path.sep)
          .join("/");
        const targetStage = target.split("/")[0]!;
        if (
          targetStage === stage ||
          target.startsWith("..") ||
          target === targetStage ||
          PURE_EXCEPTIONS.has(`${target}.ts`)
        )
          continue;
        violations.push(
          `src/${rel} imports ${spec}: import "${path.relative(path.dirname(file), path.join(SRC, targetStage)).split(path.sep).join("/")}" instead`,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it("keeps every index.ts to re-exports", () => {
    const violations: string[] = [];
    for (const { file, rel } of files) {
      if (!rel.endsWith("index.ts")) continue;
      const statements = readFileSync(file, "utf8")
        .replace(/\/\/.*$/gm, "")
        .split(";")
        .map((s) => s.trim().replace(/\s+/g, " "))
        .filter((s) => s !== "");
      for (const statement of statements) {
        const reexport = /^export (\*|\* as \w+|(type )?\{[^}]*\}) from "[^"]+"$/.test(statement);
        // `import * as x from "./x"; export { x }` re-exports a module as a namespace
        const namespace =
          /^import \* as \w+ from "\.\/[^"]+"$/.test(statement) || /^export \{ [\w, ]+ \}$/.test(statement);
        if (!reexport && !namespace) violations.push(`src/${rel}: ${statement.slice(0, 80)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("keeps the pure core free of network, file system and clock", () => {
    const violations: string[] = [];
    for (const { file, rel } of files) {
      if (!PURE.includes(rel.split("/")[0]!) || PURE_EXCEPTIONS.has(rel)) continue;
      for (const spec of imports(file)) if (IO_MODULES.test(spec)) violations.push(`src/${rel} imports ${spec}`);
      const code = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
      if (/Date\.now\(|new Date\(\)|performance\.now\(/.test(code)) violations.push(`src/${rel} reads the clock`);
      if (/process\.(env|cwd)/.test(code)) violations.push(`src/${rel} reads the process environment`);
    }
    expect(violations).toEqual([]);
  });
});
