// `wslpolicy import`: writes one file per imported object into --out and lists what it skipped and why;
// refuses to overwrite an earlier import (writing nothing at all) unless --force, and never takes a
// hand-written file's name; avoids ids and adopted
// objects of --policies; exit 1 with the cause on a bad snapshot.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli";
import { makePolicyWorkspace, REPO_ROOT } from "../policy/workspace";

const work = mkdtempSync(path.join(tmpdir(), "wslpolicy-import-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DEMO = path.join(REPO_ROOT, "seeds/demo-tenant.json");
const LEGACY = "win-wsl-legacy-developer-exceptions.ts";

const run = (args: string[]) => runCli(args, { cwd: work });

describe("wslpolicy import", () => {
  it("writes the files, lists them and the skipped objects with reasons, exit 0", async () => {
    const r = await run(["import", "--snapshot", DEMO, "--out", "out"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(work, "out"))).toEqual([LEGACY]);
    expect(readFileSync(path.join(work, "out", LEGACY), "utf8")).toMatch(
      /adopt: "5ada1cd7-bdd6-5616-b7e5-859b8d8b9d0c"/,
    );
    expect(r.stdout).toMatch(/imported 1 object from snapshot .*demo-tenant\.json into out/);
    expect(r.stdout).toContain(`out/${LEGACY}  wslPolicy ← "Win - WSL - Legacy developer exceptions"`);
    expect(r.stdout).toMatch(/skipped 4 WSL-related objects:/);
    expect(r.stdout).toMatch(/"Win - ES - Windows Firewall - Baseline" .*template/);
    expect(r.stdout).toMatch(/"Win - WSL - Off" .*already managed by stack 'local'/);
  });

  it("refuses to overwrite an earlier import and writes nothing; --force overwrites it", async () => {
    const file = path.join(work, "out", LEGACY);
    const earlier = readFileSync(file, "utf8").replace("Allows WSL 1", "EDITED");
    writeFileSync(file, earlier);
    const r = await run(["import", "--snapshot", DEMO, "--out", "out"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/nothing written: .*already exists \(pass --force to overwrite\)/);
    expect(readFileSync(file, "utf8")).toBe(earlier);
    const forced = await run(["import", "--snapshot", DEMO, "--out", "out", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toContain("EDITED");
  });

  it("never takes the name of a hand-written file, even with --force", async () => {
    mkdirSync(path.join(work, "mine"), { recursive: true });
    const file = path.join(work, "mine", LEGACY);
    writeFileSync(file, "// mine\n");
    const r = await run(["import", "--snapshot", DEMO, "--out", "mine", "--force"]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("// mine\n");
    expect(readdirSync(path.join(work, "mine")).sort()).toEqual([LEGACY, LEGACY.replace(".ts", "-2.ts")].sort());
  });

  it("skips objects the policies directory already adopts", async () => {
    const dir = path.join(work, "existing");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "legacy.ts"),
      'export const legacy = { kind: "wslPolicy", id: "legacy", adopt: "5ada1cd7-bdd6-5616-b7e5-859b8d8b9d0c", displayName: "Legacy", wsl1: true, assignments: { include: [] } };\n',
    );
    const r = await run(["import", "--snapshot", DEMO, "--out", "out2", "--policies", "existing"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 0 objects/);
    expect(r.stdout).toMatch(
      /"Win - WSL - Legacy developer exceptions" .*already adopted by legacy\.ts \(policy 'legacy'\)/,
    );
  });

  it("an unreadable snapshot is exit 1 with the cause", async () => {
    const r = await run(["import", "--snapshot", "no/such.json", "--out", "out3"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/import failed while reading the snapshot no\/such\.json: .*no\/such\.json/);
  });

  it("--out is required", async () => {
    const r = await run(["import", "--snapshot", DEMO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out/);
  });
});

describe("the Next: hint after import", () => {
  // `plan` compares the stack's whole policies directory with the tenant and deletes what the stack manages
  // that no file declares, so a hint that plans the import's --out alone would delete the stack's other objects.
  const OIB = JSON.parse(readFileSync(path.join(REPO_ROOT, "test/fixtures/real-shape/oib-wsl.json"), "utf8")) as Record<
    string,
    Record<string, unknown>[]
  >;
  const POLICIES_KEY = "deviceManagement/configurationPolicies";
  const COMPLIANCE_KEY = "deviceManagement/deviceCompliancePolicies";

  /** The backticked commands of the hint line, as argument lists. */
  const hintCommands = (stdout: string): string[][] => {
    const line = stdout.split("\n").find((l) => l.startsWith("Next:"));
    expect(line).toBeDefined();
    return [...line!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.split(" "));
  };

  it("leads, followed literally, to a plan that deletes none of the stack's other objects", async () => {
    const ws = makePolicyWorkspace();
    try {
      const cli = (args: string[]) => runCli(args, { cwd: ws.root });
      // The export holds no Intune WSL plug-in app; this stack deploys it some other way.
      mkdirSync(path.join(ws.root, "stacks"));
      writeFileSync(
        path.join(ws.root, "stacks", "Pulumi.local.yaml"),
        "config:\n  wslpolicy:tenant: emulator\n  wslpolicy:guardrails:\n    compliance-without-wsl-plugin: warning\n",
      );
      writeFileSync(path.join(ws.root, "first.json"), JSON.stringify(OIB));
      const first = await cli(["import", "--snapshot", "first.json", "--out", "policies"]);
      expect(first.code).toBe(0);
      expect(hintCommands(first.stdout)).toEqual([
        ["wslpolicy", "plan", "--stack", "local", "--snapshot", "first.json"],
      ]);

      // The stack has applied them (each carries its marker now), and someone made one more WSL policy in the portal.
      const adopted = new Map(
        readdirSync(ws.policiesDir).map((f) => [
          /adopt: "([^"]+)"/.exec(readFileSync(path.join(ws.policiesDir, f), "utf8"))![1]!,
          f.replace(/\.ts$/, ""),
        ]),
      );
      const mark = (o: Record<string, unknown>) => ({
        ...o,
        description: `${String(o.description ?? "")}\n\n[wslpolicy:local/${adopted.get(String(o.id))}]`,
      });
      const portalMade = {
        ...OIB[POLICIES_KEY]![0]!,
        id: "9b1c6f0e-5d2a-4c3b-8e7f-0a1b2c3d4e5f",
        name: "Win - WSL - Made later in the portal",
      };
      const later = {
        ...OIB,
        [POLICIES_KEY]: [...OIB[POLICIES_KEY]!.map(mark), portalMade],
        [COMPLIANCE_KEY]: OIB[COMPLIANCE_KEY]!.map(mark),
      };
      writeFileSync(path.join(ws.root, "later.json"), JSON.stringify(later));

      const second = await cli(["import", "--snapshot", "later.json", "--out", "imported"]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/imported 1 object/);
      const [move, plan] = hintCommands(second.stdout);
      expect(move![0]).toBe("mv");
      const sources = move!.slice(1, -1);
      expect(sources).toEqual([expect.stringMatching(/^imported\/.+\.ts$/)]);
      expect(move!.at(-1)).toBe("policies/");
      for (const f of sources) renameSync(path.join(ws.root, f), path.join(ws.root, move!.at(-1)!, path.basename(f)));
      expect(plan!.slice(0, 2)).toEqual(["wslpolicy", "plan"]);
      const planned = await cli(plan!.slice(1));
      expect(planned.code).toBe(0);
      expect(planned.stdout).toContain("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete (2 unchanged)");

      // What the old hint said (`plan --policies <out>`) would have deleted the two objects the stack manages.
      mkdirSync(path.join(ws.root, "alone"));
      renameSync(
        path.join(ws.policiesDir, path.basename(sources[0]!)),
        path.join(ws.root, "alone", path.basename(sources[0]!)),
      );
      const alone = await cli(["plan", "--policies", "alone", "--snapshot", "later.json"]);
      expect(alone.stdout).toContain("2 to delete");
    } finally {
      ws.cleanup();
    }
  });

  it("reads a single exported policy (one GET by id, as IntuneManagement writes it) and imports it", async () => {
    const single = {
      "@odata.context":
        "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies(assignments(),settings())/$entity",
      ...OIB[POLICIES_KEY]![0]!,
    };
    writeFileSync(path.join(work, "single.json"), JSON.stringify(single));
    const r = await run(["import", "--snapshot", "single.json", "--out", "single-out"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 1 object from snapshot single\.json/);
    writeFileSync(path.join(work, "odd.json"), JSON.stringify({ displayName: "not an export" }));
    const odd = await run(["import", "--snapshot", "odd.json", "--out", "odd-out"]);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toMatch(/odd\.json: not a tenant snapshot.*wrap it in its collection/);
  });
});
