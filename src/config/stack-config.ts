// Stack configuration: `stacks/Pulumi.<stack>.yaml`, the same file Pulumi reads. The CLI and the Pulumi
// program both take the tenant, the Graph endpoint and the guardrail severities from here.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { packageFile } from "./package-root";

export const CLOUDS = {
  global: { graph: "https://graph.microsoft.com/", authority: "https://login.microsoftonline.com/" },
  usgov: { graph: "https://graph.microsoft.us/", authority: "https://login.microsoftonline.us/" },
  usgovdod: { graph: "https://dod-graph.microsoft.us/", authority: "https://login.microsoftonline.us/" },
  china: { graph: "https://microsoftgraph.chinacloudapi.cn/", authority: "https://login.chinacloudapi.cn/" },
} as const;
export type CloudName = keyof typeof CLOUDS;

export const severitySchema = z.enum(["error", "warning", "off"]);
export type Severity = z.infer<typeof severitySchema>;

/**
 * Graph hosts of each national cloud (https://learn.microsoft.com/en-us/graph/deployments). A real
 * tenant's token goes only to these or to loopback unless the stack file opts in to another host.
 */
export const CLOUD_GRAPH_HOSTS: Record<CloudName, readonly string[]> = {
  global: ["graph.microsoft.com", "canary.graph.microsoft.com"],
  usgov: ["graph.microsoft.us"],
  usgovdod: ["dod-graph.microsoft.us"],
  china: ["microsoftgraph.chinacloudapi.cn"],
};

/** `localhost`, 127.0.0.0/8 and ::1: a proxy or emulator on this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether `endpoint` is a Graph host of `cloud` (not loopback, not a custom host). */
export function isCloudGraphEndpoint(cloud: CloudName, endpoint: string): boolean {
  return CLOUD_GRAPH_HOSTS[cloud].includes(new URL(endpoint).hostname.toLowerCase());
}

/** The `wslpolicy:` namespace of a stack file, keys without the namespace. */
const stackSettingsObject = z.strictObject({
  /** `emulator` for the embedded local Graph emulator, otherwise the Entra tenant id (GUID). */
  tenant: z.union([z.literal("emulator"), z.uuid()]),
  cloud: z.enum(Object.keys(CLOUDS) as [CloudName, ...CloudName[]]).default("global"),
  /** Graph base URL override (an existing emulator, a proxy); defaults to the cloud's Graph host. */
  graphEndpoint: z.url().optional(),
  /**
   * Lets a real tenant's `graphEndpoint` be a host that is neither a Graph host of the cloud nor loopback
   * (a corporate proxy). The Graph token is sent to that host, and every report names it.
   */
  allowCustomGraphEndpoint: z.boolean().default(false),
  /**
   * Seed of the embedded emulator: a file relative to the stack file, or `wslpolicy/<path>` for a seed
   * shipped in the package (`wslpolicy/seeds/demo-tenant.json`, the demo organisation).
   */
  emulatorSeed: z.string().optional(),
  /** Policies directory, relative to the project root. */
  policies: z.string().default("policies"),
  /** Guardrail rule id → severity. */
  guardrails: z.record(z.string(), severitySchema).default({}),
});

export const stackSettingsSchema = stackSettingsObject.superRefine((s, ctx) => {
  if (s.tenant === "emulator" || !s.graphEndpoint || s.allowCustomGraphEndpoint) return;
  const url = new URL(s.graphEndpoint);
  if (isCloudGraphEndpoint(s.cloud, s.graphEndpoint) || isLoopbackHost(url.hostname)) return;
  ctx.addIssue({
    code: "custom",
    path: ["graphEndpoint"],
    message:
      `${url.host} is not a Microsoft Graph host of cloud '${s.cloud}' (${CLOUD_GRAPH_HOSTS[s.cloud].join(", ")}) nor loopback, ` +
      `and the tenant's Graph token would be sent to it; set wslpolicy:allowCustomGraphEndpoint: true to allow that host`,
  });
});
export type StackSettings = z.infer<typeof stackSettingsSchema>;

export interface StackConfig extends StackSettings {
  name: string;
  file: string;
}

const PACKAGE_PREFIX = "wslpolicy/";

/**
 * The file an `emulatorSeed` names: one shipped in the running package for `wslpolicy/<path>`, so a
 * platform repo's stack can use the demo tenant without copying it; otherwise relative to `baseDir`.
 */
export function resolveSeedFile(seed: string, baseDir: string): string {
  if (seed.startsWith(PACKAGE_PREFIX)) return packageFile(seed.slice(PACKAGE_PREFIX.length));
  return path.resolve(baseDir, seed);
}

export function stackFilePath(stacksDir: string, stack: string): string {
  return path.join(stacksDir, `Pulumi.${stack}.yaml`);
}

/** Turns the Pulumi-style `config:` map (`wslpolicy:key: value`) into stack settings, naming bad fields. */
export function parseStackSettings(config: Record<string, unknown>, file: string): StackSettings {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("wslpolicy:")) settings[key.slice("wslpolicy:".length)] = value;
  }
  const parsed = stackSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  config.wslpolicy:${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${file}: invalid stack configuration\n${issues.join("\n")}`);
  }
  return parsed.data;
}

export function loadStackConfig(stacksDir: string, stack: string): StackConfig {
  const file = stackFilePath(stacksDir, stack);
  if (!existsSync(file)) throw new Error(`${file}: no such stack file (stack '${stack}')`);
  const doc = (parseYaml(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  return { name: stack, file, ...parseStackSettings(doc.config ?? {}, file) };
}
