// The compiler: loaded policies → desired state (whole Graph documents + assignment intents + ring
// groups) and diagnostics. Pure and deterministic: no I/O, no clock; policies are processed in policy-id
// order, so the same policies in any file order give the same bytes. When any diagnostic is an error,
// `desired` is incomplete (objects with errors are left out) and must not be planned or applied.
import { pinnedCatalog } from "../catalog";
import { KINDS } from "../kinds";
import {
  compareText,
  STACK_NAME,
  withMarker,
  type AssignmentIntent,
  type DesiredObject,
  type DesiredState,
  type Diagnostic,
  type Finding,
  type JsonObject,
  type ObjectKind,
  type ContentRef,
  type PackageFacts,
  type RolloutPlan,
} from "../model";
import type { LoadedPolicy, Policy } from "../policy";
import { assignmentIntents } from "./assignment-intents";
import { checkAgainstCatalog } from "./check-against-catalog";
import { configurationPolicyDocument } from "./configuration-policy";
import { conflictDiagnostics, findSettingConflicts } from "./conflicts";
import {
  defenderPluginDocument,
  defenderPluginIntents,
  defenderPluginRingUses,
  defenderPluginRolloutPlan,
} from "./defender-plugin";
import { duplicateAdopts } from "./duplicate-adopts";
import { runGuardrails, unknownGuardrailIds, type GuardrailSeverity } from "./guardrails";
import { hyperVFirewallSettings } from "./hyperv-firewall";
import { collectPluginDeployments, intuneWslPluginDocument, intuneWslPluginIntents } from "./intune-wsl-plugin";
import { distroProvisioningCompiled, wslUserSettingsCompiled } from "./inside-wsl";
import { rawSettings } from "./raw-settings";
import { collectRings, ringUseOf, type RingUse } from "./rings";
import { wslComplianceDocument } from "./wsl-compliance";
import { wslPolicySettings } from "./wsl-policy";

export interface CompileOptions {
  stack: string;
  /** Guardrail rule id → severity, from the stack config; rules not listed use their default. */
  guardrails?: Record<string, GuardrailSeverity>;
  /**
   * What each MSI the policies name says about itself, by the file as the policy names it (read at the
   * edge: src/project/packages.ts). An app whose MSI is not here is an error.
   */
  packages?: ReadonlyMap<string, PackageFacts>;
}

export interface CompileResult {
  desired: DesiredState;
  diagnostics: Diagnostic[];
}

interface Compiled {
  kind: ObjectKind;
  document: JsonObject;
  assignments: AssignmentIntent[];
  problems: Finding[];
  content?: ContentRef;
  rollout?: RolloutPlan;
  /** What the compiled object cannot do, said by `validate` as warnings. */
  limits?: Finding[];
}

/** The facts of an MSI a policy names, or a problem at `path` when it was not read. */
function packageFacts(
  packages: ReadonlyMap<string, PackageFacts> | undefined,
  file: string,
  path: string,
): { pkg?: PackageFacts; problems: Finding[] } {
  const pkg = packages?.get(file);
  return pkg
    ? { pkg, problems: [] }
    : {
        problems: [
          {
            code: "package-missing",
            path,
            message: `the MSI '${file}' was not read; compile reads package files through the project build (wslpolicy validate/compile/plan)`,
          },
        ],
      };
}

