// Shared helpers for the compiler specs: build a LoadedPolicy from policy-file input the way the loader
// would (schema parse, defaults applied), and find setting instances in compiled documents.
import { readFileSync } from "node:fs";
import path from "node:path";
import { compile, type CompileOptions } from "../../src/compile";
import type { JsonObject, JsonValue, PackageFacts } from "../../src/model";
import { readMsiFacts } from "../../src/package";
import { policySchema, type LoadedPolicy } from "../../src/policy/model";

/** The example organisation's stand-in MSIs (policies/packages, built with wixl), as policies name them. */
export const DEFENDER_MSI = {
  file: "packages/stand-in-DefenderPlugin-x64-1.24.522.2.msi",
  sha256: "4efcb831ca6777645d983b3ac1e129c4011cb4cd2659c6645c620cb0eceb58a5",
};
export const WSL_PLUGIN_MSI = {
  file: "packages/stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi",
  sha256: "083fe5779968f1314b5775067a5915cbdce8b2bb326ad833bd8d59487edc85c4",
};

/** What the project build reads from those MSIs (src/project/packages.ts), for compiling without it. */
export const PACKAGES: ReadonlyMap<string, PackageFacts> = new Map(
  [DEFENDER_MSI, WSL_PLUGIN_MSI].map(({ file, sha256 }) => {
    const facts = readMsiFacts(readFileSync(path.resolve(__dirname, "../../policies", file)), file);
    return [
      file,
      {
        file,
        sha256,
        setupFile: path.basename(file),
        productCode: facts.productCode,
        productVersion: facts.productVersion,
        upgradeCode: facts.upgradeCode,
        publisher: facts.publisher,
        productName: facts.productName,
        packageType: facts.packageType,
        requiresReboot: facts.msiInfo.MsiRequiresReboot,
      },
    ];
  }),
);

export function loaded(input: Record<string, unknown>, file?: string, exportName = "policy"): LoadedPolicy {
  const policy = policySchema.parse(input);
  return { policy, file: file ?? `${policy.id}.ts`, exportName };
}

export function compileAll(inputs: Record<string, unknown>[], options: Partial<CompileOptions> = {}) {
  return compile(
    inputs.map((i) => loaded(i)),
    { stack: "test", packages: PACKAGES, ...options },
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
  early: {
    kind: "ring",
    name: "WSL Ring 2 - Early adopters",
    rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:WSL-EARLY")',
  },
} as const;
