// The policy language: zod schemas that are the types of policy files. Every policy has a stable `id`
// (resource names and the ownership marker derive from it), a display name, a description and
// assignments. Keys left out mean "not configured" (for WSL: allowed). Objects are strict: an unknown
// key is an error naming the field.
import { z } from "zod";
import { GUID_PATTERN, POLICY_ID } from "../model";
import { complianceRulesSchema } from "./compliance-rules";
import { assignmentsSchema } from "./targets";

export const policyIdSchema = z
  .string()
  .regex(
    POLICY_ID,
    "must be kebab-case: a lowercase letter, then lowercase letters, digits or '-' (at most 63 characters)",
  );

const guid = z.string().regex(GUID_PATTERN, "must be a GUID");

const common = {
  id: policyIdSchema,
  displayName: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().max(1000).default(""),
  assignments: assignmentsSchema,
  /** Take over an existing Intune object by id instead of creating one (brownfield adoption). */
  adopt: guid.optional(),
  /** Role scope tags; Graph reads back `["0"]` when none are sent. */
  roleScopeTagIds: z.array(z.string().regex(/^\d+$/, "must be a numeric scope tag id")).default(["0"]),
};

/** The keys every policy has (identity, assignments, adoption): the others say what the policy sets. */
export type CommonPolicyKey = keyof typeof common;

// ---- WSL ----------------------------------------------------------------------------------------

export const networkingModes = ["none", "nat", "mirrored", "virtioProxy"] as const;

/** The seven `.wslconfig` keys policy can lock; `false` = the user's value is ignored (setting Disabled). */
export const wslconfigLocksSchema = z.strictObject({
  customKernel: z.boolean().optional(),
  kernelCommandLine: z.boolean().optional(),
  systemDistro: z.boolean().optional(),
  nestedVirtualization: z.boolean().optional(),
  kernelDebugging: z.boolean().optional(),
  networkingMode: z.boolean().optional(),
  firewall: z.boolean().optional(),
});

export const wslPolicySchema = z.strictObject({
  kind: z.literal("wslPolicy"),
  ...common,
  /** AllowWSL: false blocks every distribution for every user. */
  wsl: z.boolean().optional(),
  /** AllowInboxWSL: false disables the inbox (optional-component) WSL; Store WSL keeps working. */
  inboxWsl: z.boolean().optional(),
  /** AllowWSL1: false allows only WSL 2 distributions. */
  wsl1: z.boolean().optional(),
  /** AllowDebugShell. */
  debugShell: z.boolean().optional(),
  /** AllowDiskMount (`wsl --mount`). */
  diskMount: z.boolean().optional(),
  /** Whether users may set these `.wslconfig` keys themselves. */
  wslconfig: wslconfigLocksSchema.optional(),
  /** DefaultNetworkingMode: the mode used when the user sets none (`wslv3` definitions). */
  defaultNetworkingMode: z.enum(networkingModes).optional(),
});

// ---- Hyper-V firewall for the WSL VM creator ---------------------------------------------------

export const firewallProfileSchema = z.strictObject({
  enabled: z.boolean(),
  defaultInbound: z.enum(["allow", "block"]).optional(),
  defaultOutbound: z.enum(["allow", "block"]).optional(),
  allowLocalPolicyMerge: z.boolean().optional(),
});

export const protocolNames = ["tcp", "udp", "icmpv4", "icmpv6", "any"] as const;
const protocolMessage = `must be a protocol name (${protocolNames.join(", ")}) or an IANA protocol number 0-255`;
const portMessage = "must be a port 0-65535 or a range like 3000-3100";
/** A port or `low-high`; a port over 65535 or a range running backwards would only fail on the device. */
const portRange = z
  .string()
  .regex(/^\d{1,5}(-\d{1,5})?$/, portMessage)
  .refine((text) => {
    const [low, high = low] = text.split("-").map(Number) as [number, number?];
    return low <= 65535 && high <= 65535 && low <= high;
  }, portMessage);
const addressRange = z.string().trim().min(1, "must not be empty");

export const hyperVRuleSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .regex(/^[^|/]*$/, "must not contain '/' or '|' (Firewall CSP rule name)"),
  direction: z.enum(["in", "out"]),
  action: z.enum(["allow", "block"]),
  /** By name, or an IANA protocol number 0–255. */
  protocol: z
    .union([
      z.enum(protocolNames, { error: protocolMessage }),
      z.number({ error: protocolMessage }).int(protocolMessage).min(0, protocolMessage).max(255, protocolMessage),
    ])
    .optional(),
  localPorts: z.array(portRange).optional(),
  remotePorts: z.array(portRange).optional(),
  localAddresses: z.array(addressRange).optional(),
  remoteAddresses: z.array(addressRange).optional(),
  profiles: z
    .array(z.enum(["domain", "private", "public", "all"]))
    .min(1)
    .optional(),
  priority: z.number().int().min(0).max(65535).optional(),
  /** Defaults to true: the CSP disables a rule whose Enabled is not sent. */
  enabled: z.boolean().default(true),
});

