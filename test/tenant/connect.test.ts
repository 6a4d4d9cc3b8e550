// Opening the tenant a stack names: the embedded emulator (seeded, plainly labelled as not a real tenant),
// a running emulator reached through its CA and token, and a real tenant whose credential comes from the
// environment and whose Graph host follows the cloud — described without secrets, with no network.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig, parseStackSettings, type StackConfig } from "../../src/config/stack-config";
import { COLLECTIONS } from "../../src/model";
import { describeSource, openTenant, readTenant } from "../../src/tenant";
import { seedTenant, startHarness, type Harness } from "../graph/fixtures";

let dir: string;
let h: Harness;

function stack(name: string, config: Record<string, unknown>): StackConfig {
  const file = path.join(dir, `Pulumi.${name}.yaml`);
  const lines = Object.entries(config).map(([k, v]) => `  wslpolicy:${k}: ${JSON.stringify(v)}`);
  writeFileSync(file, `config:\n${lines.join("\n")}\n`);
  return loadStackConfig(dir, name);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-stacks-"));
  writeFileSync(path.join(dir, "seed.json"), JSON.stringify(seedTenant({ policies: 30, settings: 3 })));
  h = await startHarness(seedTenant({ policies: 2, settings: 1 }));
});
afterAll(async () => h.stop());

describe("openTenant", () => {
  it("starts the embedded emulator from the stack's seed, relative to the stack file", async () => {
    const conn = await openTenant(stack("local", { tenant: "emulator", emulatorSeed: "seed.json" }), { env: {} });
    try {
      expect(conn.info.kind).toBe("emulator");
      expect(conn.info.label).toMatch(
        /^local Graph emulator \(embedded, seed seed\.json, localhost:\d+\) — not a real tenant$/,
      );
      expect(conn.info.credential).toBe("emulator token");
      const snapshot = await readTenant(conn.graph);
      expect(snapshot[COLLECTIONS.configurationPolicies]).toHaveLength(30);
    } finally {
      await conn.close();
    }
  });

  it("connects to a running emulator with the CA file and token `wslpolicy emulator` prints", async () => {
    const s = stack("shared", { tenant: "emulator", graphEndpoint: h.emulator.baseUrl });
    const env = {
      WSLPOLICY_EMULATOR_CA: h.emulator.caFile,
      WSLPOLICY_EMULATOR_TOKEN: h.emulator.issueToken(),
      WSLPOLICY_EMULATOR_TIME_SCALE: "0.005",
    };
    const conn = await openTenant(s, { env });
    try {
      expect(conn.info.endpoint).toBe(h.emulator.baseUrl);
      expect((await readTenant(conn.graph))[COLLECTIONS.configurationPolicies]).toHaveLength(2);
    } finally {
      await conn.close();
    }
    const viaEnv = await openTenant(stack("env", { tenant: "emulator" }), {
      env: { ...env, WSLPOLICY_GRAPH_ENDPOINT: h.emulator.baseUrl },
    });
    await viaEnv.close();
    expect(viaEnv.info.endpoint).toBe(h.emulator.baseUrl);
  });

  it("says which variable is missing for a running emulator", async () => {
    const s = stack("shared2", { tenant: "emulator", graphEndpoint: h.emulator.baseUrl });
    await expect(openTenant(s, { env: {} })).rejects.toThrow(/set WSLPOLICY_EMULATOR_CA/);
    await expect(openTenant(s, { env: { WSLPOLICY_EMULATOR_CA: h.emulator.caFile } })).rejects.toThrow(
      /WSLPOLICY_EMULATOR_TOKEN/,
    );
  });

  it("uses the cloud's Graph host and a credential from the environment for a real tenant", async () => {
    const tenant = "1b2c3d4e-0000-4000-8000-000000000001";
    const s: StackConfig = {
      name: "gov",
      file: path.join(dir, "Pulumi.gov.yaml"),
      ...parseStackSettings({ "wslpolicy:tenant": tenant, "wslpolicy:cloud": "usgov" }, "gov"),
    };
    const secret = "not-a-real-secret-9f8e7d";
    const conn = await openTenant(s, { env: { AZURE_CLIENT_ID: "app-1", AZURE_CLIENT_SECRET: secret } });
    await conn.close();
    expect(conn.info).toEqual({
      kind: "graph",
      tenantId: tenant,
      endpoint: "https://graph.microsoft.us/",
      credential: "client secret, app app-1",
      label: "tenant 1b2c3d4e… (graph.microsoft.us)",
    });
    expect(JSON.stringify(conn.info)).not.toContain(secret);
  });

  it("does not let WSLPOLICY_GRAPH_ENDPOINT redirect a real tenant's token", async () => {
    const s: StackConfig = {
      name: "prod",
      file: "Pulumi.prod.yaml",
      ...parseStackSettings({ "wslpolicy:tenant": "1b2c3d4e-0000-4000-8000-000000000001" }, "prod"),
    };
    const conn = await openTenant(s, {
      env: { WSLPOLICY_GRAPH_ENDPOINT: "https://evil.example/", AZURE_CLIENT_ID: "a", AZURE_CLIENT_SECRET: "s" },
    });
    await conn.close();
    expect(conn.info.endpoint).toBe("https://graph.microsoft.com/");
  });
});

