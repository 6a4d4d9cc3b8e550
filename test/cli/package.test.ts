// `wslpolicy package build|inspect` on the committed wixl fixtures: what the MSI says, a package that
// verifies, JSON without key material, and clear errors that write nothing.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

const FIXTURES = path.resolve(__dirname, "../fixtures/msi");

describe("wslpolicy package", () => {
  it("build packs the MSI and prints what it read from it", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "wslpolicy-pkg-"));
    const run = await runCli(["package", "build", "per-machine-plugin.msi", "--out", out], { cwd: FIXTURES });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ProductCode     {3C1F2A40-7B5D-4E8A-9C21-5D6E7F809A1B}");
    expect(run.stdout).toContain("ALLUSERS        1  → System context, packageType perMachine");
    expect(readdirSync(out)).toEqual(["per-machine-plugin.intunewin"]);
    const inspect = await runCli(
      ["package", "inspect", path.join(out, "per-machine-plugin.intunewin"), "--format", "json"],
      { cwd: FIXTURES },
    );
    expect(inspect.code).toBe(0);
    const json = JSON.parse(inspect.stdout);
    expect(json).toMatchObject({
      kind: "intunewin",
      macVerified: true,
      digestVerified: true,
      files: [{ name: "per-machine-plugin.msi" }],
      detection: {
        name: "Stand-in plug-in",
        setupFile: "per-machine-plugin.msi",
        msiInfo: { MsiProductVersion: "1.2.3.4" },
      },
    });
    // The keys open the package; they are not printed.
    expect(json.detection.encryptionInfo.encryptionKey).toBeUndefined();
    expect(json.detection.encryptionInfo.macKey).toBeUndefined();
  });

  it("inspect prints an MSI's properties and its SHA-256", async () => {
    const run = await runCli(["package", "inspect", "per-user-tool.msi", "--format", "json"], { cwd: FIXTURES });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      kind: "msi",
      productName: "Per-user tool",
      productVersion: "2.0.1",
      packageType: "perUser",
      properties: { REBOOT: "Force" },
    });
    expect(json.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("build of a file that is no MSI fails with its name and writes nothing", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "wslpolicy-pkg-"));
    const run = await runCli(["package", "build", "payload.txt", "--out", out], { cwd: FIXTURES });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("payload.txt: not a Windows Installer package");
    expect(existsSync(path.join(out, "payload.intunewin"))).toBe(false);
  });
});
