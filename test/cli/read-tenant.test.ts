// The live side of plan, drift, import and export: a snapshot file named relative to the working
// directory, or the stack's tenant, which needs a stack file.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io";
import { readLiveTenant, readStackTenant } from "../../src/cli/read-tenant";
import { COLLECTIONS } from "../../src/model";

const REPO_ROOT = path.resolve(__dirname, "../..");
const io: CliIO = { stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {}, cwd: REPO_ROOT };
const noStackFile = { stack: "staging", policiesDir: path.join(REPO_ROOT, "policies"), guardrails: {} };

describe("reading the live tenant", () => {
  it("reads a snapshot file and labels it by its path from the working directory, with no Graph requests", async () => {
    const live = await readLiveTenant(io, noStackFile, "seeds/demo-tenant.json");
    expect(live.tenant).toEqual({ kind: "snapshot", label: "seeds/demo-tenant.json", tenantId: null, endpoint: null });
    expect(live.requestCount).toBeNull();
    expect(live.snapshot[COLLECTIONS.configurationPolicies].length).toBeGreaterThan(0);
  });

  it("without a snapshot, refuses a stack that has no stack file and says what else to pass", async () => {
    await expect(readLiveTenant(io, noStackFile, undefined)).rejects.toThrow(
      "no stack file for stack 'staging' (stacks/Pulumi.staging.yaml): it names the tenant to read; or pass --snapshot FILE",
    );
    // export has no --snapshot, so it does not offer one
    await expect(readStackTenant(io, noStackFile)).rejects.toThrow(/it names the tenant to read$/);
  });
});
