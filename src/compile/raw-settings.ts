// settingsCatalogPolicy → Settings Catalog settings from raw entries by definition id, validated against
// the pinned catalog before anything is emitted: the id exists, only roots sit at the top level, children
// hang under the parent and option the catalog declares, options belong to their setting, simple values
// have the wire type of the CSP node (string vs integer), and required children are present. Instance
// types follow the definition kind.
import { pinnedCatalog, type Catalog } from "../catalog";
import type { DiagnosticCode, Finding, JsonObject } from "../model";
import type { RawSetting } from "../policy";
import {
  choiceCollectionInstance,
  choiceInstance,
  groupCollectionInstance,
  setting,
  simpleCollectionInstance,
  simpleInstance,
} from "./setting-instances";

type Field = "value" | "values" | "children" | "groups";
const ALLOWED_FIELDS: Record<string, readonly Field[]> = {
  choice: ["value", "children"],
  choiceCollection: ["values"],
  simple: ["value"],
  simpleCollection: ["values"],
  groupCollection: ["children", "groups"],
};

function suggestId(id: string, catalog: Catalog): string {
  if (catalog.has(id.toLowerCase())) return ` (setting ids are lowercase: did you mean '${id.toLowerCase()}'?)`;
  return "";
}

/** Accepts a full option id or just its suffix (`"0"` for `<id>_0`). */
function resolveOption(id: string, value: string | number, catalog: Catalog): string | undefined {
  const text = String(value);
  if (catalog.hasOption(id, text)) return text;
  if (catalog.hasOption(id, `${id}_${text}`)) return `${id}_${text}`;
  return undefined;
}

