// The policy loader: which files and exports count as policies, and how bad input is reported.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPolicyDirectory, listPolicyFiles } from "../../src/policy/loader";
import { makePolicyWorkspace, REPO_ROOT, type PolicyWorkspace } from "./workspace";

const EXAMPLES = path.join(REPO_ROOT, "policies");

const wslOff = (id = "wsl-off", exportName = "wslOff") => `import { group, wslPolicy } from "wslpolicy";
export const ${exportName} = wslPolicy({
  id: "${id}",
  displayName: "Win - WSL - Off",
  wsl: false,
  assignments: { include: [group("All Windows Workstations")] },
});
`;

let workspace: PolicyWorkspace | undefined;
afterEach(() => {
  workspace?.cleanup();
  workspace = undefined;
});
function workspaceWith(files: Record<string, string>): PolicyWorkspace {
  workspace = makePolicyWorkspace(files);
  return workspace;
}

describe("the example policies", () => {
  it("load clean: one policy per file, rings.ts contributes none", async () => {
    const { policies, diagnostics } = await loadPolicyDirectory(EXAMPLES);
    expect(diagnostics).toEqual([]);
    expect(policies.map((p) => [p.file, p.policy.id, p.policy.kind])).toEqual([
      ["defender-wsl-plugin.ts", "defender-wsl-plugin", "defenderPluginRollout"],
      ["wsl-approved-distros.ts", "wsl-approved-distros", "wslCompliance"],
      ["wsl-developers.ts", "wsl-developers", "wslPolicy"],
      ["wsl-hyperv-firewall.ts", "wsl-hyperv-firewall", "hyperVFirewall"],
      ["wsl-off.ts", "wsl-off", "wslPolicy"],
    ]);
  });

  it("use the demo organisation's names and apply schema defaults", async () => {
    const { policies } = await loadPolicyDirectory(EXAMPLES);
    const byId = new Map(policies.map((p) => [p.policy.id, p.policy]));
    const developers = byId.get("wsl-developers");
    expect(developers?.kind === "wslPolicy" && developers.defaultNetworkingMode).toBe("mirrored");
    expect(developers?.assignments.include).toEqual([
      expect.objectContaining({ kind: "ring", name: "WSL Ring 1 - Pilot" }),
      expect.objectContaining({ kind: "ring", name: "WSL Ring 2 - Early adopters" }),
      expect.objectContaining({ kind: "ring", name: "WSL Ring 3 - All developers" }),
    ]);
    expect(developers?.assignments.exclude).toEqual([{ kind: "group", name: "Kiosk Devices" }]);
    const firewall = byId.get("wsl-hyperv-firewall");
    // A rule left without `enabled` is emitted enabled: the CSP disables a rule whose Enabled is not sent.
    expect(firewall?.kind === "hyperVFirewall" && firewall.rules.map((r) => r.enabled)).toEqual([true, true]);
  });
});

describe("finding policy files", () => {
  it("walks subfolders in name order and skips tests, declarations, dot folders and node_modules", () => {
    const ws = workspaceWith({
      "b.ts": "",
      "a/z.ts": "",
      "a/y.test.ts": "",
      "types.d.ts": "",
      ".cache/x.ts": "",
      "node_modules/m/index.ts": "",
      "notes.md": "",
    });
    expect(listPolicyFiles(ws.policiesDir)).toEqual(["a/z.ts", "b.ts"]);
  });

  it("reports an unreadable policies directory as an error instead of 'no policies'", async () => {
    const { policies, diagnostics } = await loadPolicyDirectory(path.join(REPO_ROOT, "does-not-exist"));
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "policies-dir-unreadable",
        severity: "error",
        message: expect.stringContaining("cannot read the policies directory"),
      }),
    ]);
  });
});

