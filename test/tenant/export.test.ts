// `wslpolicy export`: writes the stack tenant's snapshot and ends with the request count; on failure it
// exits 1 with the error and writes nothing.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import type { CliIO } from "../../src/cli/io";
import { COLLECTIONS } from "../../src/model";
import { readSnapshotFile } from "../../src/tenant";
import { seedTenant, startHarness, type Harness } from "../graph/fixtures";

let cwd: string;
let h: Harness;

function io(env: NodeJS.ProcessEnv = {}): CliIO & { out: string; err: string } {
  const res = {
    out: "",
    err: "",
    isTTY: false,
    env,
    cwd,
    stdout: (t: string) => void (res.out += t),
    stderr: (t: string) => void (res.err += t),
  };
  return res;
}

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), "wslpolicy-export-"));
  mkdirSync(path.join(cwd, "stacks"));
  writeFileSync(path.join(cwd, "stacks", "seed.json"), JSON.stringify(seedTenant({ policies: 27, settings: 2 })));
  writeFileSync(
    path.join(cwd, "stacks", "Pulumi.local.yaml"),
    "config:\n  wslpolicy:tenant: emulator\n  wslpolicy:emulatorSeed: seed.json\n",
  );
  h = await startHarness(seedTenant({ policies: 1, settings: 1 }));
  writeFileSync(
    path.join(cwd, "stacks", "Pulumi.shared.yaml"),
    `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${h.emulator.baseUrl}\n`,
  );
});
afterAll(async () => h.stop());

describe("wslpolicy export", () => {
  it("writes the snapshot of the stack's tenant and reports the requests it took", async () => {
    const cli = io();
    const code = await main(["node", "wslpolicy", "export", "--stack", "local", "--out", "snap/tenant.json"], cli);
    expect(cli.err).toBe("");
    expect(code).toBe(0);
    const snapshot = readSnapshotFile(path.join(cwd, "snap/tenant.json"));
    expect(snapshot[COLLECTIONS.configurationPolicies]).toHaveLength(27);
    expect(snapshot[COLLECTIONS.configurationPolicies].every((p) => p.settings?.length === 2)).toBe(true);
    expect(cli.out).toContain("exported local Graph emulator");
    expect(cli.out).toContain("27 configuration policies");
    expect(cli.out.trim().split("\n").at(-1)).toMatch(/^\d+ Graph requests/);
  });

  it("fails with the error and writes nothing when the tenant cannot be read", async () => {
    h.emulator.faults.add({ method: "GET", path: "groups", kind: "500", times: 20 });
    const cli = io({
      WSLPOLICY_EMULATOR_CA: h.emulator.caFile,
      WSLPOLICY_EMULATOR_TOKEN: h.emulator.issueToken(),
      WSLPOLICY_EMULATOR_TIME_SCALE: "0.005",
    });
    const code = await main(["node", "wslpolicy", "export", "--stack", "shared", "--out", "broken.json"], cli);
    expect(code).toBe(1);
    expect(cli.err).toMatch(/export failed, nothing written: GET groups failed with 500/);
    expect(existsSync(path.join(cwd, "broken.json"))).toBe(false);
  });

  it("fails clearly without a stack file, and requires --out", async () => {
    const cli = io();
    expect(await main(["node", "wslpolicy", "export", "--stack", "nope", "--out", "x.json"], cli)).toBe(1);
    expect(cli.err).toContain("Pulumi.nope.yaml");
    const noOut = io();
    expect(await main(["node", "wslpolicy", "export"], noOut)).toBe(1);
    expect(noOut.err).toContain("--out");
  });
});
