// Option ids the compiler emits, looked up in the pinned catalog rather than spelled from memory. A miss
// is a compiler bug (the named ids are pinned by test/catalog/setting-ids.test.ts), so it throws; the
// compiler turns a throw into an internal-error diagnostic for the policy.
import { pinnedCatalog } from "../catalog";

/** `<settingId>_<suffix>`, after checking the catalog says that option belongs to the setting. */
export function optionOf(settingId: string, suffix: string): string {
  const optionId = `${settingId}_${suffix}`;
  if (!pinnedCatalog.hasOption(settingId, optionId)) {
    throw new Error(`internal: option '${optionId}' is not an option of '${settingId}' in the pinned catalog`);
  }
  return optionId;
}

/** Boolean-like choices: ADMX settings use `_1`/`_0`, Firewall CSP bools use `_true`/`_false`. */
export function boolOption(settingId: string, value: boolean): string {
  const admx = `${settingId}_${value ? "1" : "0"}`;
  if (pinnedCatalog.hasOption(settingId, admx)) return admx;
  return optionOf(settingId, value ? "true" : "false");
}
