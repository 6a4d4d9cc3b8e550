// Live setting instances → raw `settingsCatalogPolicy` settings (ids and option ids exactly as the live
// document has them). Only what the pinned catalog knows can be written back: a top-level setting with any
// id outside the catalog, a secret (Graph returns only an encrypted token), or a shape the raw form cannot
// carry (a single group value) is left out and named, so the caller can warn that applying the adopted
// policy would remove it from the tenant object.
import { pinnedCatalog, type Catalog } from "../catalog";
import { odataKind, type SettingInstance } from "../model";
import type { RawSetting } from "../policy";
import { rawSettings } from "../compile";
import { idOf } from "./setting-values";

export interface RawImport {
  settings: RawSetting[];
  /** Top-level settings left out, each with why. */
  skipped: { id: string; reason: string }[];
}

class Unrepresentable extends Error {}

/** A catalog option id as the catalog spells it (ids are lowercase there). */
function option(id: string, value: string, catalog: Catalog): string {
  if (catalog.hasOption(id, value)) return value;
  if (catalog.hasOption(id, value.toLowerCase())) return value.toLowerCase();
  throw new Unrepresentable(`option '${value}' of '${id}' is not in the pinned Settings Catalog`);
}

function simple(
  id: string,
  value: { "@odata.type": string; value: string | number; valueState?: string },
  catalog: Catalog,
): string | number {
  if ((odataKind(value["@odata.type"]) ?? "").toLowerCase().includes("secret") || value.valueState !== undefined) {
    throw new Unrepresentable(`'${id}' is a secret Graph returns only encrypted`);
  }
  if (catalog.simpleValueType(id) === "integer") {
    const n = typeof value.value === "number" ? value.value : Number(value.value);
    if (!Number.isInteger(n))
      throw new Unrepresentable(`'${id}' takes an integer, the tenant has ${JSON.stringify(value.value)}`);
    return n;
  }
  return String(value.value);
}

function convert(instance: SettingInstance, catalog: Catalog): RawSetting {
  const id = idOf(instance);
  if (!catalog.has(id)) throw new Unrepresentable(`'${id}' is not in the pinned Settings Catalog`);
  const raw: RawSetting = { id };
  if (instance.choiceSettingValue) {
    raw.value = option(id, instance.choiceSettingValue.value, catalog);
    const children = instance.choiceSettingValue.children.map((c) => convert(c, catalog));
    if (children.length) raw.children = children;
  } else if (instance.choiceSettingCollectionValue) {
    raw.values = instance.choiceSettingCollectionValue.map((v) => {
      if (v.children.length) throw new Unrepresentable(`'${id}' has children under a collection option`);
      return option(id, v.value, catalog);
    });
  } else if (instance.simpleSettingValue) {
    raw.value = simple(id, instance.simpleSettingValue, catalog);
  } else if (instance.simpleSettingCollectionValue) {
    raw.values = instance.simpleSettingCollectionValue.map((v) => simple(id, v, catalog));
  } else if (instance.groupSettingCollectionValue) {
    const groups = instance.groupSettingCollectionValue.map((entry) => entry.children.map((c) => convert(c, catalog)));
    if (groups.length === 1) raw.children = groups[0]!;
    else raw.groups = groups;
  } else {
    throw new Unrepresentable(`'${id}' has a value shape the raw settings form cannot carry`);
  }
  return raw;
}

/**
 * Converts each top-level instance; one that cannot be represented, or does not compile against the
 * catalog, is skipped.
 */
export function rawImport(instances: readonly SettingInstance[], catalog: Catalog = pinnedCatalog): RawImport {
  const settings: RawSetting[] = [];
  const skipped: RawImport["skipped"] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const id = idOf(instance);
    try {
      if (seen.has(id)) throw new Unrepresentable(`'${id}' is set twice`);
      const raw = convert(instance, catalog);
      const { problems } = rawSettings([raw], catalog);
      if (problems.length)
        throw new Unrepresentable(
          `'${id}' does not pass the catalog check: ${problems.map((p) => p.message).join("; ")}`,
        );
      seen.add(id);
      settings.push(raw);
    } catch (err) {
      if (!(err instanceof Unrepresentable)) throw err;
      skipped.push({ id, reason: err.message });
    }
  }
  return { settings, skipped };
}
