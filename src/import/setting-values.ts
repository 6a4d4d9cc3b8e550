// Small readers over live Settings Catalog instances (GET or export form) shared by the intent mappers:
// lowercase ids (the normaliser compares lowercase), choice option suffixes, and child lookups.
import type { Setting, SettingInstance } from "../model";

export function idOf(instance: SettingInstance): string {
  return instance.settingDefinitionId.toLowerCase();
}

/** The top-level instances of a policy's `settings[]`. */
export function topInstances(settings: readonly Setting[] | undefined): SettingInstance[] {
  return (settings ?? []).map((s) => s.settingInstance);
}

/** A choice instance's option with the `<settingId>_` prefix removed (`"1"`, `"true"`, `"in"`), or undefined. */
export function choiceSuffix(instance: SettingInstance): string | undefined {
  const value = instance.choiceSettingValue?.value?.toLowerCase();
  const prefix = `${idOf(instance)}_`;
  return value?.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

/** Children under a choice instance's chosen option. */
export function choiceChildren(instance: SettingInstance): SettingInstance[] {
  return instance.choiceSettingValue?.children ?? [];
}

/** `_1`/`_0` (ADMX) and `_true`/`_false` (Firewall CSP) as a boolean. */
export function boolOf(instance: SettingInstance): boolean | undefined {
  const suffix = choiceSuffix(instance);
  if (suffix === "1" || suffix === "true") return true;
  if (suffix === "0" || suffix === "false") return false;
  return undefined;
}

/** Every setting definition id in an instance tree (the instance itself, children, group entries). */
export function allDefinitionIds(instance: SettingInstance): string[] {
  const out = [idOf(instance)];
  const walk = (children: readonly SettingInstance[] | undefined) => {
    for (const child of children ?? []) out.push(...allDefinitionIds(child));
  };
  walk(instance.choiceSettingValue?.children);
  for (const v of instance.choiceSettingCollectionValue ?? []) walk(v.children);
  for (const entry of instance.groupSettingCollectionValue ?? []) walk(entry.children);
  walk(instance.groupSettingValue?.children);
  return out;
}

/** The lone string value of a simple instance. */
export function stringOf(instance: SettingInstance): string | undefined {
  const v = instance.simpleSettingValue?.value;
  return typeof v === "string" ? v : undefined;
}

export function integerOf(instance: SettingInstance): number | undefined {
  const v = instance.simpleSettingValue?.value;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export function stringsOf(instance: SettingInstance): string[] | undefined {
  const values = instance.simpleSettingCollectionValue;
  if (!values) return undefined;
  const out = values.map((v) => v.value);
  return out.every((v): v is string => typeof v === "string") ? out : undefined;
}