/**
 * Where a Hyper-V firewall policy lives in Intune: a plain Settings Catalog policy (Devices › Configuration)
 * or one made from an Endpoint security firewall template (Endpoint security › Firewall), which is where
 * admins look for it and how every portal-made one is built (src/catalog/endpoint-security-templates.ts).
 */
export const hyperVFirewallForms = ["settingsCatalog", "endpointSecurity"] as const;

export const hyperVFirewallSchema = z.strictObject({
  kind: z.literal("hyperVFirewall"),
  ...common,
  form: z.enum(hyperVFirewallForms).default("settingsCatalog"),
  profiles: z
    .strictObject({
      domain: firewallProfileSchema.optional(),
      private: firewallProfileSchema.optional(),
      public: firewallProfileSchema.optional(),
    })
    .optional(),
  loopback: z.boolean().optional(),
  hostPolicyMerge: z.boolean().optional(),
  rules: z.array(hyperVRuleSchema).max(100).default([]),
});

// ---- Packages (MSI files the stack uploads) -----------------------------------------------------

/**
 * An MSI the stack packs and uploads, pinned by its SHA-256 so that a run never uploads another file
 * than the one reviewed. `file` is relative to the policies directory.
 */
export const msiPackageSchema = z.strictObject({
  file: z
    .string()
    .trim()
    .regex(/\.msi$/i, "must name an .msi file (relative to the policies directory)")
    .refine(
      (f) => !/^([a-zA-Z]:)?[\\/]/.test(f) && !f.split(/[\\/]/).includes(".."),
      "must be a path inside the policies directory",
    ),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be the file's SHA-256 as 64 hex digits (wslpolicy package inspect prints it)"),
});

/** The Intune WSL plug-in (a Win32 app) that evaluates `wslDistributions` on devices. */
export const intuneWslPluginSchema = z.strictObject({
  /** Policy id of the app the stack deploys; compliance policies naming the same id share it. */
  id: policyIdSchema.default("intune-wsl-plugin"),
  displayName: z.string().trim().min(1).max(200).default("Intune WSL Plugin"),
  ...msiPackageSchema.shape,
});

// ---- Defender for Endpoint plug-in for WSL rollout ---------------------------------------------

const isoDateTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO 8601 date-time, e.g. 2026-12-01T08:00:00Z",
});

const percent = z.number().min(0, "must be a percentage 0-100").max(100, "must be a percentage 0-100");

/**
 * A health gate on the ring before: this ring is assigned only once the app's install report
 * (getAppStatusOverviewReport) passes every condition set, after the soak time.
 */
export const ringGateSchema = z.strictObject({
  /** Devices that must report a state (installed, failed, pending or not installed). */
  minDevicesReporting: z.number().int().min(0).optional(),
  /** Installed devices, as a percentage of those reporting, at least. */
  minInstalledPercent: percent.optional(),
  /** Failed devices, as a percentage of those reporting, at most. */
  maxFailedPercent: percent.optional(),
  /** Hours to wait after the previous ring's deadline. */
  soakHours: z.number().min(0).optional(),
});

export const rolloutRingSchema = z
  .strictObject({
    target: z.union([
      z.strictObject({ kind: z.literal("group"), name: z.string().min(1) }),
      z.strictObject({ kind: z.literal("groupId"), id: guid }),
      z.looseObject({ kind: z.literal("ring"), name: z.string().min(1) }),
    ]),
    /** When the app becomes available to the ring. */
    start: isoDateTime.optional(),
    /** Install deadline for the ring. */
    deadline: isoDateTime.optional(),
    /** Health gate on the ring before this one. */
    gate: ringGateSchema.optional(),
  })
  .superRefine((r, ctx) => {
    // Compared as instants, so offsets in either value are honoured.
    if (r.start !== undefined && r.deadline !== undefined && Date.parse(r.deadline) < Date.parse(r.start)) {
      ctx.addIssue({
        code: "custom",
        path: ["deadline"],
        message: `must not be before start (${r.start})`,
        input: r.deadline,
      });
    }
  });

