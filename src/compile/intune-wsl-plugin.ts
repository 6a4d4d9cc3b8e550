// The Intune WSL plug-in as a Win32 app, deployed required to every target of the wslCompliance
// policies that name it: Intune evaluates `wslDistributions` only on devices that run it ("Add Intune WSL
// plugin as a Win32 app … leave Program and Detection rules as prepopulated … add users under Required",
// MicrosoftDocs/memdocs: intune/device-security/compliance/wsl.md). The prepopulated detection of an MSI
// is its product code; with `greaterThanOrEqual` the version, so a device with an older plug-in (another
// product code: each release has its own) gets the new one, a major upgrade of the old.
import { byText, type AssignmentIntent, type Diagnostic, type JsonObject, type PackageFacts } from "../model";
import type { IntuneWslPlugin, LoadedPolicy, WslCompliancePolicy } from "../policy";
import { assignmentIntents } from "./assignment-intents";
import { win32AppDocument } from "./win32-app";

export interface PluginDeployment {
  plugin: IntuneWslPlugin;
  /** The compliance policies that name it, in policy-id order. */
  users: LoadedPolicy[];
}

function detection(pkg: PackageFacts): JsonObject {
  return {
    "@odata.type": "#microsoft.graph.win32LobAppProductCodeRule",
    ruleType: "detection",
    productCode: pkg.productCode,
    productVersionOperator: "greaterThanOrEqual",
    productVersion: pkg.productVersion,
  };
}

export function intuneWslPluginDocument(plugin: IntuneWslPlugin, description: string, pkg: PackageFacts): JsonObject {
  return win32AppDocument({
    displayName: plugin.displayName,
    description,
    roleScopeTagIds: ["0"],
    pkg,
    rule: detection(pkg),
    // The plug-in MSI refuses anything but x64 (LaunchCondition VersionNT64, release v1.25.04.0 "blocking
    // installation on ARM devices"); the WSL plug-in API needs a current Windows 10/11.
    minimumSupportedWindowsRelease: "Windows10_21H2",
    allowedArchitectures: "x64",
  });
}

/** Required assignments to every include target of the policies using the plug-in, each target once. */
export function intuneWslPluginIntents(users: readonly LoadedPolicy[]): AssignmentIntent[] {
  const byKey = new Map<string, AssignmentIntent>();
  for (const { policy } of users) {
    for (const intent of assignmentIntents(policy.assignments)) {
      if (intent.exclude) continue;
      const app: AssignmentIntent = { ...intent, app: { intent: "required", notifications: "showAll" } };
      byKey.set(JSON.stringify([intent.target, intent.filter ?? null]), app);
    }
  }
  return [...byKey.entries()].sort(byText(([k]) => k)).map(([, v]) => v);
}

/** Plug-in deployments by id; two different declarations under one id are an error. */
export function collectPluginDeployments(policies: readonly LoadedPolicy[]): {
  deployments: PluginDeployment[];
  diagnostics: Diagnostic[];
} {
  const byId = new Map<string, PluginDeployment>();
  const diagnostics: Diagnostic[] = [];
  for (const loaded of policies) {
    if (loaded.policy.kind !== "wslCompliance") continue;
    const policy: WslCompliancePolicy = loaded.policy;
    // A policy without a plug-in is the guardrail compliance-without-wsl-plugin's to report.
    if (!policy.plugin) continue;
    const existing = byId.get(policy.plugin.id);
    if (!existing) {
      byId.set(policy.plugin.id, { plugin: policy.plugin, users: [loaded] });
      continue;
    }
    const same =
      existing.plugin.file === policy.plugin.file &&
      existing.plugin.sha256.toLowerCase() === policy.plugin.sha256.toLowerCase() &&
      existing.plugin.displayName === policy.plugin.displayName;
    if (!same) {
      const first = existing.users[0]!;
      diagnostics.push({
        code: "plugin-conflict",
        severity: "error",
        file: loaded.file,
        path: `${loaded.exportName}.plugin`,
        message: `plug-in '${policy.plugin.id}' is declared differently in ${first.file} (${first.exportName}.plugin); share one intuneWslPlugin(...) value`,
      });
      continue;
    }
    existing.users.push(loaded);
  }
  return { deployments: [...byId.values()].sort(byText((d) => d.plugin.id)), diagnostics };
}
