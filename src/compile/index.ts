// The compiler stage: policies → Graph documents (compile.ts), the catalog check, conflicts, guardrails.
export { stableStringify } from "./canonical-json";
export { checkAgainstCatalog, type CatalogProblem } from "./check-against-catalog";
export {
  GUARDRAIL_RULES,
  runGuardrails,
  unknownGuardrailIds,
  type GuardrailRule,
  type GuardrailFinding,
  type GuardrailSeverity,
} from "./guardrails";
export { findSettingConflicts, conflictDiagnostics, type SettingConflict } from "./conflicts";
export * from "./compile";
// The compiler's tables import reads back through, so the two cannot disagree.
export { ACTION_SUFFIX, PROFILE_ORDER, PROFILE_SUFFIX, PROTOCOL_NUMBERS, RULE_ACTION_SUFFIX } from "./hyperv-firewall";
export { rawSettings } from "./raw-settings";
export { WSL_SWITCHES, WSLCONFIG_LOCKS, type EveryKeyCompiled } from "./wsl-policy";
export * from "./rollout-gates";
