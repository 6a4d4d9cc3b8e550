// `wslpolicy import`: writes one file per imported object into --out and lists what it skipped and why;
// refuses to overwrite an earlier import (writing nothing at all) unless --force, and never takes a
// hand-written file's name; avoids ids and adopted
// objects of --policies; exit 1 with the cause on a bad snapshot.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli";
import { REPO_ROOT } from "../policy/workspace";

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
    expect(readFileSync(path.join(work, "out", LEGACY), "utf8")).toMatch(/adopt: "5ada1cd7-bdd6-5616-b7e5-859b8d8b9d0c"/);
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
    expect(r.stdout).toMatch(/"Win - WSL - Legacy developer exceptions" .*already adopted by legacy\.ts \(policy 'legacy'\)/);
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