export const defenderPluginRolloutSchema = z.strictObject({
  kind: z.literal("defenderPluginRollout"),
  ...common,
  assignments: assignmentsSchema.default({ include: [], exclude: [] }),
  /** The MSI from the Defender portal; product code, version and publisher are read from it. */
  package: msiPackageSchema,
  notifications: z.enum(["showAll", "showReboot", "hideAll"]).default("showReboot"),
  useLocalTime: z.boolean().default(false),
  rings: z
    .array(rolloutRingSchema)
    .min(1, "needs at least one ring")
    .superRefine((rings, ctx) => {
      if (rings[0]?.gate)
        ctx.addIssue({
          code: "custom",
          path: [0, "gate"],
          message: "the first ring has no ring before it to gate on",
          input: rings[0].gate,
        });
      rings.forEach((r, i) => {
        if (i > 0 && r.gate?.soakHours !== undefined && rings[i - 1]!.deadline === undefined) {
          ctx.addIssue({
            code: "custom",
            path: [i, "gate", "soakHours"],
            message: "soaks after the previous ring's deadline, which it does not have",
            input: r.gate.soakHours,
          });
        }
      });
    }),
});

// ---- WSL compliance ---------------------------------------------------------------------------

export const wslComplianceSchema = z.strictObject({
  kind: z.literal("wslCompliance"),
  ...common,
  /** Allowed distributions; a device running any other is non-compliant. Empty = everything allowed. */
  distributions: z
    .array(
      z.strictObject({
        distribution: z.string().trim().min(1, "must not be empty"),
        minimumOSVersion: z.string().trim().min(1).optional(),
        maximumOSVersion: z.string().trim().min(1).optional(),
      }),
    )
    .min(1, "list at least one allowed distribution"),
  /** Hours before a non-compliant device is marked non-compliant. */
  gracePeriodHours: z.number().int().min(0).max(8760).default(0),
  /**
   * The Intune WSL plug-in installer: deployed required to this policy's targets, because Intune evaluates
   * `wslDistributions` only on devices that run it (MicrosoftDocs/memdocs: intune/device-security/compliance/wsl.md).
   */
  plugin: intuneWslPluginSchema.optional(),
  /** The other Windows compliance rules (BitLocker, Secure Boot, password …); one left out is not configured. */
  rules: complianceRulesSchema.default({}),
});

// ---- Any other Settings Catalog settings ------------------------------------------------------

export interface RawSetting {
  id: string;
  /** Option id (choice), string or integer (simple). */
  value?: string | number;
  /** Simple collection values or choice-collection option ids. */
  values?: (string | number)[];
  /** Child settings under the chosen option (choice) or inside the group (group collection, one entry each). */
  children?: RawSetting[];
  /** Group collections: one array of child settings per entry. */
  groups?: RawSetting[][];
}

export const rawSettingSchema: z.ZodType<RawSetting> = z.lazy(() =>
  z.strictObject({
    id: z.string().min(1),
    value: z.union([z.string(), z.number().int()]).optional(),
    values: z.array(z.union([z.string(), z.number().int()])).optional(),
    children: z.array(rawSettingSchema).optional(),
    groups: z.array(z.array(rawSettingSchema)).optional(),
  }),
) as z.ZodType<RawSetting>;

export const settingsCatalogPolicySchema = z.strictObject({
  kind: z.literal("settingsCatalogPolicy"),
  ...common,
  platforms: z.literal("windows10").default("windows10"),
  technologies: z.string().default("mdm"),
  settings: z.array(rawSettingSchema).min(1, "list at least one setting"),
});

// ---- Inside WSL: cloud-init provisioning input and per-user WSL settings (delivered by scripts) ----

const linuxUser = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_-]{0,31}$/,
    "must be a Linux user name: lowercase letters, digits, '_' or '-', starting with a letter or '_'",
  );

/** Which user-data file the WSL datasource picks (cloud-init doc/rtd/reference/datasources/wsl.rst lookup order). */
export const distributionTargetSchema = z.union([
  z.literal("ubuntu-all"),
  z.strictObject({ release: z.string().regex(/^\d{2}\.\d{2}$/, "must be an Ubuntu release like 24.04") }),
  z.strictObject({
    instance: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be a WSL instance name like Ubuntu-24.04"),
  }),
]);

/**
 * Where a secret comes from at apply time: an environment variable of the process that applies (the
 * Pulumi provider host). A policy file never holds the value.
 */
