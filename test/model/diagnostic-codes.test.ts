// Every diagnostic carries a stable code from one closed list (src/model/diagnostic.ts). This spec says
// that the list and its documentation (docs/diagnostics.md) agree, and that each code is what a real bad
// input produces: the malformed corpus (test/fixtures/malformed/*/expected.json, whose codes
// test/policy/malformed-corpus.test.ts asserts) covers many; the cases here cover the rest.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from "../../src/model/diagnostic";
import { POLICY_TIMEOUT_VARIABLE, loadPolicyDirectory } from "../../src/policy/loader";
import { withSecretFingerprints } from "../../src/project/secrets";
import { compile } from "../../src/compile";
import { makePolicyWorkspace, REPO_ROOT, type PolicyWorkspace } from "../policy/workspace";
import { compileAll, loaded, rings, WSL_PLUGIN_MSI, DEFENDER_MSI } from "../compile/helpers";

const CORPUS = path.resolve(__dirname, "../fixtures/malformed");
const codes = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

const workspaces: PolicyWorkspace[] = [];
afterAll(() => {
  for (const ws of workspaces) ws.cleanup();
});
function workspace(files: Record<string, string>): PolicyWorkspace {
  const ws = makePolicyWorkspace(files);
  workspaces.push(ws);
  return ws;
}

const group = (name: string) => ({ kind: "group", name });
const P = "vendor_msft_firewall_mdmstore_publicprofile_";
const raw = (settings: unknown[]) => ({
  kind: "settingsCatalogPolicy",
  id: "raw",
  displayName: "Raw",
  assignments: { include: [group("Devs")] },
  settings,
});
const distros = (id: string, ring: Record<string, unknown>) => ({
  kind: "wslCompliance",
  id,
  displayName: id,
  distributions: [{ distribution: "Ubuntu" }],
  assignments: { include: [ring] },
  plugin: WSL_PLUGIN_MSI,
});
const wslOff = (id: string, extra: Record<string, unknown> = {}) => ({
  kind: "wslPolicy",
  id,
  displayName: id,
  wsl: false,
  assignments: { include: [group("Devs")] },
  ...extra,
});
const provisioning = {
  kind: "distroProvisioning",
  id: "ubuntu",
  displayName: "Ubuntu",
  defaultUser: { name: "dev" },
  wslConf: { defaultUser: true },
  ubuntuPro: { tokenFrom: { env: "UBUNTU_PRO_TOKEN" } },
  assignments: { include: [group("Developers")] },
};
const ADOPT = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

