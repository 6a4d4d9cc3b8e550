// A finding about policy files: a validation error, a guardrail violation or a warning. It always names
// the file and the field path, so `validate` output points at the line to change, and it carries a stable
// `code` (one of DIAGNOSTIC_CODES, documented in docs/diagnostics.md) so scripts can match on the kind of
// problem without parsing the message, the way zod's issue codes and Terraform's diagnostics are used.

export type DiagnosticSeverity = "error" | "warning";

/**
 * Every diagnostic code and what it means: the closed list. `DiagnosticCode` is derived from its keys,
 * and test/model/diagnostic-codes.test.ts checks that docs/diagnostics.md lists exactly these. Codes are
 * stable kebab-case; a code is renamed or removed only as a breaking change.
 */
export const DIAGNOSTIC_CODES = {
  "policies-dir-unreadable": "the policies directory cannot be listed",
  "no-policy-files": "the policies directory has no *.ts policy file (warning)",
  "load-timeout-invalid": "WSLPOLICY_POLICY_TIMEOUT is not a number of seconds above 0",
  "syntax-error": "a policy file is not valid TypeScript",
  "load-failed": "a policy file could not be evaluated (it threw, imports something missing, or timed out)",
  "export-not-plain-data": "an export is not plain data (a function, a class instance, a cycle, a getter that threw)",
  "export-ignored": "an export has a `kind` that is not a policy kind, so it is ignored (warning)",
  "schema-invalid": "a policy does not match its schema: a missing, unknown or ill-typed field",
  "duplicate-policy-id": "two policies (or a policy and a plug-in) share an id",
  "reserved-policy-id": "a policy uses an id the compiler reserves (`manifest`)",
  "stack-invalid": "the stack name is not valid",
  "guardrail-unknown": "the stack file's `wslpolicy:guardrails` names a rule that does not exist",
  "policy-invalid": "a policy is well-formed but contradicts itself (e.g. ports on a non-TCP/UDP firewall rule)",
  "policy-empty": "a policy configures nothing",
  "catalog-unknown-setting": "a raw setting id is not in the pinned Settings Catalog",
  "catalog-misplaced-setting": "a raw setting sits somewhere the catalog does not put it (top level or parent)",
  "catalog-invalid-option": "a choice value is missing or is not an option of its setting",
  "catalog-invalid-value": "a raw setting's value has the wrong shape or type for its setting",
  "catalog-duplicate-setting": "a raw setting appears twice in the same place",
  "catalog-missing-setting": "a setting the catalog requires under its parent is missing",
  "platform-limit": "what the compiled object cannot do on the platform, said so it is not assumed (warning)",
  "package-missing": "an MSI a policy names is not in the policies directory (or was not read)",
  "package-sha256-mismatch": "an MSI's SHA-256 is not the one the policy pins",
  "package-unreadable": "an MSI a policy names cannot be read as an MSI",
  "plugin-conflict": "one plug-in id is declared with different files or names",
  "ring-conflict": "one ring is defined two ways, or two rings share a key",
  "ring-undefined": "a ring is referenced but never defined with members or a rule",
  "duplicate-adopt": "two policies adopt the same existing Intune object",
  "setting-conflict": "two policies set the same setting to different values for overlapping targets",
  guardrail: "a guardrail rule found a risky posture; `rule` names the rule",
  "secret-in-script":
    "a script carries a secret from the environment; Intune and the device keep the script readable (warning)",
  "secret-not-set": "a secret a script names is not in the environment, so it cannot be compared (warning)",
  "internal-error": "the compiler failed or emitted something its own check rejects (a bug to report)",
} as const satisfies Record<string, string>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * A problem found before it is placed in a file: the compiler's per-policy problems, the catalog check's,
 * the guardrails'. `path` is relative to what was checked; the caller prefixes it and adds the file.
 * `code` is the finding's own when it knows it; the caller supplies one otherwise.
 */
export interface Finding {
  path: string;
  message: string;
  code?: DiagnosticCode;
}

export interface Diagnostic extends Finding {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  /** Policy file relative to the policies directory, `/`-separated (or the stack file for config errors). */
  file: string;
  /** Field path inside the file's exported policy, e.g. `developers.hyperVFirewall.rules[1].protocol`. */
  path: string;
  /** Guardrail rule id when `code` is `guardrail` (e.g. `wsl1-not-disabled`), or the warning's id. */
  rule?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? `${d.file}: ${d.path}` : d.file;
  return `${d.severity}: ${where}: ${d.message}${d.rule ? ` [${d.rule}]` : ""}`;
}
