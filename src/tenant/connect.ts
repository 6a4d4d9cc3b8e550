// Opens the tenant a stack names (stacks/Pulumi.<stack>.yaml): a real tenant through `@azure/identity`
// credentials from the environment and the cloud's Graph host; a running local emulator (`graphEndpoint`
// or WSLPOLICY_GRAPH_ENDPOINT, with WSLPOLICY_EMULATOR_CA, WSLPOLICY_EMULATOR_TOKEN and
// WSLPOLICY_EMULATOR_TIME_SCALE, all printed by `wslpolicy emulator`); or the embedded emulator started
// in-process from the stack's seed. Every report says which one it read.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { TokenCredential } from "@azure/identity";
import { CLOUDS, isCloudGraphEndpoint, resolveSeedFile, type StackConfig } from "../config";
import {
  createCredential,
  createGraphClient,
  describeCredential,
  emulatorCredential,
  graphScope,
  staticTokenCredential,
  type Env,
  type GraphClient,
  type GraphClientOptions,
} from "../graph";
import { startEmulator } from "../emulator";
import type { TenantRef } from "../model";
import { readSnapshotFile } from "./snapshot-file";

/** CA file (PEM) of a running emulator. */
export const EMULATOR_CA_ENV = "WSLPOLICY_EMULATOR_CA";
/** Bearer token for a running emulator. */
export const EMULATOR_TOKEN_ENV = "WSLPOLICY_EMULATOR_TOKEN";
/** Base URL of a running emulator, for `tenant: emulator` stacks without `graphEndpoint`. */
export const EMULATOR_ENDPOINT_ENV = "WSLPOLICY_GRAPH_ENDPOINT";
/** Time scale of a running emulator, so the client's windows and backoff match its windows. */
export const EMULATOR_TIME_SCALE_ENV = "WSLPOLICY_EMULATOR_TIME_SCALE";
/** Bounds of a read and the overall deadline of a command, in the environment (issue 12). */
export const MAX_PAGES_ENV = "WSLPOLICY_MAX_PAGES";
export const MAX_ITEMS_ENV = "WSLPOLICY_MAX_ITEMS";
export const DEADLINE_ENV = "WSLPOLICY_DEADLINE";
/** Seconds one request may go unanswered before it is abandoned (default 100, the Graph SDKs' timeout). */
export const REQUEST_TIMEOUT_ENV = "WSLPOLICY_REQUEST_TIMEOUT";
/** A command's Graph work ends with an error after this long unless WSLPOLICY_DEADLINE says otherwise. */
export const DEFAULT_DEADLINE_SECONDS = 600;

/** A connected tenant (src/model/tenant-ref.ts), with the credential kind used. */
export interface TenantInfo extends TenantRef {
  kind: "graph" | "emulator";
  tenantId: string;
  endpoint: string;
  /** Which credential kind was used; never a secret. */
  credential: string;
}

export interface TenantConnection {
  info: TenantInfo;
  graph: GraphClient;
  close(): Promise<void>;
}

export interface OpenTenantOptions {
  /** Use this credential instead of choosing one from the environment. */
  credential?: TokenCredential;
  /** Where `emulatorSeed` is resolved (default: the stack file's folder). */
  seedDir?: string;
  /** Environment to read credentials from (default process.env). */
  env?: Env;
  /** Time scale of the embedded emulator and the client (tests). */
  timeScale?: number;
  /** Give the client the command's overall deadline (WSLPOLICY_DEADLINE, default 600 s): the CLI does. */
  deadline?: boolean;
}

