// Shared helpers for the compiler specs: build a LoadedPolicy from policy-file input the way the loader
// would (schema parse, defaults applied), and find setting instances in compiled documents.
import { compile, type CompileOptions } from "../../src/compile";
import type { JsonObject, JsonValue } from "../../src/model";
import { policySchema, type LoadedPolicy } from "../../src/policy/model";

export function loaded(input: Record<string, unknown>, file?: string, exportName = "policy"): LoadedPolicy {
  const policy = policySchema.parse(input);
  return { policy, file: file ?? `${policy.id}.ts`, exportName };
}

export function compileAll(inputs: Record<string, unknown>[], options: Partial<CompileOptions> = {}) {
  return compile(
    inputs.map((i) => loaded(i)),
    { stack: "test", ...options },
  );
}

/** Every setting instance (any depth) with this settingDefinitionId. */
export function findInstances(value: JsonValue | undefined, id: string): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (v: JsonValue | undefined): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if (v.settingDefinitionId === id) out.push(v);
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out;
}

export function findInstance(value: JsonValue | undefined, id: string): JsonObject {
  const hits = findInstances(value, id);
  if (hits.length !== 1) throw new Error(`expected exactly one instance of ${id}, found ${hits.length}`);
  return hits[0]!;
}

/** The option id chosen on a choice instance. */
export function chosen(instance: JsonObject): string {
  return (instance.choiceSettingValue as JsonObject).value as string;
}

export function childrenOf(instance: JsonObject): JsonObject[] {
  return (instance.choiceSettingValue as JsonObject).children as JsonObject[];
}

export const rings = {
  pilot: { kind: "ring", name: "WSL Ring 1 - Pilot", members: ["3f2b8c1e-6d4a-4e2f-9b7c-1a5d8e9f0c21"] },
  early: { kind: "ring", name: "WSL Ring 2 - Early adopters", rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:WSL-EARLY")' },
} as const;
