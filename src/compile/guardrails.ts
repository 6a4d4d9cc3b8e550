// Built-in guardrail rules. Each works on the COMPILED desired state only (documents and assignment
// intents), never on policy source, because the Pulumi policy pack re-runs the same rules on resource
// inputs. Severity comes from the stack config (`wslpolicy:guardrails`); "off" disables a rule.
import { KINDS } from "../kinds";
import { settingIds } from "../catalog";
import type { DesiredObject, DesiredState, Diagnostic, DiagnosticSeverity, Finding } from "../model";
import {
  DEFENDER_PLUGIN_KIND,
  describeTargetKey,
  walkDocument,
  isDefenderPlugin,
  targetKey,
  type WalkedSetting,
  type TargetKey,
} from "../intune";

export type GuardrailSeverity = DiagnosticSeverity | "off";

export interface GuardrailFinding extends Finding {
  policyId: string;
  /** Field path in the policy, e.g. `assignments.include[0]`. */
  path: string;
}

export interface GuardrailRule {
  id: string;
  rationale: string;
  defaultSeverity: DiagnosticSeverity;
  check(desired: DesiredState): GuardrailFinding[];
}

const WSL_PREFIX = /^device_vendor_msft_policy_config_wslv\d+~policy~wsl_/;

function flatOf(object: DesiredObject): readonly WalkedSetting[] {
  return KINDS[object.kind].settingsCatalog ? walkDocument(object.document) : [];
}

/** A configuration policy that configures WSL and does not disable it (not configured = allowed). */
function allowsWsl(flat: readonly WalkedSetting[]): boolean {
  if (!flat.some((f) => WSL_PREFIX.test(f.leaf.definitionId))) return false;
  const allow = flat.find((f) => f.path === settingIds.wsl.allowWsl);
  return !(allow?.leaf.type === "choice" && allow.leaf.value === `${settingIds.wsl.allowWsl}_0`);
}

/** Include intents that are not ring rollouts, with their index in the policy's `assignments.include`. */
function plainIncludes(object: DesiredObject) {
  return object.assignments
    .filter((a) => !a.exclude && a.ring === undefined)
    .map((intent, index) => ({ intent, index }));
}

/** Runs `check` on every desired object and stamps its findings with the object's policy id. */
function findingsPerObject(
  desired: DesiredState,
  check: (object: DesiredObject) => Array<Omit<GuardrailFinding, "policyId">>,
): GuardrailFinding[] {
  return desired.objects.flatMap((object) => check(object).map((f) => ({ policyId: object.policyId, ...f })));
}

const wsl1NotDisabled: GuardrailRule = {
  id: "wsl1-not-disabled",
  rationale:
    "WSL1 distros run outside the WSL2 VM, so the Defender plug-in and the Hyper-V firewall cannot see them; disable WSL1 wherever WSL is allowed.",
  defaultSeverity: "warning",
  check(desired) {
    return findingsPerObject(desired, (object) => {
      const flat = flatOf(object);
      if (!allowsWsl(flat)) return [];
      const wsl1 = flat.find((f) => f.path === settingIds.wsl.allowWsl1);
      if (wsl1?.leaf.type === "choice" && wsl1.leaf.value === `${settingIds.wsl.allowWsl1}_0`) return [];
      return [
        {
          path: "wsl1",
          message: `WSL is allowed but Allow WSL1 is ${wsl1 ? "Enabled" : "not configured (allowed)"}; set \`wsl1: false\``,
        },
      ];
    });
  },
};

const publicInboundAllow: GuardrailRule = {
  id: "public-inbound-allow",
  rationale: "A default inbound Allow on the public profile exposes every listening WSL service on untrusted networks.",
  defaultSeverity: "error",
  check(desired) {
    const id = settingIds.hyperVVm.profile("public").defaultInboundAction;
    return findingsPerObject(desired, (object) => {
      const hit = flatOf(object).some(
        (f) => f.leaf.definitionId === id && f.leaf.type === "choice" && f.leaf.value === `${id}_0`,
      );
      if (!hit) return [];
      return [
        {
          path: "profiles.public.defaultInbound",
          message:
            'the WSL Hyper-V firewall allows inbound traffic by default on the public profile; use `defaultInbound: "block"` and allow rules for what must be reachable',
        },
      ];
    });
  },
};

const broadAssignment: GuardrailRule = {
  id: "broad-assignment",
  rationale:
    "Assigning to all devices or all users reaches the whole fleet at once; it must be acknowledged with `broad: true`.",
  defaultSeverity: "error",
  check(desired) {
    return findingsPerObject(desired, (object) =>
      plainIncludes(object)
        .filter(
          ({ intent }) =>
            (intent.target.kind === "allDevices" || intent.target.kind === "allUsers") && intent.broad !== true,
        )
        .map(({ intent, index }) => ({
          path: `assignments.include[${index}]`,
          message: `assigns to ${describeTargetKey(targetKey(intent.target))} without \`broad: true\` in \`assignments\``,
        })),
    );
  },
};

