// From a policies directory to the desired state: load and validate every policy file, then compile.
// The one entry point shared by `validate`, `compile`, `plan`/`drift` and the Pulumi program, so they all
// see the same objects and the same diagnostics. Load errors stop here: nothing half-valid is compiled.
import { compile } from "../compile";
import type { Severity } from "../config";
import type { Diagnostic } from "../model";
import type { DesiredState } from "../model";
import { loadPolicyDirectory } from "../policy/loader";
import type { LoadedPolicy } from "../policy";
import { packageKey, readPolicyPackages } from "./packages";
import { withSecretFingerprints } from "./secrets";

export interface BuildOptions {
  policiesDir: string;
  stack: string;
  /** Guardrail rule id → severity, from the stack file's `wslpolicy:guardrails`. */
  guardrails?: Record<string, Severity>;
  /** Where secrets named by policies are read from (`tokenFrom: { env }`); without it they stay unresolved. */
  secretEnv?: Readonly<Record<string, string | undefined>>;
}

export interface BuildResult {
  desired: DesiredState;
  /** Load diagnostics first, then the compiler's (guardrails, conflicts, catalog checks). */
  diagnostics: Diagnostic[];
  /** False when any diagnostic is an error; `desired` must then not be written or applied. */
  ok: boolean;
  /** The validated policies (empty when loading failed). */
  policies: LoadedPolicy[];
}

export async function buildDesiredState(opts: BuildOptions): Promise<BuildResult> {
  const loaded = await loadPolicyDirectory(opts.policiesDir);
  if (hasErrors(loaded.diagnostics)) {
    return {
      desired: { stack: opts.stack, objects: [], rings: [] },
      diagnostics: loaded.diagnostics,
      ok: false,
      policies: loaded.policies,
    };
  }
  // MSI files are read and checked against their pinned SHA-256 before anything is compiled.
  const read = await readPolicyPackages(loaded.policies, opts.policiesDir);
  if (hasErrors(read.diagnostics)) {
    return {
      desired: { stack: opts.stack, objects: [], rings: [] },
      diagnostics: [...loaded.diagnostics, ...read.diagnostics],
      ok: false,
      policies: loaded.policies,
    };
  }
  const policies = loaded.policies.map((l) => normalisePackagePaths(l));
  const compiled = compile(policies, {
    stack: opts.stack,
    packages: read.packages,
    ...(opts.guardrails ? { guardrails: opts.guardrails } : {}),
  });
  const secrets = opts.secretEnv ? withSecretFingerprints(compiled.desired, opts.secretEnv) : undefined;
  const diagnostics = [...loaded.diagnostics, ...compiled.diagnostics, ...(secrets?.diagnostics ?? [])];
  const desired = secrets?.desired ?? compiled.desired;
  return { desired, diagnostics, ok: !hasErrors(diagnostics), policies: loaded.policies };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Package paths in the compiler's spelling (`/`), so lookups match however the policy wrote them. */
function normalisePackagePaths(l: LoadedPolicy): LoadedPolicy {
  const p = l.policy;
  if (p.kind === "defenderPluginRollout")
    return { ...l, policy: { ...p, package: { ...p.package, file: packageKey(p.package.file) } } };
  if (p.kind === "wslCompliance" && p.plugin)
    return { ...l, policy: { ...p, plugin: { ...p.plugin, file: packageKey(p.plugin.file) } } };
  return l;
}
