// Checks any compiled (or exported) `settings[]` array against the pinned Settings Catalog: every id and
// option exists, children hang under the parent and option the catalog declares, required children are
// present, only root definitions sit at the top level, and `@odata.type` is on every instance and value.
// The compiler runs it on every document it emits; golden tests use it too.
import { DEFINITION_TYPES, pinnedCatalog, type Catalog, type DefinitionKind } from "../catalog";
import { isRecord, ODATA, odataKind, type Finding, type UnknownRecord } from "../model";

export interface CatalogProblem extends Finding {
  /** JSON path inside the settings array, e.g. `settings[1].settingInstance.choiceSettingValue.children[0]`. */
  path: string;
  settingDefinitionId?: string;
}

const INSTANCE_TYPE: Record<DefinitionKind, string> = {
  choice: ODATA.choiceInstance,
  choiceCollection: ODATA.choiceCollectionInstance,
  simple: ODATA.simpleInstance,
  simpleCollection: ODATA.simpleCollectionInstance,
  groupCollection: ODATA.groupCollectionInstance,
};

const VALUE_PROPERTY: Record<DefinitionKind, string> = {
  choice: "choiceSettingValue",
  choiceCollection: "choiceSettingCollectionValue",
  simple: "simpleSettingValue",
  simpleCollection: "simpleSettingCollectionValue",
  groupCollection: "groupSettingCollectionValue",
};

/** Problems in a settings array; empty when every instance matches the catalog. */
export function checkAgainstCatalog(settings: unknown, catalog: Catalog = pinnedCatalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  if (!Array.isArray(settings)) return [{ path: "settings", message: "settings must be an array" }];
  const topIds = new Set<string>();
  settings.forEach((wrapper, i) => {
    const path = `settings[${i}]`;
    if (!isRecord(wrapper)) return problems.push({ path, message: "expected a setting object" });
    if (odataKind(wrapper["@odata.type"]) !== odataKind(ODATA.setting)) {
      problems.push({ path: `${path}.@odata.type`, message: `expected '${ODATA.setting}'` });
    }
    const instance = wrapper.settingInstance;
    if (!isRecord(instance))
      return problems.push({ path: `${path}.settingInstance`, message: "missing settingInstance" });
    const id = instance.settingDefinitionId;
    if (typeof id === "string") {
      if (topIds.has(id))
        problems.push({ path, settingDefinitionId: id, message: `'${id}' appears twice at the top level` });
      topIds.add(id);
      if (catalog.has(id) && !catalog.isRoot(id)) {
        const parent = catalog.parent(id);
        problems.push({
          path,
          settingDefinitionId: id,
          message: `'${id}' is not a root setting and cannot sit at the top level${parent ? `; it belongs under '${parent.optionId ?? parent.parentId}'` : ""}`,
        });
      }
    }
    checkInstance(instance, `${path}.settingInstance`, undefined, catalog, problems);
  });
  return problems;
}

/** Where an instance was found: under which parent definition and (for choices) which option. */
interface Placement {
  parentId: string;
  optionId?: string;
}

function checkInstance(
  instance: UnknownRecord,
  path: string,
  placement: Placement | undefined,
  catalog: Catalog,
  problems: CatalogProblem[],
): void {
  const id = instance.settingDefinitionId;
  if (typeof id !== "string") {
    problems.push({ path: `${path}.settingDefinitionId`, message: "missing settingDefinitionId" });
    return;
  }
  const def = catalog.get(id);
  if (!def) {
    problems.push({ path, settingDefinitionId: id, message: `'${id}' is not in the pinned Settings Catalog` });
    return;
  }
  if (placement) {
    const expected = catalog.parent(id);
    if (!expected || expected.parentId !== placement.parentId || expected.optionId !== placement.optionId) {
      const where = expected ? `'${expected.optionId ?? expected.parentId}'` : "the top level";
      problems.push({
        path,
        settingDefinitionId: id,
        message: `'${id}' is nested under '${placement.optionId ?? placement.parentId}' but the catalog puts it under ${where}`,
      });
    }
  }
  const kind = catalog.kind(id);
  const type = instance["@odata.type"];
  if (type === undefined)
    problems.push({ path: `${path}.@odata.type`, settingDefinitionId: id, message: "missing @odata.type" });
  else if (odataKind(type) !== odataKind(INSTANCE_TYPE[kind])) {
    problems.push({
      path: `${path}.@odata.type`,
      settingDefinitionId: id,
      message: `'${String(type)}' does not fit a ${DEFINITION_TYPES[kind].replace(/^#microsoft\.graph\./, "")}; expected '${INSTANCE_TYPE[kind]}'`,
    });
  }
  const valueProp = VALUE_PROPERTY[kind];
  const value = instance[valueProp];
  const vpath = `${path}.${valueProp}`;
  if (value === undefined) {
    problems.push({ path: vpath, settingDefinitionId: id, message: `missing ${valueProp}` });
    return;
  }
  switch (kind) {
    case "choice":
      if (!isRecord(value))
        problems.push({ path: vpath, settingDefinitionId: id, message: "expected a choice value object" });
      else checkChoiceValue(id, value, vpath, catalog, problems);
      return;
    case "choiceCollection":
      if (!Array.isArray(value))
        problems.push({ path: vpath, settingDefinitionId: id, message: "expected an array of choice values" });
      else
        value.forEach((v, i) =>
          isRecord(v)
            ? checkChoiceValue(id, v, `${vpath}[${i}]`, catalog, problems)
            : problems.push({
                path: `${vpath}[${i}]`,
                settingDefinitionId: id,
                message: "expected a choice value object",
              }),
        );
      return;
    case "simple":
      checkSimpleValue(id, value, vpath, catalog, problems);
      return;
    case "simpleCollection":
      if (!Array.isArray(value))
        problems.push({ path: vpath, settingDefinitionId: id, message: "expected an array of simple values" });
      else value.forEach((v, i) => checkSimpleValue(id, v, `${vpath}[${i}]`, catalog, problems));
      return;
    case "groupCollection":
      if (!Array.isArray(value)) {
        problems.push({ path: vpath, settingDefinitionId: id, message: "expected an array of group values" });
        return;
      }
      value.forEach((entry, i) => {
        const epath = `${vpath}[${i}]`;
        if (!isRecord(entry))
          return problems.push({ path: epath, settingDefinitionId: id, message: "expected a group value object" });
        if (entry["@odata.type"] === undefined)
          problems.push({ path: `${epath}.@odata.type`, settingDefinitionId: id, message: "missing @odata.type" });
        checkChildren(id, undefined, entry.children, `${epath}.children`, catalog, problems);
      });
      return;
  }
}