/** Read bounds and deadline from the environment; a bad value is an error naming the variable. */
export function clientBounds(
  env: Env,
  withDeadline: boolean,
): Pick<GraphClientOptions, "limits" | "deadline" | "requestTimeoutMs" | "requestTimeoutSetting"> {
  const positive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}='${raw}' must be a number above 0`);
    return n;
  };
  const maxPages = positive(MAX_PAGES_ENV);
  const maxItems = positive(MAX_ITEMS_ENV);
  const seconds = positive(DEADLINE_ENV) ?? DEFAULT_DEADLINE_SECONDS;
  const timeout = positive(REQUEST_TIMEOUT_ENV);
  return {
    ...(timeout ? { requestTimeoutMs: timeout * 1000 } : {}),
    requestTimeoutSetting: REQUEST_TIMEOUT_ENV,
    limits: {
      ...(maxPages ? { maxPages } : {}),
      ...(maxItems ? { maxItems } : {}),
      settings: { maxPages: `${MAX_PAGES_ENV}=<pages>`, maxItems: `${MAX_ITEMS_ENV}=<items>` },
    },
    ...(withDeadline ? { deadline: { at: Date.now() + seconds * 1000, seconds, setting: DEADLINE_ENV } } : {}),
  };
}

export async function openTenant(stack: StackConfig, opts: OpenTenantOptions = {}): Promise<TenantConnection> {
  const env = opts.env ?? process.env;
  if (stack.tenant === "emulator") {
    // Never for real tenants: a token must not follow an environment variable to another host.
    const endpoint = stack.graphEndpoint ?? env[EMULATOR_ENDPOINT_ENV];
    return endpoint ? connectRunningEmulator(stack, endpoint, env, opts) : startEmbeddedEmulator(stack, opts);
  }
  const cloud = CLOUDS[stack.cloud];
  const endpoint = stack.graphEndpoint ?? cloud.graph;
  let credential = opts.credential;
  let credentialText = "injected credential";
  if (!credential) {
    const created = createCredential(env, stack.cloud, stack.tenant);
    credential = created.credential;
    credentialText = describeCredential(created.choice);
  }
  const graph = createGraphClient({
    endpoint,
    credential,
    scopes: [graphScope(stack.cloud)],
    timeScale: opts.timeScale,
    ...clientBounds(env, opts.deadline ?? false),
  });
  const info: TenantInfo = {
    kind: "graph",
    tenantId: stack.tenant,
    endpoint: graph.endpoint,
    credential: credentialText,
    label: "",
  };
  info.label = describeSource(info);
  if (!isCloudGraphEndpoint(stack.cloud, graph.endpoint))
    info.label += ` — not a Microsoft Graph host of cloud '${stack.cloud}': custom graphEndpoint of ${stack.file}`;
  return { info, graph, close: () => graph.close() };
}

/**
 * A client for an emulator started elsewhere (`wslpolicy emulator`), from the CA file, token and time scale
 * it printed as environment variables. Shared by the commands and the Pulumi providers; `where` names
 * what pointed at the emulator, for the error when a variable is missing.
 */
export function runningEmulatorClient(
  endpoint: string,
  env: Env,
  opts: { where: string; credential?: TokenCredential; timeScale?: number; deadline?: boolean },
): GraphClient {
  const caFile = env[EMULATOR_CA_ENV];
  if (!caFile)
    throw new Error(
      `${opts.where} points at an emulator (${endpoint}); set ${EMULATOR_CA_ENV} to the CA file that \`wslpolicy emulator\` printed`,
    );
  let ca: string;
  try {
    ca = readFileSync(caFile, "utf8");
  } catch {
    throw new Error(`${EMULATOR_CA_ENV}=${caFile}: cannot read the emulator's CA file`);
  }
  let credential = opts.credential;
  if (!credential) {
    const token = env[EMULATOR_TOKEN_ENV];
    if (!token)
      throw new Error(
        `${opts.where} points at an emulator (${endpoint}); set ${EMULATOR_TOKEN_ENV} to the token that \`wslpolicy emulator\` printed`,
      );
    credential = staticTokenCredential(token);
  }
  const scaleText = env[EMULATOR_TIME_SCALE_ENV];
  const timeScale = opts.timeScale ?? (scaleText ? Number(scaleText) : undefined);
  if (timeScale !== undefined && !(timeScale > 0))
    throw new Error(`${EMULATOR_TIME_SCALE_ENV}='${scaleText}' is not a positive number`);
  return createGraphClient({ endpoint, credential, ca, timeScale, ...clientBounds(env, opts.deadline ?? false) });
}

async function connectRunningEmulator(
  stack: StackConfig,
  endpoint: string,
  env: Env,
  opts: OpenTenantOptions,
): Promise<TenantConnection> {
  const graph = runningEmulatorClient(endpoint, env, {
    where: `${stack.file}: stack '${stack.name}'`,
    credential: opts.credential,
    timeScale: opts.timeScale,
    deadline: opts.deadline,
  });
  const info: TenantInfo = {
    kind: "emulator",
    tenantId: "emulator",
    endpoint: graph.endpoint,
    credential: "emulator token",
    label: "",
  };
  info.label = describeSource(info);
  return { info, graph, close: () => graph.close() };
}

async function startEmbeddedEmulator(stack: StackConfig, opts: OpenTenantOptions): Promise<TenantConnection> {
  const seedFile = stack.emulatorSeed
    ? resolveSeedFile(stack.emulatorSeed, opts.seedDir ?? path.dirname(stack.file))
    : undefined;
  const seed = seedFile ? readSnapshotFile(seedFile) : undefined;
  const emulator = await startEmulator({ seed, throttling: { enabled: true }, timeScale: opts.timeScale });
  const graph = createGraphClient({
    endpoint: emulator.baseUrl,
    credential: opts.credential ?? emulatorCredential(emulator),
    ca: emulator.caCertPem,
    timeScale: opts.timeScale,
    ...clientBounds(opts.env ?? process.env, opts.deadline ?? false),
  });
  const info: TenantInfo = {
    kind: "emulator",
    tenantId: emulator.tenantId,
    endpoint: graph.endpoint,
    credential: "emulator token",
    label: "",
  };
  info.label = describeSource(info, { seed: seedFile ? path.basename(seedFile) : undefined });
  return {
    info,
    graph,
    close: async () => {
      await graph.close();
      await emulator.stop();
    },
  };
}

/**
 * One line naming what was read: "tenant 1b2c3d4e… (graph.microsoft.com)", or for the emulator, plainly
 * not a real tenant, with the seed it started from when it is the embedded one.
 */
export function describeSource(
  info: Pick<TenantInfo, "kind" | "tenantId" | "endpoint">,
  embedded?: { seed?: string },
): string {
  const host = new URL(info.endpoint).host;
  if (info.kind === "emulator") {
    if (!embedded) return `local Graph emulator at ${host} — not a real tenant`;
    return `local Graph emulator (embedded, ${embedded.seed ? `seed ${embedded.seed}` : "empty tenant"}, ${host}) — not a real tenant`;
  }
  return `tenant ${info.tenantId.slice(0, 8)}… (${host})`;
}
