// `wslpolicy compile`: one document per object plus manifest.json, byte-stable, nothing written on error.
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Manifest } from "../../src/cli/commands/compile";
import { makePolicyWorkspace, REPO_ROOT, type PolicyWorkspace } from "../policy/workspace";
import { runCli } from "./run-cli";

let workspace: PolicyWorkspace | undefined;
afterEach(() => {
  workspace?.cleanup();
  workspace = undefined;
});
/** A scratch repo holding a copy of the example policies. */
function examplesWorkspace(): PolicyWorkspace {
  workspace = makePolicyWorkspace();
  cpSync(path.join(REPO_ROOT, "policies"), workspace.policiesDir, { recursive: true });
  return workspace;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
  );

describe("wslpolicy compile", () => {
  it("writes one JSON document per object and a manifest describing them", async () => {
    const ws = examplesWorkspace();
    const run = await runCli(["compile", "--out", "build"], { cwd: ws.root });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("✔ wrote 6 objects and manifest.json to build (stack local)\n");
    const out = path.join(ws.root, "build");
    expect(readdirSync(out).sort()).toEqual([
      "defender-wsl-plugin.json",
      "intune-wsl-plugin.json",
      "manifest.json",
      "wsl-approved-distros.json",
      "wsl-developers.json",
      "wsl-hyperv-firewall.json",
      "wsl-off.json",
    ]);
    const manifest = readManifest(out);
    expect(manifest.stack).toBe("local");
    expect(manifest.objects.map((o) => [o.policyId, o.kind, o.file, o.sourceFile])).toEqual([
      ["defender-wsl-plugin", "mobileApp", "defender-wsl-plugin.json", "defender-wsl-plugin.ts"],
      ["wsl-approved-distros", "compliancePolicy", "wsl-approved-distros.json", "wsl-approved-distros.ts"],
      ["wsl-developers", "configurationPolicy", "wsl-developers.json", "wsl-developers.ts"],
      ["wsl-hyperv-firewall", "configurationPolicy", "wsl-hyperv-firewall.json", "wsl-hyperv-firewall.ts"],
      ["wsl-off", "configurationPolicy", "wsl-off.json", "wsl-off.ts"],
      ["intune-wsl-plugin", "mobileApp", "intune-wsl-plugin.json", "wsl-approved-distros.ts"],
    ]);
    expect(manifest.rings.map((r) => r.name)).toEqual([
      "WSL Ring 1 - Pilot",
      "WSL Ring 2 - Early adopters",
      "WSL Ring 3 - All developers",
    ]);
    for (const entry of manifest.objects) {
      const bytes = readFileSync(path.join(out, entry.file));
      expect(createHash("sha256").update(bytes).digest("hex"), entry.file).toBe(entry.sha256);
      expect(bytes.toString("utf8").endsWith("}\n"), entry.file).toBe(true);
    }
    const off = JSON.parse(readFileSync(path.join(out, "wsl-off.json"), "utf8")) as {
      name: string;
      description: string;
    };
    expect(off.name).toBe("Win - WSL - Off");
    expect(off.description).toContain("[wslpolicy:local/wsl-off]");
    const offEntry = manifest.objects.find((o) => o.policyId === "wsl-off");
    expect(offEntry?.assignments).toContainEqual(
      expect.objectContaining({ exclude: true, target: { kind: "group", name: "Developer Workstations" } }),
    );
  });

  it("is byte-for-byte deterministic across runs and output directories", async () => {
    const ws = examplesWorkspace();
    expect((await runCli(["compile", "--out", "a"], { cwd: ws.root })).code).toBe(0);
    expect((await runCli(["compile", "--out", "b"], { cwd: ws.root })).code).toBe(0);
    const a = snapshot(path.join(ws.root, "a"));
    expect(Object.keys(a)).toHaveLength(7);
    expect(snapshot(path.join(ws.root, "b"))).toEqual(a);
  });

  it("carries the stack in the ownership marker", async () => {
    const ws = examplesWorkspace();
    const stacks = path.join(ws.root, "stacks");
    cpSync(path.join(REPO_ROOT, "stacks", "Pulumi.local.yaml"), path.join(stacks, "Pulumi.prod.yaml"));
    const run = await runCli(["compile", "--stack", "prod", "--out", "out"], { cwd: ws.root });
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(ws.root, "out", "wsl-off.json"), "utf8")) as { description: string };
    expect(doc.description).toContain("[wslpolicy:prod/wsl-off]");
    expect(readManifest(path.join(ws.root, "out")).stack).toBe("prod");
  });

  it("writes nothing when any policy has an error, and exits 1", async () => {
    const ws = examplesWorkspace();
    ws.write(
      "wsl-off.ts",
      readFileSync(path.join(REPO_ROOT, "policies", "wsl-off.ts"), "utf8").replace(
        "wsl: false,",
        'wsl: false,\n  defaultNetworkingMode: "bridged",',
      ),
    );
    const run = await runCli(["compile", "--out", "out"], { cwd: ws.root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "error: wsl-off.ts: wslOff.defaultNetworkingMode: must be one of 'none', 'nat', 'mirrored', 'virtioProxy'; got 'bridged'",
    );
    expect(run.stderr).toContain("nothing written: 1 error");
    expect(run.stdout).toBe("");
    expect(existsSync(path.join(ws.root, "out"))).toBe(false);
  });

  it("removes documents of policies that no longer exist, and leaves other files alone", async () => {
    const ws = examplesWorkspace();
    const out = path.join(ws.root, "out");
    expect((await runCli(["compile"], { cwd: ws.root })).code).toBe(0);
    writeFileSync(path.join(out, "README.txt"), "not ours\n");
    rmSync(path.join(ws.policiesDir, "wsl-approved-distros.ts"));
    expect((await runCli(["compile"], { cwd: ws.root })).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "README.txt",
      "defender-wsl-plugin.json",
      "manifest.json",
      "wsl-developers.json",
      "wsl-hyperv-firewall.json",
      "wsl-off.json",
    ]);
    expect(readManifest(out).objects.map((o) => o.policyId)).not.toContain("wsl-approved-distros");
  });

  it("explains itself with --help", async () => {
    const run = await runCli(["compile", "--help"], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/\s+/g, " ")).toContain("one JSON file per object plus manifest.json");
    expect(run.stdout).toMatch(/--policies <dir>[\s\S]*--out <dir>[\s\S]*--stack <name>/);
  });
});
