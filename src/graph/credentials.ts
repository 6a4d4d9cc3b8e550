// Which Azure credential talks to a real tenant, chosen from the environment the way CI systems set it up
// (https://learn.microsoft.com/javascript/api/overview/azure/identity-readme): a client secret, a certificate, workload-identity federation from GitHub
// Actions or Azure DevOps, an AKS-style federated token file, the Azure CLI on request, and the default
// chain otherwise. `chooseCredential` is pure (an env map in, a description out) so the selection is unit
// tested without a network; `createCredential` builds the `@azure/identity` object. National clouds set the
// authority host; the token scope is `<cloud Graph host>/.default`. Also the emulator's credentials.
import {
  AzureCliCredential,
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from "@azure/identity";
import { CLOUDS, type CloudName } from "../config";
import { registerSecret } from "./errors";

export type CredentialKind =
  | "client-secret"
  | "client-certificate"
  | "github-oidc"
  | "azure-pipelines"
  | "workload-identity"
  | "azure-cli"
  | "default-chain"
  | "emulator";

/** The chosen credential, described without any secret. */
export interface CredentialChoice {
  kind: CredentialKind;
  tenantId?: string;
  clientId?: string;
  /** Certificate file, federated-token file, or service connection id: where the proof comes from. */
  source?: string;
}

export type Env = Record<string, string | undefined>;

/** `WSLPOLICY_CREDENTIAL` forces a kind (e.g. `azure-cli` on a workstation after `az login`). */
export const CREDENTIAL_OVERRIDE_ENV = "WSLPOLICY_CREDENTIAL";

const present = (v: string | undefined): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Chooses the credential from environment variables; `tenantId` (from the stack) wins over AZURE_TENANT_ID.
 * Throws when a forced kind lacks what it needs, naming the missing variables.
 */
export function chooseCredential(env: Env, tenantId?: string): CredentialChoice {
  const tenant = tenantId ?? env.AZURE_TENANT_ID ?? env.AZURESUBSCRIPTION_TENANT_ID;
  const client = env.AZURE_CLIENT_ID ?? env.AZURESUBSCRIPTION_CLIENT_ID;
  const serviceConnection = env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID ?? env.AZURE_SERVICE_CONNECTION_ID;
  const forced = env[CREDENTIAL_OVERRIDE_ENV]?.trim().toLowerCase();

  const need = (kind: CredentialKind, vars: [string, string | undefined][]): void => {
    const missing = vars.filter(([, v]) => !present(v)).map(([k]) => k);
    if (missing.length > 0)
      throw new Error(`credential '${kind}' needs the environment variable(s) ${missing.join(", ")}`);
  };
  const base = { tenantId: tenant, clientId: client };

  const candidates: {
    kind: CredentialKind;
    applies: boolean;
    build: () => CredentialChoice;
    needs: [string, string | undefined][];
  }[] = [
    {
      kind: "client-secret",
      applies: present(env.AZURE_CLIENT_SECRET),
      needs: [
        ["AZURE_TENANT_ID", tenant],
        ["AZURE_CLIENT_ID", client],
        ["AZURE_CLIENT_SECRET", env.AZURE_CLIENT_SECRET],
      ],
      build: () => ({ kind: "client-secret", ...base }),
    },
    {
      kind: "client-certificate",
      applies: present(env.AZURE_CLIENT_CERTIFICATE_PATH),
      needs: [
        ["AZURE_TENANT_ID", tenant],
        ["AZURE_CLIENT_ID", client],
        ["AZURE_CLIENT_CERTIFICATE_PATH", env.AZURE_CLIENT_CERTIFICATE_PATH],
      ],
      build: () => ({ kind: "client-certificate", ...base, source: env.AZURE_CLIENT_CERTIFICATE_PATH }),
    },
    {
      kind: "github-oidc",
      applies: present(env.ACTIONS_ID_TOKEN_REQUEST_URL) && present(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
      needs: [
        ["AZURE_TENANT_ID", tenant],
        ["AZURE_CLIENT_ID", client],
        ["ACTIONS_ID_TOKEN_REQUEST_URL", env.ACTIONS_ID_TOKEN_REQUEST_URL],
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN", env.ACTIONS_ID_TOKEN_REQUEST_TOKEN],
      ],
      build: () => ({ kind: "github-oidc", ...base, source: "GitHub Actions OIDC token" }),
    },
    {
      kind: "azure-pipelines",
      applies: present(serviceConnection) && present(env.SYSTEM_ACCESSTOKEN),
      needs: [
        ["AZURE_TENANT_ID", tenant],
        ["AZURE_CLIENT_ID", client],
        ["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", serviceConnection],
        ["SYSTEM_ACCESSTOKEN", env.SYSTEM_ACCESSTOKEN],
        ["SYSTEM_OIDCREQUESTURI", env.SYSTEM_OIDCREQUESTURI],
      ],
      build: () => ({ kind: "azure-pipelines", ...base, source: `service connection ${serviceConnection}` }),
    },
    {
      kind: "workload-identity",
      applies: present(env.AZURE_FEDERATED_TOKEN_FILE),
      needs: [
        ["AZURE_TENANT_ID", tenant],
        ["AZURE_CLIENT_ID", client],
        ["AZURE_FEDERATED_TOKEN_FILE", env.AZURE_FEDERATED_TOKEN_FILE],
      ],
      build: () => ({ kind: "workload-identity", ...base, source: env.AZURE_FEDERATED_TOKEN_FILE }),
    },
    { kind: "azure-cli", applies: false, needs: [], build: () => ({ kind: "azure-cli", tenantId: tenant }) },
    { kind: "default-chain", applies: false, needs: [], build: () => ({ kind: "default-chain", tenantId: tenant }) },
  ];

  if (forced) {
    const match = candidates.find((c) => c.kind === forced);
    if (!match) {
      throw new Error(
        `${CREDENTIAL_OVERRIDE_ENV}='${forced}' is not one of ${candidates.map((c) => c.kind).join(", ")}`,
      );
    }
    need(match.kind, match.needs);
    return match.build();
  }
  for (const c of candidates) {
    if (!c.applies) continue;
    need(c.kind, c.needs);
    return c.build();
  }
  return { kind: "default-chain", tenantId: tenant };
}

const KIND_TEXT: Record<CredentialKind, string> = {
  "client-secret": "client secret",
  "client-certificate": "client certificate",
  "github-oidc": "GitHub Actions workload identity federation",
  "azure-pipelines": "Azure Pipelines workload identity federation",
  "workload-identity": "workload identity (federated token file)",
  "azure-cli": "Azure CLI",
  "default-chain": "DefaultAzureCredential chain",
  emulator: "emulator token",
};

/** For reports: which credential, for which app — never the secret. */
export function describeCredential(choice: CredentialChoice): string {
  const parts = [KIND_TEXT[choice.kind]];
  if (choice.clientId) parts.push(`app ${choice.clientId}`);
  if (choice.source && choice.kind !== "github-oidc") parts.push(choice.source);
  return parts.join(", ");
}

/** Token scope of the cloud's Graph: `https://graph.microsoft.us/.default`. */
export function graphScope(cloud: CloudName): string {
  return `${CLOUDS[cloud].graph}.default`;
}

export interface CreatedCredential {
  choice: CredentialChoice;
  credential: TokenCredential;
}

/** Builds the credential `chooseCredential` picked. No network until the first `getToken`. */
export function createCredential(
  env: Env,
  cloud: CloudName,
  tenantId?: string,
  fetchImpl: typeof fetch = fetch,
): CreatedCredential {
  const choice = chooseCredential(env, tenantId);
  const authorityHost = CLOUDS[cloud].authority.replace(/\/$/, "");
  const options = { authorityHost };
  const t = choice.tenantId ?? "";
  const c = choice.clientId ?? "";
  registerSecret(env.AZURE_CLIENT_SECRET);
  registerSecret(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  registerSecret(env.SYSTEM_ACCESSTOKEN);
  registerSecret(env.AZURE_CLIENT_CERTIFICATE_PASSWORD);
  let credential: TokenCredential;
  switch (choice.kind) {
    case "client-secret":
      credential = new ClientSecretCredential(t, c, env.AZURE_CLIENT_SECRET ?? "", options);
      break;
    case "client-certificate":
      credential = new ClientCertificateCredential(
        t,
        c,
        {
          certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH ?? "",
          certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
        },
        { ...options, sendCertificateChain: env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === "true" },
      );
      break;
    case "github-oidc":
      credential = new ClientAssertionCredential(t, c, () => githubOidcToken(env, fetchImpl), options);
      break;
    case "azure-pipelines":
      credential = new AzurePipelinesCredential(
        t,
        c,
        env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID ?? env.AZURE_SERVICE_CONNECTION_ID ?? "",
        env.SYSTEM_ACCESSTOKEN ?? "",
        options,
      );
      break;
    case "workload-identity":
      credential = new WorkloadIdentityCredential({
        ...options,
        tenantId: t,
        clientId: c,
        tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
      });
      break;
    case "azure-cli":
      credential = new AzureCliCredential({ tenantId: choice.tenantId });
      break;
    default:
      credential = new DefaultAzureCredential({ ...options, tenantId: choice.tenantId });
  }
  return { choice, credential };
}

/**
 * The GitHub Actions OIDC token for Entra federation: `${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=
 * api://AzureADTokenExchange` with the request token as bearer (https://learn.microsoft.com/entra/workload-id/workload-identity-federation).
 */
export async function githubOidcToken(env: Env, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "");
  url.searchParams.set("audience", "api://AzureADTokenExchange");
  const res = await fetchImpl(url, {
    headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? ""}`, Accept: "application/json" },
  });
  if (!res.ok)
    throw new Error(
      `GitHub Actions OIDC token request failed with ${res.status} (does the job have 'permissions: id-token: write'?)`,
    );
  const body = (await res.json()) as { value?: unknown };
  if (typeof body.value !== "string" || body.value === "")
    throw new Error("GitHub Actions OIDC token response has no 'value'");
  return body.value;
}

// --- emulator -------------------------------------------------------------------------------------------

/** Anything that issues emulator tokens: the running emulator, or a function. */
export type TokenIssuer = { issueToken(roles?: string[]): string } | ((roles?: string[]) => string);

/** A credential for the local emulator: fake JWTs carrying application roles. */
export function emulatorCredential(issuer: TokenIssuer, roles?: string[]): TokenCredential {
  const issue = typeof issuer === "function" ? issuer : (r?: string[]) => issuer.issueToken(r);
  let cached: AccessToken | undefined;
  return {
    getToken: async () => {
      if (!cached || cached.expiresOnTimestamp - Date.now() < 60_000) {
        const token = issue(roles);
        registerSecret(token);
        cached = { token, expiresOnTimestamp: Date.now() + 3_600_000 };
      }
      return cached;
    },
  };
}

/** A credential that always returns one token (an emulator token handed over in WSLPOLICY_EMULATOR_TOKEN). */
export function staticTokenCredential(token: string): TokenCredential {
  registerSecret(token);
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}