/** Whether some app among `apps` deploys to a target (by key), directly or through all devices/users. */
function coveredBy(apps: readonly DesiredObject[]): (key: TargetKey) => boolean {
  const sets = apps.map((app) => ({
    include: new Set(app.assignments.filter((a) => !a.exclude).map((a) => targetKey(a.target))),
    exclude: new Set(app.assignments.filter((a) => a.exclude).map((a) => targetKey(a.target))),
  }));
  return (key) =>
    sets.some(
      (app) =>
        !app.exclude.has(key) &&
        (app.include.has(key) ||
          app.include.has("allDevices") ||
          (key !== "allDevices" && app.include.has("allUsers"))),
    );
}

/** The object's include targets that `covered` does not reach (its own exclusions left out). */
function uncoveredIncludes(
  object: DesiredObject,
  covered: (key: TargetKey) => boolean,
): Array<{ key: TargetKey; index: number }> {
  const excluded = new Set(object.assignments.filter((a) => a.exclude).map((a) => targetKey(a.target)));
  return plainIncludes(object)
    .map(({ intent, index }) => ({ key: targetKey(intent.target), index }))
    .filter(({ key }) => !excluded.has(key) && !covered(key));
}

const wslWithoutDefender: GuardrailRule = {
  id: "wsl-without-defender",
  rationale: "Where WSL is allowed, the Defender for Endpoint plug-in is the only EDR visibility into the Linux side.",
  defaultSeverity: "warning",
  check(desired) {
    const covered = coveredBy(
      desired.objects.filter((o) => o.kind === DEFENDER_PLUGIN_KIND && isDefenderPlugin(o.document)),
    );
    return findingsPerObject(desired, (object) => {
      if (!allowsWsl(flatOf(object))) return [];
      return uncoveredIncludes(object, covered).map(({ key, index }) => ({
        path: `assignments.include[${index}]`,
        message: `WSL is allowed for ${describeTargetKey(key)} but no defenderPluginRollout targets it; add it to a rollout ring`,
      }));
    });
  },
};

const complianceWithoutWslPlugin: GuardrailRule = {
  id: "compliance-without-wsl-plugin",
  rationale:
    "Intune evaluates wslDistributions only on devices running the Intune WSL plug-in (a Win32 app); without it a compliance policy never judges a distribution.",
  defaultSeverity: "error",
  check(desired) {
    const covered = coveredBy(desired.objects.filter((o) => o.provides === "intuneWslPlugin"));
    return findingsPerObject(desired, (object) => {
      const distributions = object.kind === "compliancePolicy" ? object.document.wslDistributions : undefined;
      if (!Array.isArray(distributions) || distributions.length === 0) return [];
      return uncoveredIncludes(object, covered).map(({ key, index }) => ({
        path: `assignments.include[${index}]`,
        message: `no Intune WSL plug-in deployment covers ${describeTargetKey(key)}, so wslDistributions is never evaluated there; name the installer with plugin: intuneWslPlugin({ file, sha256 })`,
      }));
    });
  },
};

export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  wsl1NotDisabled,
  publicInboundAllow,
  broadAssignment,
  wslWithoutDefender,
  complianceWithoutWslPlugin,
];

/** Rule ids in a severity map that no rule has (a typo in the stack file). */
export function unknownGuardrailIds(severities: Readonly<Record<string, GuardrailSeverity>>): string[] {
  const known = new Set(GUARDRAIL_RULES.map((r) => r.id));
  return Object.keys(severities)
    .filter((id) => !known.has(id))
    .sort();
}

/**
 * Runs every rule not switched off and turns findings into diagnostics on the policy's file. `exportNames`
 * (policy id → export name) prefixes paths the way validation errors are written.
 */
export function runGuardrails(
  desired: DesiredState,
  severities: Readonly<Record<string, GuardrailSeverity>> = {},
  exportNames: ReadonlyMap<string, string> = new Map(),
): Diagnostic[] {
  const files = new Map(desired.objects.map((o) => [o.policyId, o.sourceFile]));
  const diagnostics: Diagnostic[] = [];
  for (const rule of GUARDRAIL_RULES) {
    const severity = severities[rule.id] ?? rule.defaultSeverity;
    if (severity === "off") continue;
    for (const finding of rule.check(desired)) {
      const prefix = exportNames.get(finding.policyId);
      diagnostics.push({
        code: "guardrail",
        severity,
        file: files.get(finding.policyId) ?? finding.policyId,
        path: prefix ? `${prefix}.${finding.path}` : finding.path,
        message: finding.message,
        rule: rule.id,
      });
    }
  }
  return diagnostics;
}
