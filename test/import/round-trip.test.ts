// The promise of `import`: the files it writes validate with zero errors, and a plan of them against the
// very tenant they came from adopts every object with no setting, property or assignment change — the only
// change is the ownership marker appended to each description. Checked on the demo tenant and on a tenant
// holding every example policy as an apply left it (read back through the emulator), imported by another stack.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSnapshotFile } from "../../src/tenant";
import { appliedTenant } from "../diff/emulator-tenant";
import { REPO_ROOT } from "../policy/workspace";
import { cleanupWorkspaces, expectOnlyMarkers, roundTrip } from "./round-trip-helpers";

afterAll(cleanupWorkspaces);

describe("import round trip", () => {
  it("the demo tenant: files validate, and the plan adopts each object changing only its description marker", async () => {
    const snapshot = readSnapshotFile(path.join(REPO_ROOT, "seeds/demo-tenant.json"));
    const { result, built, plan } = await roundTrip(snapshot, "local");
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.files.map((f) => [f.policyId, f.kind])).toEqual([
      ["win-wsl-legacy-developer-exceptions", "wslPolicy"],
    ]);
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "local");
  });

  it("every example policy as applied, imported by another stack: the policies, only markers change; the apps are skipped", async () => {
    const { snapshot } = await appliedTenant("local");
    const { result, built, plan } = await roundTrip(snapshot, "prod");
    // The compliance policy needs its Intune WSL plug-in named by file and hash, which no tenant holds: the
    // one error left, said in the file.
    expect(built.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}: ${d.rule}`)).toEqual(
      Array(3).fill("wsl-approved-distros.ts: compliance-without-wsl-plugin"),
    );
    expect(result.files.find((f) => f.kind === "wslCompliance")!.notes).toContainEqual(
      expect.stringMatching(/^validation error \(fix before applying\): no Intune WSL plug-in deployment covers/),
    );
    expect(result.skipped.map((s) => s.objectName).sort()).toEqual([
      "Intune WSL Plugin",
      "Microsoft Defender for Endpoint plug-in for WSL",
    ]);
    expect(result.files.map((f) => [f.policyId, f.kind]).sort()).toEqual([
      ["wsl-approved-distros", "wslCompliance"],
      ["wsl-developers", "wslPolicy"],
      ["wsl-hyperv-firewall", "hyperVFirewall"],
      ["wsl-off", "wslPolicy"],
    ]);
    for (const f of result.files)
      expect(f.notes).toContainEqual(expect.stringMatching(/carried the marker of stack 'local'/));
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "prod");
  });
});