describe("exports", () => {
  it("ignores values that are not policies: constants, functions, lists, rings and other targets", async () => {
    const ws = workspaceWith({
      "helpers.ts": `import { allDevices, group, ring } from "wslpolicy";
export const owner = "platform-team";
export const maxRules = 10;
export function label(s: string) { return s.toUpperCase(); }
export const pilot = ring({ name: "WSL Ring 1 - Pilot", rule: "(device.deviceOSType -eq \\"Windows\\")" });
export const kiosks = group("Kiosk Devices");
export const everyone = allDevices;
export const rings = [pilot];
export const nothing = null;
`,
      "wsl-off.ts": wslOff(),
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([]);
    expect(policies.map((p) => `${p.file}:${p.exportName}`)).toEqual(["wsl-off.ts:wslOff"]);
  });

  it("warns about an export whose kind looks like a misspelt policy kind", async () => {
    const ws = workspaceWith({ "odd.ts": `export const odd = { kind: "wslPolcy", id: "odd" };\n` });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "export-ignored",
        severity: "warning",
        file: "odd.ts",
        path: "odd.kind",
        message: expect.stringContaining("kind 'wslPolcy' is not a policy kind"),
      },
    ]);
  });

  it("accepts a default export", async () => {
    const ws = workspaceWith({ "wsl-off.ts": wslOff().replace("export const wslOff =", "export default") });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([]);
    expect(policies.map((p) => p.exportName)).toEqual(["default"]);
  });
});

describe("bad input names the file and the field", () => {
  it("rejects unknown keys, suggesting the key that was meant", async () => {
    const ws = workspaceWith({
      "nested/wsl-off.ts": wslOff().replace("wsl: false,", "wsl: false,\n  debugShel: false,\n  colour: 'blue',"),
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "schema-invalid",
        severity: "error",
        file: "nested/wsl-off.ts",
        path: "wslOff.debugShel",
        message: "unknown key 'debugShel' (did you mean 'debugShell'?)",
      },
      {
        code: "schema-invalid",
        severity: "error",
        file: "nested/wsl-off.ts",
        path: "wslOff.colour",
        message: expect.stringMatching(
          /^unknown key 'colour' \(expected one of: kind, id, displayName, .*defaultNetworkingMode\)$/,
        ),
      },
    ]);
  });

  it("reports duplicate ids across files with both files named", async () => {
    const ws = workspaceWith({ "one.ts": wslOff("wsl-off", "first"), "two.ts": wslOff("wsl-off", "second") });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      {
        code: "duplicate-policy-id",
        severity: "error",
        file: "two.ts",
        path: "second.id",
        message:
          "duplicate policy id 'wsl-off': also used by one.ts (export 'first'); ids must be unique across all policy files",
      },
    ]);
  });

  it("reports a file that throws while loading, and still loads the others", async () => {
    const ws = workspaceWith({
      "a-broken.ts": `import { wslPolicy } from "wslpolicy";\nconst rings: string[] = JSON.parse("not json");\nexport const p = wslPolicy({ id: "x", displayName: "X", assignments: { include: [] }, wsl: rings.length > 0 });\n`,
      "wsl-off.ts": wslOff(),
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies.map((p) => p.policy.id)).toEqual(["wsl-off"]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "load-failed", severity: "error", file: "a-broken.ts", path: "" });
    expect(diagnostics[0]?.message).toMatch(/^the file failed to load: .*JSON.*\(at a-broken\.ts:2:\d+\)$/);
  });

  it("reports a misspelt import from the package at the line that uses it", async () => {
    const ws = workspaceWith({ "wsl-off.ts": wslOff().replace(/wslPolicy/g, "wslPolicyy") });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      {
        code: "load-failed",
        severity: "error",
        file: "wsl-off.ts",
        path: "",
        message: expect.stringMatching(/wslPolicyy.* is not a function \(at wsl-off\.ts:2:\d+\)$/),
      },
    ]);
  });

  it("sees a file's current content when the same directory is loaded again", async () => {
    const ws = workspaceWith({ "wsl-off.ts": wslOff() });
    expect((await loadPolicyDirectory(ws.policiesDir)).diagnostics).toEqual([]);
    ws.write("wsl-off.ts", wslOff("WSL Off"));
    const second = await loadPolicyDirectory(ws.policiesDir);
    expect(second.diagnostics).toEqual([
      expect.objectContaining({ path: "wslOff.id", message: expect.stringContaining("kebab-case") }),
    ]);
  });
});

describe("an empty policies directory", () => {
  it("is a warning, not silently 'nothing to do'", async () => {
    const ws = workspaceWith({ "README.md": "policies go here\n" });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "no-policy-files",
        severity: "warning",
        file: ".",
        path: "",
        message: `no policy files (*.ts) in ${ws.policiesDir}`,
      },
    ]);
  });
});

