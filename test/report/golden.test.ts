// Golden reports for the demo tenant in all three formats, produced by the real CLI from the example
// policies and the demo tenant's snapshot (seeds/demo-tenant.json). Regenerate after an intended change
// with `UPDATE_GOLDEN=1 npx vitest run test/report` and review the diff like any other code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { planSchema } from "../../src/diff/plan-schema";

const ROOT = path.resolve(__dirname, "../..");
const GOLDEN = path.join(ROOT, "test/golden/report");

async function plan(format: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(
    [
      "node",
      "wslpolicy",
      "plan",
      "--stack",
      "local",
      "--snapshot",
      "seeds/demo-tenant.json",
      "--format",
      format,
      "--detailed-exitcode",
    ],
    {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      isTTY: false,
      env: {},
      cwd: ROOT,
    },
  );
  return { code, stdout, stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  // A missing golden file is a failure, never a new golden file: otherwise a renamed or deleted one passes.
  expect(existsSync(file), `${path.relative(ROOT, file)} is missing; run with UPDATE_GOLDEN=1 and review it`).toBe(
    true,
  );
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe("golden plan reports for the demo tenant", () => {
  it.each([
    ["text", "plan.txt"],
    ["markdown", "plan.md"],
    ["json", "plan.json"],
  ])("%s", async (format, file) => {
    const run = await plan(format);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(2);
    golden(file, run.stdout);
  });

  it("the demo plan is realistic: creations, the drifted wsl-off update, the wsl-legacy-pilot delete, conflicts with the portal-made policies, risks", async () => {
    const report = planSchema.parse(JSON.parse((await plan("json")).stdout));
    const action = (id: string) => report.changes.find((c) => c.policyId === id)?.action;
    expect(action("wsl-developers")).toBe("create");
    expect(action("wsl-off")).toBe("update");
    expect(action("wsl-legacy-pilot")).toBe("delete");
    expect(report.changes.find((c) => c.policyId === "wsl-off")!.settings).toMatchObject([
      { label: "Allow the Windows Subsystem for Linux", before: "Enabled", after: "Disabled" },
    ]);
    const others = new Set(
      report.conflicts.flatMap((c) => c.policies.filter((p) => p.policyId === null).map((p) => p.name)),
    );
    expect(others).toEqual(
      new Set(["Win - WSL - Legacy developer exceptions", "Win - ES - Windows Firewall - Baseline"]),
    );
    expect(report.risks.map((r) => r.rule)).toContain("managed-object-deleted");
  });

  it("every report names the tenant, and ends with the Graph request count", async () => {
    for (const format of ["text", "markdown"]) {
      const out = (await plan(format)).stdout.trimEnd();
      expect(out).toContain("seeds/demo-tenant.json");
      expect(out.split("\n").at(-1)).toMatch(/Graph requests: 0 \(read from a snapshot file\)/);
    }
  });
});