function checkChoiceValue(
  id: string,
  value: UnknownRecord,
  path: string,
  catalog: Catalog,
  problems: CatalogProblem[],
): void {
  if (value["@odata.type"] === undefined)
    problems.push({ path: `${path}.@odata.type`, settingDefinitionId: id, message: "missing @odata.type" });
  const optionId = value.value;
  if (typeof optionId !== "string" || !catalog.hasOption(id, optionId)) {
    const options = catalog.optionIds(id);
    problems.push({
      path: `${path}.value`,
      settingDefinitionId: id,
      message: `'${String(optionId)}' is not an option of '${id}' (options: ${options.join(", ")})`,
    });
    return;
  }
  checkChildren(id, optionId, value.children, `${path}.children`, catalog, problems);
}

function checkChildren(
  parentId: string,
  optionId: string | undefined,
  children: unknown,
  path: string,
  catalog: Catalog,
  problems: CatalogProblem[],
): void {
  if (!Array.isArray(children)) {
    problems.push({ path, settingDefinitionId: parentId, message: "missing children array" });
    return;
  }
  const seen = new Set<string>();
  children.forEach((child, i) => {
    if (!isRecord(child)) return problems.push({ path: `${path}[${i}]`, message: "expected a setting instance" });
    const childId = child.settingDefinitionId;
    if (typeof childId === "string") {
      if (seen.has(childId))
        problems.push({
          path: `${path}[${i}]`,
          settingDefinitionId: childId,
          message: `'${childId}' appears twice under '${optionId ?? parentId}'`,
        });
      seen.add(childId);
    }
    checkInstance(
      child,
      `${path}[${i}]`,
      { parentId, ...(optionId !== undefined ? { optionId } : {}) },
      catalog,
      problems,
    );
  });
  for (const required of catalog.children(parentId, optionId).filter((c) => c.required)) {
    if (!seen.has(required.id)) {
      problems.push({
        path,
        settingDefinitionId: parentId,
        message: `required child '${required.id}' is missing under '${optionId ?? parentId}'`,
      });
    }
  }
}

function checkSimpleValue(
  id: string,
  value: unknown,
  path: string,
  catalog: Catalog,
  problems: CatalogProblem[],
): void {
  if (!isRecord(value)) {
    problems.push({ path, settingDefinitionId: id, message: "expected a simple value object" });
    return;
  }
  const type = odataKind(value["@odata.type"]);
  if (type === undefined) {
    problems.push({ path: `${path}.@odata.type`, settingDefinitionId: id, message: "missing @odata.type" });
    return;
  }
  const expected = catalog.simpleValueType(id);
  if (expected === "integer") {
    if (type !== odataKind(ODATA.integerValue) || !Number.isInteger(value.value)) {
      problems.push({
        path,
        settingDefinitionId: id,
        message: `'${id}' takes an integer value (${ODATA.integerValue})`,
      });
    }
  } else if (type === odataKind(ODATA.secretValue)) {
    // The Pulumi dynamic-provider host answers Configure with `acceptSecrets: false` (pulumi/pulumi
    // sdk/nodejs/cmd/dynamic-provider/index.js), so a secret input would be stored in Pulumi state and shown
    // by `pulumi preview --diff` in plain text. Refused rather than leaked.
    problems.push({
      path,
      settingDefinitionId: id,
      message: `'${id}' is a secret (${ODATA.secretValue}); secret setting values are not supported: Pulumi would store the plaintext in its state`,
    });
  } else if (type === odataKind(ODATA.stringValue)) {
    if (typeof value.value !== "string")
      problems.push({ path: `${path}.value`, settingDefinitionId: id, message: `'${id}' takes a string value` });
  } else {
    problems.push({ path, settingDefinitionId: id, message: `'${id}' takes a string value (${ODATA.stringValue})` });
  }
}