/** The codes a case must produce (at least), and the input that produces them. */
const cases: Array<{ name: string; codes: DiagnosticCode[]; run: () => Diagnostic[] | Promise<Diagnostic[]> }> = [
  {
    name: "an unreadable policies directory",
    codes: ["policies-dir-unreadable"],
    run: async () => (await loadPolicyDirectory(path.join(REPO_ROOT, "does-not-exist"))).diagnostics,
  },
  {
    name: "an empty policies directory",
    codes: ["no-policy-files"],
    run: async () => (await loadPolicyDirectory(workspace({}).policiesDir)).diagnostics,
  },
  {
    name: "a policy timeout that is not a number",
    codes: ["load-timeout-invalid"],
    run: async () => {
      vi.stubEnv(POLICY_TIMEOUT_VARIABLE, "soon");
      try {
        return (await loadPolicyDirectory(workspace({ "a.ts": "export const x = 1;\n" }).policiesDir)).diagnostics;
      } finally {
        vi.unstubAllEnvs();
      }
    },
  },
  {
    name: "files that do not parse, throw, export a function or misspell a kind",
    codes: ["syntax-error", "load-failed", "export-not-plain-data", "export-ignored"],
    run: async () => {
      const ws = workspace({
        "a.ts": 'export const p = { kind: "wslPolicy" id: "x" };\n',
        "b.ts": 'throw new Error("inventory unavailable");\n',
        "c.ts": 'export const p = { kind: "wslPolicy", id: "c", description: () => "x" };\n',
        "d.ts": 'export const p = { kind: "wslPolcy", id: "d" };\n',
      });
      return (await loadPolicyDirectory(ws.policiesDir)).diagnostics;
    },
  },
  {
    name: "the reserved id, a bad stack name and an unknown guardrail",
    codes: ["reserved-policy-id", "stack-invalid", "guardrail-unknown"],
    run: () => [
      ...compileAll([wslOff("manifest")]).diagnostics,
      ...compileAll([wslOff("a")], { stack: "bad stack" }).diagnostics,
      ...compileAll([wslOff("a")], { guardrails: { "wsl1-disabled": "off" } }).diagnostics,
    ],
  },
  {
    name: "a policy that manages nothing",
    codes: ["policy-empty"],
    run: () =>
      compileAll([{ kind: "wslUserSettings", id: "empty", displayName: "E", assignments: { include: [group("D")] } }])
        .diagnostics,
  },
  {
    name: "raw settings misplaced, ill-typed, repeated or missing a required child",
    codes: [
      "catalog-misplaced-setting",
      "catalog-invalid-value",
      "catalog-duplicate-setting",
      "catalog-missing-setting",
    ],
    run: () => [
      ...compileAll([raw([{ id: `${P}logmaxfilesize`, value: 1024 }])]).diagnostics,
      ...compileAll([raw([{ id: `${P}enablefirewall`, values: ["true"] }])]).diagnostics,
      ...compileAll([
        raw([
          { id: `${P}enablefirewall`, value: "true" },
          { id: `${P}enablefirewall`, value: "false" },
        ]),
      ]).diagnostics,
      ...compileAll([
        raw([{ id: "device_vendor_msft_policy_config_wslv3~policy~wsl_defaultnetworkingmode", value: "1" }]),
      ]).diagnostics,
    ],
  },
  {
    name: "a provisioning script with a secret, compiled and then fingerprinted without it",
    codes: ["platform-limit", "secret-in-script", "secret-not-set"],
    run: () => {
      const compiled = compileAll([provisioning]);
      return [...compiled.diagnostics, ...withSecretFingerprints(compiled.desired, {}).diagnostics];
    },
  },
  {
    name: "one plug-in id with two installers",
    codes: ["plugin-conflict"],
    run: () =>
      compileAll([
        distros("a", rings.pilot),
        { ...distros("b", rings.pilot), plugin: { ...WSL_PLUGIN_MSI, file: "packages/other.msi" } },
      ]).diagnostics,
  },
  {
    name: "a ring defined two ways and a ring never defined",
    codes: ["ring-conflict", "ring-undefined"],
    run: () => [
      ...compileAll([distros("a", rings.pilot), distros("b", { ...rings.pilot, members: [ADOPT] })]).diagnostics,
      ...compileAll([
        {
          kind: "defenderPluginRollout",
          id: "p",
          displayName: "p",
          package: DEFENDER_MSI,
          rings: [{ target: { kind: "ring", name: "Nowhere" } }],
        },
      ]).diagnostics,
    ],
  },
  {
    name: "two policies adopting one object",
    codes: ["duplicate-adopt"],
    run: () => compileAll([wslOff("a", { adopt: ADOPT }), wslOff("b", { adopt: ADOPT, wsl1: false })]).diagnostics,
  },
  {
    name: "a policy the schema was bypassed for, which the compiler cannot compile",
    codes: ["internal-error"],
    run: () => {
      const broken = loaded(distros("a", rings.pilot));
      delete (broken.policy as { distributions?: unknown }).distributions;
      return compile([broken], { stack: "test" }).diagnostics;
    },
  },
];

function corpusCodes(): Set<DiagnosticCode> {
  const out = new Set<DiagnosticCode>();
  for (const name of readdirSync(CORPUS)) {
    const expected = JSON.parse(readFileSync(path.join(CORPUS, name, "expected.json"), "utf8")) as {
      diagnostics: Diagnostic[];
    };
    for (const d of expected.diagnostics) out.add(d.code);
  }
  return out;
}

describe("diagnostic codes", () => {
  it("are stable kebab-case, each with a meaning", () => {
    for (const code of codes) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(DIAGNOSTIC_CODES[code].length, code).toBeGreaterThan(10);
    }
  });

  it("are documented in docs/diagnostics.md, exactly the list and in its order", () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs/diagnostics.md"), "utf8");
    const documented = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(codes);
  });

  it.each(cases)("$name: $codes", async ({ codes: wanted, run }) => {
    const produced = new Set((await run()).map((d) => d.code));
    for (const code of wanted) expect([...produced], code).toContain(code);
  });

  it("are each produced by a malformed corpus case or a case above", () => {
    const covered = new Set([...corpusCodes(), ...cases.flatMap((c) => c.codes)]);
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
    expect([...covered].filter((c) => !(c in DIAGNOSTIC_CODES))).toEqual([]);
  });
});