describe("graphEndpoint of a real tenant (the Graph token is sent to it)", () => {
  const TENANT = "1b2c3d4e-0000-4000-8000-000000000001";
  const settings = (extra: Record<string, unknown>) => () =>
    parseStackSettings({ "wslpolicy:tenant": TENANT, ...extra }, "Pulumi.prod.yaml");

  it("accepts the Graph hosts of the stack's cloud (https://learn.microsoft.com/en-us/graph/deployments) and loopback", () => {
    expect(settings({ "wslpolicy:graphEndpoint": "https://graph.microsoft.com/" })).not.toThrow();
    expect(
      settings({ "wslpolicy:cloud": "usgovdod", "wslpolicy:graphEndpoint": "https://dod-graph.microsoft.us/" }),
    ).not.toThrow();
    expect(
      settings({ "wslpolicy:cloud": "china", "wslpolicy:graphEndpoint": "https://microsoftgraph.chinacloudapi.cn/" }),
    ).not.toThrow();
    for (const host of ["localhost:8443", "127.0.0.1:9000", "[::1]:8443"])
      expect(settings({ "wslpolicy:graphEndpoint": `https://${host}/` })).not.toThrow();
  });

  it("refuses any other host, or another cloud's, naming the key that allows it", () => {
    expect(settings({ "wslpolicy:graphEndpoint": "https://graph.example.net/" })).toThrow(
      "Pulumi.prod.yaml: invalid stack configuration\n  config.wslpolicy:graphEndpoint: graph.example.net is not a Microsoft Graph host of cloud 'global' (graph.microsoft.com, canary.graph.microsoft.com) nor loopback, and the tenant's Graph token would be sent to it; set wslpolicy:allowCustomGraphEndpoint: true to allow that host",
    );
    expect(settings({ "wslpolicy:graphEndpoint": "https://graph.microsoft.us/" })).toThrow(
      /graph\.microsoft\.us is not a Microsoft Graph host of cloud 'global'/,
    );
    expect(settings({ "wslpolicy:graphEndpoint": "https://graph.microsoft.com.evil.example/" })).toThrow(
      /allowCustomGraphEndpoint/,
    );
  });

  it("with the opt-in, uses the host and every report names it as not a Microsoft Graph host", async () => {
    const s: StackConfig = {
      name: "prod",
      file: "Pulumi.prod.yaml",
      ...settings({
        "wslpolicy:graphEndpoint": "https://graph-proxy.corp.example/",
        "wslpolicy:allowCustomGraphEndpoint": true,
      })(),
    };
    const conn = await openTenant(s, { env: { AZURE_CLIENT_ID: "a", AZURE_CLIENT_SECRET: "s" } });
    await conn.close();
    expect(conn.info.label).toBe(
      "tenant 1b2c3d4e… (graph-proxy.corp.example) — not a Microsoft Graph host of cloud 'global': custom graphEndpoint of Pulumi.prod.yaml",
    );
  });

  it("an emulator stack may point anywhere: it sends only the emulator's own token", () => {
    expect(() =>
      parseStackSettings(
        { "wslpolicy:tenant": "emulator", "wslpolicy:graphEndpoint": "https://emulator.ci.example:8443/" },
        "x",
      ),
    ).not.toThrow();
  });
});

describe("describeSource", () => {
  it("names a real tenant by id prefix and host, and the emulator plainly", () => {
    expect(
      describeSource({
        kind: "graph",
        tenantId: "1b2c3d4e-aaaa-bbbb-cccc-dddddddddddd",
        endpoint: "https://graph.microsoft.com/",
      }),
    ).toBe("tenant 1b2c3d4e… (graph.microsoft.com)");
    expect(describeSource({ kind: "emulator", tenantId: "x", endpoint: "https://localhost:8443/" })).toBe(
      "local Graph emulator at localhost:8443 — not a real tenant",
    );
    expect(
      describeSource(
        { kind: "emulator", tenantId: "x", endpoint: "https://localhost:8443/" },
        { seed: "demo-tenant.json" },
      ),
    ).toBe("local Graph emulator (embedded, seed demo-tenant.json, localhost:8443) — not a real tenant");
  });
});
