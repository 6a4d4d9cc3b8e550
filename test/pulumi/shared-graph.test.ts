// Provider calls share one Graph client per tenant, endpoint and credential environment, so a whole
// `pulumi up` fetches one token and spends ONE request budget, however many resources run in parallel.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sharedGraph } from "../../src/pulumi/connection";

const ca = path.join(mkdtempSync(path.join(tmpdir(), "wslpolicy-ca-")), "ca.pem");
writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n");
const target = { tenant: "emulator", graphEndpoint: "https://localhost:1/" };
const env = (token: string) => ({ WSLPOLICY_EMULATOR_TOKEN: token, WSLPOLICY_EMULATOR_CA: ca });

describe("sharedGraph", () => {
  it("returns the same client for the same tenant, endpoint and credential environment", () => {
    expect(sharedGraph(target, env("token-a"))).toBe(sharedGraph(target, env("token-a")));
  });

  it("returns another client when the credential environment or the endpoint differs", () => {
    const a = sharedGraph(target, env("token-a"));
    expect(sharedGraph(target, env("token-b"))).not.toBe(a);
    expect(sharedGraph({ ...target, graphEndpoint: "https://localhost:2/" }, env("token-a"))).not.toBe(a);
  });
});
