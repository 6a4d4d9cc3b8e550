// `wslpolicy plan` exit codes and outputs, from the demo tenant's snapshot: exit 0 by default, 2 with
// --detailed-exitcode when there are changes, 0 when there are none, 1 on any read or build error —
// an error is never a plan with "no changes".
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";
import { planSchema } from "../../src/diff/plan-schema";
import { appliedTenant, POLICIES_DIR } from "../diff/emulator-tenant";

const ROOT = path.resolve(__dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "wslpolicy-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[], cwd = ROOT, isTTY = false) => runCli(args, { cwd, isTTY });

const DEMO = ["--snapshot", "seeds/demo-tenant.json"];

describe("wslpolicy plan", () => {
  it("exits 0 with changes unless --detailed-exitcode, then 2", async () => {
    expect((await run(["plan", ...DEMO])).code).toBe(0);
    expect((await run(["plan", ...DEMO, "--detailed-exitcode"])).code).toBe(2);
  });

  it("exits 0 with --detailed-exitcode when the tenant already matches", async () => {
    const { snapshot } = await appliedTenant("local");
    const file = path.join(work, "applied.json");
    writeFileSync(file, JSON.stringify(snapshot));
    const r = await run(["plan", "--snapshot", file, "--policies", POLICIES_DIR, "--detailed-exitcode"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/No changes: the tenant matches the policies/);
    expect(r.code).toBe(0);
  });

  it("--out writes the report and prints the one-line summary", async () => {
    const out = path.join(work, "plan.md");
    const r = await run(["plan", ...DEMO, "--format", "markdown", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Plan: 5 to create, 1 to update, 0 to replace, 1 to delete .* Report written to /);
    expect(readFileSync(out, "utf8")).toMatch(/^<!-- wslpolicy-plan stack=local -->\n### wslpolicy · Plan:/);
  });

  it("json is the documented schema", async () => {
    const r = await run(["plan", ...DEMO, "--format", "json"]);
    expect(planSchema.parse(JSON.parse(r.stdout)).schemaVersion).toBe(2);
  });

  it("colour only on a terminal", async () => {
    // eslint-disable-next-line no-control-regex -- looking for ANSI escapes
    const ansi = /\u001b\[/;
    expect((await run(["plan", ...DEMO])).stdout).not.toMatch(ansi);
    expect((await run(["plan", ...DEMO], ROOT, true)).stdout).toMatch(ansi);
  });

  it("an unreadable snapshot is exit 1 with the cause, never 'no changes'", async () => {
    const r = await run(["plan", "--snapshot", "no/such/file.json", "--detailed-exitcode"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/plan failed while reading the snapshot no\/such\/file.json: .*no\/such\/file.json/);
  });

  it("invalid policies are exit 1, naming the file", async () => {
    const dir = path.join(work, "bad-policies");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "broken.ts"), 'export default { kind: "wslPolicy", id: "Bad Id" };\n');
    const r = await run(["plan", ...DEMO, "--policies", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.ts/);
  });

  it("a stack without a stack file and no --snapshot is an error naming the file", async () => {
    const r = await run(["drift", "--stack", "nowhere"], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Pulumi\.nowhere\.yaml/);
  });
});