function compilePolicy(policy: Policy, stack: string, packages?: ReadonlyMap<string, PackageFacts>): Compiled {
  const description = withMarker(policy.description, { stack, policyId: policy.id });
  const configurationPolicy = (
    settings: JsonObject[],
    problems: Finding[],
    technologies = "mdm",
    templateId?: string,
  ): Compiled => {
    if (settings.length === 0 && problems.length === 0) {
      problems.push({
        code: "policy-empty",
        path: "",
        message:
          "configures no setting; a Settings Catalog policy needs at least one (a key left out means not configured)",
      });
    }
    return {
      kind: "configurationPolicy",
      document: configurationPolicyDocument({
        name: policy.displayName,
        description,
        technologies,
        roleScopeTagIds: policy.roleScopeTagIds,
        settings,
        templateId,
      }),
      assignments: assignmentIntents(policy.assignments),
      problems,
    };
  };
  switch (policy.kind) {
    case "wslPolicy":
      return configurationPolicy(wslPolicySettings(policy), []);
    case "hyperVFirewall": {
      const { settings, problems, template } = hyperVFirewallSettings(policy);
      return configurationPolicy(settings, problems, template?.technologies, template?.templateId);
    }
    case "settingsCatalogPolicy": {
      const { settings, problems } = rawSettings(policy.settings);
      return configurationPolicy(settings, problems, policy.technologies);
    }
    case "wslCompliance":
      return {
        kind: "compliancePolicy",
        document: wslComplianceDocument(policy, description),
        assignments: assignmentIntents(policy.assignments),
        problems: [],
      };
    case "defenderPluginRollout": {
      const { pkg, problems } = packageFacts(packages, policy.package.file, "package.file");
      if (!pkg) return { kind: "mobileApp", document: {}, assignments: [], problems };
      return {
        kind: "mobileApp",
        document: defenderPluginDocument(policy, description, pkg),
        assignments: defenderPluginIntents(policy),
        problems,
        content: { file: pkg.file, sha256: pkg.sha256 },
        rollout: defenderPluginRolloutPlan(policy),
      };
    }
    case "distroProvisioning":
      return distroProvisioningCompiled(policy, description, policy.id);
    case "wslUserSettings":
      return wslUserSettingsCompiled(policy, description);
  }
}

function ringUses(loaded: LoadedPolicy): RingUse[] {
  const { policy, file, exportName } = loaded;
  const uses: RingUse[] = [];
  policy.assignments.include.forEach((entry, i) => {
    const target = "target" in entry ? entry.target : entry;
    const path = `${exportName}.assignments.include[${i}]${"target" in entry ? ".target" : ""}`;
    if (target.kind === "ring") uses.push(ringUseOf(target, file, path));
  });
  policy.assignments.exclude.forEach((target, i) => {
    if (target.kind === "ring") uses.push(ringUseOf(target, file, `${exportName}.assignments.exclude[${i}]`));
  });
  if (policy.kind === "defenderPluginRollout") uses.push(...defenderPluginRingUses(policy, file, exportName));
  return uses;
}

