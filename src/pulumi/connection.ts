// The Graph client provider calls use, built from the provider host's environment (never from inputs), so
// no credential ever enters Pulumi inputs, outputs or state (docs/pulumi.md), and each Pulumi
// command (a new host process) picks up rotated credentials. The tenant and the endpoint come from the
// resource inputs (stack config).
//   - the local emulator (`tenant: emulator`): WSLPOLICY_EMULATOR_TOKEN and WSLPOLICY_EMULATOR_CA, the token
//     and CA file `wslpolicy emulator` prints (the same variables every command reads, src/tenant/connect.ts);
//   - a real tenant: the credential chosen from the environment (src/graph/credentials.ts).
import { createHash } from "node:crypto";
import type { CloudName } from "../config";
import { createCredential, createGraphClient, graphScope, type GraphClient } from "../graph";
import { runningEmulatorClient } from "../tenant";
import { compareText } from "../model";

/**
 * One client per tenant, endpoint and credential environment for the life of the provider host process.
 * The engine calls the provider for every resource of a stack in the same process, often in parallel: a
 * shared client means one token (the credential caches it) and ONE request budget for the whole run, so
 * parallel resources cannot together exceed Intune's limits (src/graph/budget.ts). The process ends with
 * the Pulumi command, so rotated credentials are still picked up by the next `refresh` or `destroy`.
 */
const clients = new Map<string, GraphClient>();

/** Where a provider call goes: the tenant, its cloud (stack config; `global` when absent) and the Graph base URL. */
export interface GraphTarget {
  tenant: string;
  cloud?: CloudName;
  graphEndpoint: string;
}

export function sharedGraph(target: GraphTarget, env: NodeJS.ProcessEnv = process.env): GraphClient {
  // Keyed by a hash of the credential environment, so the key holds no secret and a changed environment
  // (another emulator, another app registration) gets its own client.
  const credentialEnv = Object.entries(env)
    .filter(([k]) => /^(WSLPOLICY_|AZURE_|ACTIONS_ID_TOKEN_|SYSTEM_)/.test(k))
    .sort(([a], [b]) => compareText(a, b));
  const key = createHash("sha256")
    .update(JSON.stringify([target.tenant, target.cloud ?? "global", target.graphEndpoint, credentialEnv]))
    .digest("hex");
  let graph = clients.get(key);
  if (!graph) {
    graph = graphFromEnvironment(target, env);
    clients.set(key, graph);
  }
  return graph;
}

function graphFromEnvironment(target: GraphTarget, env: NodeJS.ProcessEnv = process.env): GraphClient {
  const endpoint = target.graphEndpoint.endsWith("/") ? target.graphEndpoint : `${target.graphEndpoint}/`;
  if (target.tenant === "emulator") return runningEmulatorClient(endpoint, env, { where: "the Pulumi stack" });
  // The cloud comes from the stack, never from the endpoint's host: a proxy or a private endpoint in front
  // of a national cloud must still get that cloud's authority and token scope.
  const cloud = target.cloud ?? "global";
  const { credential } = createCredential(env, cloud, target.tenant);
  return createGraphClient({ endpoint, credential, scopes: [graphScope(cloud)] });
}