const secretFromSchema = z.strictObject(
  { env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name (A-Z, 0-9, _)") },
  { error: 'must be { env: "NAME" }: the value itself never goes in a policy file' },
);

export const distroProvisioningSchema = z.strictObject({
  kind: z.literal("distroProvisioning"),
  ...common,
  distributions: distributionTargetSchema.default("ubuntu-all"),
  packages: z
    .strictObject({
      update: z.boolean().default(true),
      upgrade: z.boolean().default(false),
      install: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, "must be a Debian package name")).default([]),
    })
    .default({ update: true, upgrade: false, install: [] }),
  defaultUser: z
    .strictObject({
      name: linuxUser,
      sudo: z.enum(["nopasswd", "none"]).default("nopasswd"),
      groups: z.array(z.string().regex(/^[a-z_][a-z0-9_-]*$/, "must be a group name")).default(["users"]),
      shell: z
        .string()
        .regex(/^\/[\w/.-]+$/, "must be an absolute path")
        .default("/bin/bash"),
      sshKeys: z
        .array(
          z
            .string()
            .regex(
              /^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( \S.*)?$/,
              "must be an OpenSSH public key line",
            ),
        )
        .default([]),
    })
    .optional(),
  /** false: root's password locked, its shell nologin, root SSH keys refused. */
  rootLogin: z.literal(false, { error: "can only be false (leave it out to keep the image's default)" }).optional(),
  ssh: z
    .strictObject({
      maxAuthTries: z.number().int().min(1).max(10).optional(),
      permitRootLogin: z.literal(false).optional(),
      permitEmptyPasswords: z.literal(false).optional(),
      passwordAuthentication: z.boolean().optional(),
      allowUsers: z.array(linuxUser).min(1).optional(),
    })
    .optional(),
  wslConf: z.strictObject({ interop: z.boolean().optional(), defaultUser: z.boolean().optional() }).optional(),
  /** Ubuntu Pro attach (cloud-init `ubuntu_pro`); the token is read from the environment at apply time. */
  ubuntuPro: z.strictObject({ tokenFrom: secretFromSchema }).optional(),
  /** Landscape client registration (cloud-init `landscape.client`); the registration key, if any, as the Pro token. */
  landscape: z
    .strictObject({
      accountName: z.string().min(1),
      computerTitle: z.string().min(1),
      url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
      pingUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
      tags: z
        .array(
          z.string().regex(/^[-_0-9a-zA-Z]+$/, "must be letters, digits, '-' or '_' (cloud-init cc_landscape tags)"),
        )
        .min(1)
        .optional(),
      registrationKeyFrom: secretFromSchema.optional(),
    })
    .optional(),
  /** Replace a user's own file of the same name (one without wslpolicy's header line); the plan says so. */
  overwriteUserFile: z.boolean().default(false),
});

export const wslUserSettingsSchema = z.strictObject({
  kind: z.literal("wslUserSettings"),
  ...common,
  /** `.wslconfig` `[wsl2] dnsTunneling` (WSL's default is true). */
  dnsTunneling: z.boolean().optional(),
  /** `.wslconfig` `[wsl2] autoProxy` (WSL's default is true). */
  autoProxy: z.boolean().optional(),
  /** HKCU Lxss DefaultVersion. */
  defaultVersion: z.literal(2, { error: "can only be 2 (WSL 1 has no systemd, so no cloud-init)" }).optional(),
  /** remediation: scheduled detection + repair (needs Remediations licences); platformScript: runs once. */
  delivery: z.enum(["remediation", "platformScript"]).default("remediation"),
  /** Remediations only: how often detection runs. */
  schedule: z
    .union([
      z.strictObject({ everyHours: z.number().int().min(1).max(23) }),
      z.strictObject({ dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM") }),
    ])
    .default({ everyHours: 1 }),
});

// ---- Union -----------------------------------------------------------------------------------

export const policySchema = z.discriminatedUnion("kind", [
  wslPolicySchema,
  hyperVFirewallSchema,
  defenderPluginRolloutSchema,
  wslComplianceSchema,
  settingsCatalogPolicySchema,
  distroProvisioningSchema,
  wslUserSettingsSchema,
]);

/** A validated policy, defaults applied. */
export type Policy = z.output<typeof policySchema>;
export type PolicyKind = Policy["kind"];
export type WslPolicy = z.output<typeof wslPolicySchema>;
export type HyperVFirewallPolicy = z.output<typeof hyperVFirewallSchema>;
export type DefenderPluginRollout = z.output<typeof defenderPluginRolloutSchema>;
export type WslCompliancePolicy = z.output<typeof wslComplianceSchema>;
export type MsiPackage = z.output<typeof msiPackageSchema>;
export type IntuneWslPlugin = z.output<typeof intuneWslPluginSchema>;
export type RingGatePolicy = z.output<typeof ringGateSchema>;
export type SettingsCatalogPolicy = z.output<typeof settingsCatalogPolicySchema>;
export type DistroProvisioning = z.output<typeof distroProvisioningSchema>;
export type WslUserSettings = z.output<typeof wslUserSettingsSchema>;

/** A policy as loaded from a file: where it came from and under which export name. */
export interface LoadedPolicy {
  policy: Policy;
  /** Relative to the policies directory, `/`-separated. */
  file: string;
  exportName: string;
}