describe("transpiling", () => {
  it("reports a file that does not parse and still loads the others", async () => {
    const ws = workspaceWith({
      "a-broken.ts":
        'import { wslPolicy } from "wslpolicy";\nexport const p = wslPolicy({ id: "x" displayName: "X" });\n',
      "b/wsl-off.ts": wslOff(),
      "c-also-broken.ts": "export const = 1;\n",
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies.map((p) => p.file)).toEqual(["b/wsl-off.ts"]);
    expect(diagnostics).toEqual([
      {
        code: "syntax-error",
        severity: "error",
        file: "a-broken.ts",
        path: "",
        message: 'syntax error: a-broken.ts:2:38: Expected "}" but found "displayName"',
      },
      {
        code: "syntax-error",
        severity: "error",
        file: "c-also-broken.ts",
        path: "",
        message: expect.stringMatching(/^syntax error: c-also-broken\.ts:1:14: /),
      },
    ]);
  });

  it("gives the same policies whether files are transpiled in one batch or one by one through tsx", async () => {
    const batched = await loadPolicyDirectory(EXAMPLES);
    const perFile = await loadPolicyDirectory(EXAMPLES, { batchTranspile: false });
    expect(perFile.diagnostics).toEqual([]);
    expect(perFile.policies).toEqual(batched.policies);
  });
});

describe("concurrent loads", () => {
  it("do not mix up each other's files", async () => {
    const a = makePolicyWorkspace({ "wsl-off.ts": wslOff("policy-a") });
    const b = makePolicyWorkspace({ "wsl-off.ts": wslOff("policy-b") });
    try {
      const [ra, rb] = await Promise.all([loadPolicyDirectory(a.policiesDir), loadPolicyDirectory(b.policiesDir)]);
      expect(ra.policies.map((p) => p.policy.id)).toEqual(["policy-a"]);
      expect(rb.policies.map((p) => p.policy.id)).toEqual(["policy-b"]);
      a.write("wsl-off.ts", wslOff("policy-a-edited"));
      expect((await loadPolicyDirectory(a.policiesDir)).policies.map((p) => p.policy.id)).toEqual(["policy-a-edited"]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe("the wslpolicy import in policy files", () => {
  const bare = () => mkdtempSync(path.join(os.tmpdir(), "wslpolicy-bare-"));

  it("resolves to the running package for a policies directory with no node_modules above it", async () => {
    const dir = bare();
    try {
      writeFileSync(path.join(dir, "wsl-off.ts"), wslOff());
      const { policies, diagnostics } = await loadPolicyDirectory(dir);
      expect(diagnostics).toEqual([]);
      expect(policies.map((p) => p.policy.id)).toEqual(["wsl-off"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resolves to the running package even where node_modules holds another wslpolicy", async () => {
    const dir = bare();
    try {
      // A stale second copy whose builder would produce something that is not a policy.
      mkdirSync(path.join(dir, "node_modules", "wslpolicy"), { recursive: true });
      writeFileSync(
        path.join(dir, "node_modules", "wslpolicy", "package.json"),
        '{ "name": "wslpolicy", "main": "index.js" }',
      );
      writeFileSync(
        path.join(dir, "node_modules", "wslpolicy", "index.js"),
        "exports.wslPolicy = () => ({ kind: 'stale' }); exports.group = () => ({});",
      );
      writeFileSync(path.join(dir, "wsl-off.ts"), wslOff());
      const { policies, diagnostics } = await loadPolicyDirectory(dir);
      expect(diagnostics).toEqual([]);
      expect(policies.map((p) => p.policy.id)).toEqual(["wsl-off"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves other bare imports to normal resolution", async () => {
    const dir = bare();
    try {
      writeFileSync(path.join(dir, "odd.ts"), 'import "wslpolicy-extras";\nexport const x = 1;\n');
      const { diagnostics } = await loadPolicyDirectory(dir);
      expect(diagnostics).toEqual([
        expect.objectContaining({
          file: "odd.ts",
          message: expect.stringContaining("Cannot find module 'wslpolicy-extras'"),
        }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("exports that are not plain data", () => {
  // Issue 12: these failed with "Maximum call stack size exceeded" or an error naming no file.
  it("a policy nested deeper than the limit is an error naming the file and the path where the limit was hit", async () => {
    const ws = workspaceWith({
      "deep.ts": `import { group, settingsCatalogPolicy } from "wslpolicy";
let children: unknown[] = [];
for (let i = 0; i < 10000; i++) children = [{ id: "x", value: "y", children }];
export const deep = settingsCatalogPolicy({ id: "deep", displayName: "Deep", settings: children as never, assignments: { include: [group("G")] } });
`,
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "deep.ts",
        path: `deep.settings${"[0].children".repeat(31)}[0]`,
        message: "is nested deeper than 64 levels (a cycle, or data that is not a policy)",
      },
    ]);
  });

  it("a cycle is the same depth error, not a hang or a stack overflow", async () => {
    const ws = workspaceWith({
      "cycle.ts": `import { group, wslPolicy } from "wslpolicy";
const include: unknown[] = [group("G")];
include.push(include);
export const cyclic = wslPolicy({ id: "cyclic", displayName: "Cyclic", wsl: false, assignments: { include: include as never } });
`,
    });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: "cycle.ts",
        message: "is nested deeper than 64 levels (a cycle, or data that is not a policy)",
      }),
    ]);
    expect(diagnostics[0]!.path).toMatch(/^cyclic\.assignments\.include(\[1\])+\[0\]$/);
  });

  it("a throwing getter on an export is an error naming the file and the export", async () => {
    const ws = workspaceWith({
      "getter.ts": `const { group, wslPolicy } = require("wslpolicy");
exports.wslOff = wslPolicy({ id: "wsl-off", displayName: "Win - WSL - Off", wsl: false, assignments: { include: [group("G")] } });
Object.defineProperty(exports, "broken", { enumerable: true, get() { throw new Error("inventory unavailable"); } });
`,
    });
    const { policies, diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(policies.map((p) => p.policy.id)).toEqual(["wsl-off"]);
    expect(diagnostics).toEqual([
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "getter.ts",
        path: "broken",
        message: "reading the export threw: inventory unavailable",
      },
    ]);
  });

  it("a throwing getter inside a policy is an error at its field", async () => {
    const ws = workspaceWith({
      "field-getter.ts": `import { group, wslPolicy } from "wslpolicy";
export const p = wslPolicy({ id: "p", displayName: "P", wsl: false, assignments: { include: [group("G")] } });
Object.defineProperty(p, "description", { enumerable: true, get() { throw new Error("no description today"); } });
`,
    });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "field-getter.ts",
        path: "p.description",
        message: "reading it threw: no description today",
      },
    ]);
  });

  it("a Proxy whose traps throw is an error at its path", async () => {
    const ws = workspaceWith({
      "proxy.ts": `import { wslPolicy } from "wslpolicy";
const trap = () => { throw new Error("trapped"); };
export const p = wslPolicy({ id: "p", displayName: "P", wsl: false, assignments: new Proxy({}, { ownKeys: trap, getPrototypeOf: () => Object.prototype }) as never });
`,
    });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "proxy.ts",
        path: "p.assignments",
        message: "listing its keys threw: trapped",
      },
    ]);
  });

  it("a function or a class instance in a policy is an error at its path", async () => {
    const ws = workspaceWith({
      "odd-values.ts": `import { group, wslPolicy } from "wslpolicy";
export const f = wslPolicy({ id: "f", displayName: "F", wsl: false, description: (() => "x") as never, assignments: { include: [group("G")] } });
export const d = wslPolicy({ id: "d", displayName: "D", wsl: false, description: new Date(0) as never, assignments: { include: [group("G")] } });
`,
    });
    const { diagnostics } = await loadPolicyDirectory(ws.policiesDir);
    expect(diagnostics).toEqual([
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "odd-values.ts",
        path: "d.description",
        message: "is a Date, not a plain object; policy files must export data",
      },
      {
        code: "export-not-plain-data",
        severity: "error",
        file: "odd-values.ts",
        path: "f.description",
        message: "is a function; policy files must export data",
      },
    ]);
  });
});