function compileOne(
  raw: RawSetting,
  path: string,
  parent: { parentId: string; optionId?: string } | undefined,
  catalog: Catalog,
  problems: Finding[],
): JsonObject | undefined {
  const problem = (code: DiagnosticCode, field: string, message: string) =>
    problems.push({ code, path: field ? `${path}.${field}` : path, message });
  const def = catalog.get(raw.id);
  if (!def) {
    problem(
      "catalog-unknown-setting",
      "id",
      `'${raw.id}' is not a setting in the pinned Settings Catalog${suggestId(raw.id, catalog)}`,
    );
    return undefined;
  }
  const expected = catalog.parent(raw.id);
  if (!parent && !catalog.isRoot(raw.id)) {
    problem(
      "catalog-misplaced-setting",
      "id",
      `'${raw.id}' is a child setting and cannot be listed at the top level; nest it in \`children\` of '${expected?.parentId ?? def.rootDefinitionId}'${expected?.optionId ? ` with value '${expected.optionId}'` : ""}`,
    );
    return undefined;
  }
  if (parent && (!expected || expected.parentId !== parent.parentId || expected.optionId !== parent.optionId)) {
    const where = expected ? `'${expected.optionId ?? expected.parentId}'` : "the top level";
    problem(
      "catalog-misplaced-setting",
      "id",
      `'${raw.id}' does not belong under '${parent.optionId ?? parent.parentId}'; the catalog puts it under ${where}`,
    );
    return undefined;
  }
  const kind = catalog.kind(raw.id);
  const allowed = ALLOWED_FIELDS[kind] ?? [];
  let bad = false;
  for (const field of ["value", "values", "children", "groups"] as const) {
    if (raw[field] !== undefined && !allowed.includes(field)) {
      problem(
        "catalog-invalid-value",
        field,
        `is not allowed on '${raw.id}' (a ${kind} setting takes ${allowed.map((f) => `\`${f}\``).join(" or ")})`,
      );
      bad = true;
    }
  }
  if (bad) return undefined;

  switch (kind) {
    case "choice": {
      if (raw.value === undefined) {
        problem("catalog-invalid-option", "value", `is required: one of ${catalog.optionIds(raw.id).join(", ")}`);
        return undefined;
      }
      const optionId = resolveOption(raw.id, raw.value, catalog);
      if (!optionId) {
        problem(
          "catalog-invalid-option",
          "value",
          `'${raw.value}' is not an option of '${raw.id}'; expected one of ${catalog.optionIds(raw.id).join(", ")}`,
        );
        return undefined;
      }
      const children = compileChildren(raw.children ?? [], `${path}.children`, raw.id, optionId, catalog, problems);
      return children ? choiceInstance(raw.id, optionId, children) : undefined;
    }
    case "choiceCollection": {
      if (!raw.values || raw.values.length === 0) {
        problem(
          "catalog-invalid-option",
          "values",
          `needs at least one option of ${catalog.optionIds(raw.id).join(", ")}`,
        );
        return undefined;
      }
      const options: string[] = [];
      raw.values.forEach((v, i) => {
        const optionId = resolveOption(raw.id, v, catalog);
        if (optionId) options.push(optionId);
        else
          problem(
            "catalog-invalid-option",
            `values[${i}]`,
            `'${v}' is not an option of '${raw.id}'; expected one of ${catalog.optionIds(raw.id).join(", ")}`,
          );
      });
      return options.length === raw.values.length ? choiceCollectionInstance(raw.id, options) : undefined;
    }
    case "simple": {
      const type = catalog.simpleValueType(raw.id);
      if (raw.value === undefined) {
        problem("catalog-invalid-value", "value", `is required (${type === "integer" ? "an integer" : "a string"})`);
        return undefined;
      }
      if (type === "integer" ? typeof raw.value !== "number" : typeof raw.value !== "string") {
        problem(
          "catalog-invalid-value",
          "value",
          `'${raw.id}' takes ${type === "integer" ? "an integer" : "a string"}, got ${JSON.stringify(raw.value)}`,
        );
        return undefined;
      }
      return simpleInstance(raw.id, type, raw.value);
    }
    case "simpleCollection": {
      const type = catalog.simpleValueType(raw.id);
      if (!raw.values || raw.values.length === 0) {
        problem("catalog-invalid-value", "values", "needs at least one value");
        return undefined;
      }
      const wrong = raw.values.findIndex((v) => (type === "integer" ? typeof v !== "number" : typeof v !== "string"));
      if (wrong >= 0) {
        problem(
          "catalog-invalid-value",
          `values[${wrong}]`,
          `'${raw.id}' takes ${type === "integer" ? "integers" : "strings"}, got ${JSON.stringify(raw.values[wrong])}`,
        );
        return undefined;
      }
      return simpleCollectionInstance(raw.id, type, raw.values);
    }
    case "groupCollection": {
      if (raw.children !== undefined && raw.groups !== undefined) {
        problem(
          "catalog-invalid-value",
          "groups",
          "use either `children` (one entry) or `groups` (one array per entry), not both",
        );
        return undefined;
      }
      const entries = raw.groups ?? (raw.children ? [raw.children] : []);
      if (entries.length === 0) {
        problem("catalog-invalid-value", "groups", "needs at least one entry");
        return undefined;
      }
      const compiled: JsonObject[][] = [];
      entries.forEach((entry, i) => {
        const base = raw.groups ? `${path}.groups[${i}]` : `${path}.children`;
        const children = compileChildren(entry, base, raw.id, undefined, catalog, problems);
        if (children) compiled.push(children);
      });
      return compiled.length === entries.length ? groupCollectionInstance(raw.id, compiled) : undefined;
    }
  }
}

function compileChildren(
  raws: readonly RawSetting[],
  path: string,
  parentId: string,
  optionId: string | undefined,
  catalog: Catalog,
  problems: Finding[],
): JsonObject[] | undefined {
  const before = problems.length;
  const out: JsonObject[] = [];
  const seen = new Map<string, number>();
  raws.forEach((raw, i) => {
    const first = seen.get(raw.id);
    if (first !== undefined) {
      problems.push({
        code: "catalog-duplicate-setting",
        path: `${path}[${i}].id`,
        message: `'${raw.id}' is already set at ${path}[${first}]`,
      });
      return;
    }
    seen.set(raw.id, i);
    const child = compileOne(
      raw,
      `${path}[${i}]`,
      { parentId, ...(optionId !== undefined ? { optionId } : {}) },
      catalog,
      problems,
    );
    if (child) out.push(child);
  });
  for (const required of catalog.children(parentId, optionId).filter((c) => c.required)) {
    if (!seen.has(required.id))
      problems.push({
        code: "catalog-missing-setting",
        path,
        message: `required setting '${required.id}' (${catalog.displayName(required.id)}) is missing under '${optionId ?? parentId}'`,
      });
  }
  return problems.length === before ? out : undefined;
}

/** The settings of a settingsCatalogPolicy; `problems` paths are relative to the exported policy. */
export function rawSettings(
  raws: readonly RawSetting[],
  catalog: Catalog = pinnedCatalog,
): { settings: JsonObject[]; problems: Finding[] } {
  const problems: Finding[] = [];
  const settings: JsonObject[] = [];
  const seen = new Map<string, number>();
  raws.forEach((raw, i) => {
    const path = `settings[${i}]`;
    const first = seen.get(raw.id);
    if (first !== undefined) {
      problems.push({
        code: "catalog-duplicate-setting",
        path: `${path}.id`,
        message: `'${raw.id}' is already set at settings[${first}]; a setting may appear once per policy`,
      });
      return;
    }
    seen.set(raw.id, i);
    const instance = compileOne(raw, path, undefined, catalog, problems);
    if (instance) settings.push(setting(instance));
  });
  return { settings, problems };
}
