// A finding about policy files: a validation error, a guardrail violation or a warning. It always names
// the file and the field path, so `validate` output points at the line to change.

export type DiagnosticSeverity = "error" | "warning";

/**
 * A problem found before it is placed in a file: the compiler's per-policy problems, the catalog check's,
 * the guardrails'. `path` is relative to what was checked; the caller prefixes it and adds the file.
 */
export interface Finding {
  path: string;
  message: string;
}

export interface Diagnostic extends Finding {
  severity: DiagnosticSeverity;
  /** Policy file relative to the policies directory, `/`-separated (or the stack file for config errors). */
  file: string;
  /** Field path inside the file's exported policy, e.g. `developers.hyperVFirewall.rules[1].protocol`. */
  path: string;
  /** Guardrail rule id when the finding comes from a rule (e.g. `wsl1-not-disabled`). */
  rule?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? `${d.file}: ${d.path}` : d.file;
  return `${d.severity}: ${where}: ${d.message}${d.rule ? ` [${d.rule}]` : ""}`;
}