export function compile(policies: LoadedPolicy[], options: CompileOptions): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const stack = options.stack;
  const stackFile = `stacks/Pulumi.${stack}.yaml`;
  if (!STACK_NAME.test(stack)) {
    diagnostics.push({
      code: "stack-invalid",
      severity: "error",
      file: stackFile,
      path: "",
      message: `'${stack}' is not a valid stack name (letters, digits, '-', '_', '.')`,
    });
    return { desired: { stack, objects: [], rings: [] }, diagnostics };
  }
  for (const id of unknownGuardrailIds(options.guardrails ?? {})) {
    diagnostics.push({
      code: "guardrail-unknown",
      severity: "error",
      file: stackFile,
      path: `config.wslpolicy:guardrails.${id}`,
      message: `unknown guardrail rule '${id}'`,
    });
  }

  const sorted = [...policies].sort(
    (a, b) =>
      compareText(a.policy.id, b.policy.id) || compareText(a.file, b.file) || compareText(a.exportName, b.exportName),
  );
  const objects: DesiredObject[] = [];
  const firstById = new Map<string, LoadedPolicy>();
  const exportNames = new Map<string, string>();
  const uses: RingUse[] = [];

  for (const loaded of sorted) {
    const { policy, file, exportName } = loaded;
    const first = firstById.get(policy.id);
    if (first) {
      diagnostics.push({
        code: "duplicate-policy-id",
        severity: "error",
        file,
        path: `${exportName}.id`,
        message: `policy id '${policy.id}' is already used by ${first.file} (export '${first.exportName}'); ids must be unique`,
      });
      continue;
    }
    firstById.set(policy.id, loaded);
    if (policy.id === "manifest") {
      diagnostics.push({
        code: "reserved-policy-id",
        severity: "error",
        file,
        path: `${exportName}.id`,
        message: "policy id 'manifest' is reserved (compile writes manifest.json beside the documents)",
      });
      continue;
    }
    exportNames.set(policy.id, exportName);
    uses.push(...ringUses(loaded));

    let compiled: Compiled;
    try {
      compiled = compilePolicy(policy, stack, options.packages);
    } catch (err) {
      diagnostics.push({
        code: "internal-error",
        severity: "error",
        file,
        path: exportName,
        message: `internal compiler error: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    for (const p of compiled.problems)
      diagnostics.push({
        code: p.code ?? "policy-invalid",
        severity: "error",
        file,
        path: p.path ? `${exportName}.${p.path}` : exportName,
        message: p.message,
      });
    for (const p of compiled.limits ?? [])
      diagnostics.push({
        code: p.code ?? "platform-limit",
        severity: "warning",
        file,
        path: p.path ? `${exportName}.${p.path}` : exportName,
        message: p.message,
      });
    if (compiled.problems.length > 0) continue;
    if (KINDS[compiled.kind].settingsCatalog) {
      const catalogProblems = checkAgainstCatalog(compiled.document.settings, pinnedCatalog);
      for (const p of catalogProblems) {
        diagnostics.push({
          code: "internal-error",
          severity: "error",
          file,
          path: exportName,
          message: `internal compiler error: emitted ${p.path} fails the catalog check: ${p.message}`,
        });
      }
      if (catalogProblems.length > 0) continue;
    }
    const object: DesiredObject = {
      kind: compiled.kind,
      policyId: policy.id,
      resourceName: policy.id,
      displayName: policy.displayName,
      sourceFile: file,
      document: compiled.document,
      assignments: compiled.assignments,
    };
    if (policy.adopt !== undefined) object.adoptId = policy.adopt.toLowerCase();
    if (compiled.content) object.content = compiled.content;
    if (compiled.rollout) object.rollout = compiled.rollout;
    objects.push(object);
  }

  // The Intune WSL plug-in: one app per plug-in id, required wherever a compliance policy naming it applies.
  const plugins = collectPluginDeployments(sorted.filter((l) => firstById.get(l.policy.id) === l));
  diagnostics.push(...plugins.diagnostics);
  for (const { plugin, users } of plugins.deployments) {
    const first = users[0]!;
    const path = `${first.exportName}.plugin`;
    const clash = firstById.get(plugin.id);
    if (clash) {
      diagnostics.push({
        code: "duplicate-policy-id",
        severity: "error",
        file: first.file,
        path: `${path}.id`,
        message: `plug-in id '${plugin.id}' is already the id of policy '${clash.exportName}' in ${clash.file}; ids must be unique`,
      });
      continue;
    }
    const { pkg, problems } = packageFacts(options.packages, plugin.file, "file");
    if (!pkg) {
      for (const p of problems)
        diagnostics.push({
          code: p.code ?? "package-missing",
          severity: "error",
          file: first.file,
          path: `${path}.${p.path}`,
          message: p.message,
        });
      continue;
    }
    objects.push({
      kind: "mobileApp",
      policyId: plugin.id,
      resourceName: plugin.id,
      displayName: plugin.displayName,
      sourceFile: first.file,
      document: intuneWslPluginDocument(
        plugin,
        withMarker(`Evaluates wslDistributions for ${users.map((u) => u.policy.id).join(", ")}.`, {
          stack,
          policyId: plugin.id,
        }),
        pkg,
      ),
      assignments: intuneWslPluginIntents(users),
      content: { file: pkg.file, sha256: pkg.sha256 },
      provides: "intuneWslPlugin",
    });
  }

  const rings = collectRings(uses);
  diagnostics.push(...rings.diagnostics);
  const desired: DesiredState = { stack, objects, rings: rings.rings };
  diagnostics.push(...duplicateAdopts(objects, exportNames));
  diagnostics.push(...conflictDiagnostics(findSettingConflicts(objects), exportNames));
  diagnostics.push(...runGuardrails(desired, options.guardrails ?? {}, exportNames));

  const order = (d: Diagnostic) => (d.severity === "error" ? 0 : 1);
  diagnostics.sort(
    (a, b) =>
      order(a) - order(b) ||
      compareText(a.file, b.file) ||
      compareText(a.path, b.path) ||
      compareText(a.message, b.message),
  );
  return { desired, diagnostics };
}
