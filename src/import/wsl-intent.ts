// WSL settings of a live policy → the `wslPolicy` intent fields, the inverse of src/compile/wsl-policy.ts:
// option `_1` → true, `_0` → false, and the default networking mode
// parent set to Enabled with its dropdown child → `defaultNetworkingMode` (WslCoreConfig.h values, see
// src/catalog/setting-ids.ts). Anything else (another option, an extra child, a setting outside WSL, the
// networking parent set to Disabled) has no intent equivalent and is reported, so the caller falls back
// to raw settings.
import { settingIds } from "../catalog";
import { WSL_SWITCHES, WSLCONFIG_LOCKS } from "../compile";
import type { SettingInstance } from "../model";
import { networkingModes } from "../policy";
import { boolOf, choiceChildren, choiceSuffix, idOf } from "./setting-values";
import type { SourceValue } from "./source-text";

const ids = settingIds.wsl;

const MODE_BY_OPTION = new Map<string, string>(
  networkingModes.map((mode) => [settingIds.networkingModeOption[mode], mode]),
);

/** The on/off WSL settings the intent model covers (the networking mode is handled on its own). */
const SWITCH_IDS: ReadonlySet<string> = new Set([...WSL_SWITCHES, ...WSLCONFIG_LOCKS].map(([, id]) => id));

export type IntentResult = { ok: true; fields: { [key: string]: SourceValue } } | { ok: false; reason: string };

export function wslIntent(instances: readonly SettingInstance[]): IntentResult {
  const values = new Map<string, boolean>();
  let mode: string | undefined;
  for (const instance of instances) {
    const id = idOf(instance);
    if (values.has(id) || (id === ids.defaultNetworkingMode && mode !== undefined))
      return { ok: false, reason: `'${id}' is set twice` };
    if (id === ids.defaultNetworkingMode) {
      const children = choiceChildren(instance);
      const child = children[0];
      if (
        choiceSuffix(instance) !== "1" ||
        children.length !== 1 ||
        !child ||
        idOf(child) !== ids.defaultNetworkingModeDropdown
      ) {
        return { ok: false, reason: "the default networking mode is set to something other than Enabled with a mode" };
      }
      mode = MODE_BY_OPTION.get(choiceSuffix(child) ?? "");
      if (mode === undefined || choiceChildren(child).length)
        return {
          ok: false,
          reason: `networking mode option '${child.choiceSettingValue?.value ?? ""}' has no intent equivalent`,
        };
      continue;
    }
    if (!SWITCH_IDS.has(id)) return { ok: false, reason: `'${id}' is not a WSL setting the intent model covers` };
    const value = boolOf(instance);
    if (value === undefined || choiceChildren(instance).length)
      return { ok: false, reason: `'${id}' has option '${instance.choiceSettingValue?.value ?? "(none)"}'` };
    values.set(id, value);
  }
  const fields: { [key: string]: SourceValue } = {};
  for (const [key, id] of WSL_SWITCHES) if (values.has(id)) fields[key] = values.get(id);
  const locks: { [key: string]: SourceValue } = {};
  for (const [key, id] of WSLCONFIG_LOCKS) if (values.has(id)) locks[key] = values.get(id);
  if (Object.keys(locks).length) fields.wslconfig = locks;
  if (mode !== undefined) fields.defaultNetworkingMode = mode;
  return { ok: true, fields };
}
