// Credential selection from the environment, as CI systems set it up (https://learn.microsoft.com/javascript/api/overview/azure/identity-readme). Pure:
// fake env maps, no network; the description used in reports never contains a secret.
import { describe, expect, it, vi } from "vitest";
import {
  chooseCredential,
  createCredential,
  describeCredential,
  emulatorCredential,
  githubOidcToken,
  graphScope,
} from "../../src/graph/credentials";
import { redact } from "../../src/graph/errors";

const TENANT = "11111111-2222-3333-4444-555555555555";
const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const ids = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP };

describe("chooseCredential", () => {
  it("uses a client secret when AZURE_CLIENT_SECRET is set", () => {
    expect(chooseCredential({ ...ids, AZURE_CLIENT_SECRET: "s3cret-value" })).toEqual({
      kind: "client-secret",
      tenantId: TENANT,
      clientId: APP,
    });
  });

  it("uses a certificate when AZURE_CLIENT_CERTIFICATE_PATH is set", () => {
    expect(chooseCredential({ ...ids, AZURE_CLIENT_CERTIFICATE_PATH: "/run/cert.pem" })).toMatchObject({
      kind: "client-certificate",
      source: "/run/cert.pem",
    });
  });

  it("uses GitHub Actions OIDC federation inside a job with id-token: write", () => {
    const env = {
      ...ids,
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://pipelines.actions.githubusercontent.com/x?api-version=2.0",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token",
    };
    expect(chooseCredential(env).kind).toBe("github-oidc");
  });

  it("uses Azure Pipelines federation with the service connection and System.AccessToken", () => {
    const env = {
      AZURESUBSCRIPTION_TENANT_ID: TENANT,
      AZURESUBSCRIPTION_CLIENT_ID: APP,
      AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: "sc-123",
      SYSTEM_ACCESSTOKEN: "ado-token",
      SYSTEM_OIDCREQUESTURI: "https://dev.azure.com/org/_apis/distributedtask/hubs/build/plans/x/jobs/y/oidctoken",
    };
    expect(chooseCredential(env)).toEqual({
      kind: "azure-pipelines",
      tenantId: TENANT,
      clientId: APP,
      source: "service connection sc-123",
    });
  });

  it("uses workload identity when a federated token file is mounted (AKS)", () => {
    expect(
      chooseCredential({ ...ids, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token" })
        .kind,
    ).toBe("workload-identity");
  });

  it("prefers an explicit secret over ambient federation variables", () => {
    const env = {
      ...ids,
      AZURE_CLIENT_SECRET: "s",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://x",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t",
    };
    expect(chooseCredential(env).kind).toBe("client-secret");
  });

  it("falls back to the default chain, and lets the stack's tenant win", () => {
    expect(chooseCredential({}, TENANT)).toEqual({ kind: "default-chain", tenantId: TENANT });
  });

  it("uses the Azure CLI when asked to", () => {
    expect(chooseCredential({ WSLPOLICY_CREDENTIAL: "azure-cli" }, TENANT)).toEqual({
      kind: "azure-cli",
      tenantId: TENANT,
    });
  });

  it("names the missing variables instead of failing later at sign-in", () => {
    expect(() => chooseCredential({ AZURE_CLIENT_SECRET: "s" })).toThrow(
      /client-secret' needs the environment variable\(s\) AZURE_TENANT_ID, AZURE_CLIENT_ID/,
    );
    expect(() => chooseCredential({ WSLPOLICY_CREDENTIAL: "magic" })).toThrow(/not one of/);
  });
});

describe("describeCredential", () => {
  it("says which credential and app, never the secret", () => {
    const env = { ...ids, AZURE_CLIENT_SECRET: "very-secret-value-42" };
    const text = describeCredential(chooseCredential(env));
    expect(text).toBe(`client secret, app ${APP}`);
    expect(text).not.toContain("very-secret-value-42");
  });
});

describe("createCredential", () => {
  it("builds the chosen credential without touching the network", () => {
    const { choice, credential } = createCredential({ ...ids, AZURE_CLIENT_SECRET: "s3cret-value" }, "usgov");
    expect(choice.kind).toBe("client-secret");
    expect(credential.constructor.name).toBe("ClientSecretCredential");
  });

  it("registers every secret it reads from the environment, so no message can carry one", () => {
    createCredential(
      { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: "/run/cert.pem", AZURE_CLIENT_CERTIFICATE_PASSWORD: "pfx-pass-word" },
      "global",
    );
    expect(redact("cannot open /run/cert.pem with pfx-pass-word")).toBe("cannot open /run/cert.pem with [REDACTED]");
  });

  it("scopes tokens to the cloud's Graph host", () => {
    expect(graphScope("global")).toBe("https://graph.microsoft.com/.default");
    expect(graphScope("usgovdod")).toBe("https://dod-graph.microsoft.us/.default");
    expect(graphScope("china")).toBe("https://microsoftgraph.chinacloudapi.cn/.default");
  });
});

describe("githubOidcToken", () => {
  it("asks for the api://AzureADTokenExchange audience with the request token", async () => {
    const fetchImpl = vi.fn(
      async (_url: unknown, _init?: RequestInit) =>
        new Response(JSON.stringify({ value: "oidc-jwt" }), { status: 200 }),
    );
    const token = await githubOidcToken(
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/token?api-version=2.0",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req",
      },
      fetchImpl as unknown as typeof fetch,
    );
    expect(token).toBe("oidc-jwt");
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(new URL(String(url)).searchParams.get("audience")).toBe("api://AzureADTokenExchange");
    expect(new URL(String(url)).searchParams.get("api-version")).toBe("2.0");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer req");
  });

  it("explains a refused request", async () => {
    const fetchImpl = async () => new Response("no", { status: 403 });
    await expect(
      githubOidcToken(
        { ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/t", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r" },
        fetchImpl as unknown as typeof fetch,
      ),
    ).rejects.toThrow(/id-token: write/);
  });
});

describe("emulatorCredential", () => {
  it("issues tokens with the requested roles and reuses them while valid", async () => {
    const issued: (string[] | undefined)[] = [];
    const credential = emulatorCredential(
      (roles) => {
        issued.push(roles);
        return `token-for-${(roles ?? []).join("+")}`;
      },
      ["Group.Read.All"],
    );
    const a = await credential.getToken("x");
    const b = await credential.getToken("x");
    expect(a?.token).toBe("token-for-Group.Read.All");
    expect(b?.token).toBe(a?.token);
    expect(issued).toEqual([["Group.Read.All"]]);
  });
});
