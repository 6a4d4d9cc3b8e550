// Regenerates src/emulator/graph-schema/beta-properties.json: the properties (own and inherited) of the
// Graph entity types the emulator validates request bodies against, from the type mappings in
// microsoftgraph/msgraph-metadata (`schemas/type-mappings/beta-entity-types.json`, MIT licence).
//   npx tsx scripts/extract-graph-schema.ts <path to msgraph-metadata>/schemas/type-mappings
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Each entity type the emulator validates, with its base types
 * (the mappings list inherited properties on the base). */
const CHAINS: Record<string, string[]> = {
  deviceManagementConfigurationPolicy: ["entity"],
  deviceCompliancePolicy: ["entity"],
  windows10CompliancePolicy: ["deviceCompliancePolicy", "entity"],
  windows10MobileCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  androidCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  androidWorkProfileCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  androidDeviceOwnerCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  aospDeviceOwnerCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  iosCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  macOSCompliancePolicy: ["deviceCompliancePolicy", "entity"],
  deviceComplianceScheduledActionForRule: ["entity"],
  deviceComplianceActionItem: ["entity"],
  win32LobApp: ["mobileLobApp", "mobileApp", "entity"],
  group: ["directoryObject", "entity"],
};

interface TypeMapping {
  properties?: string[];
  navigationProperties?: string[];
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npx tsx scripts/extract-graph-schema.ts <msgraph-metadata>/schemas/type-mappings");
  process.exit(1);
}
const entities = (
  JSON.parse(readFileSync(path.join(dir, "beta-entity-types.json"), "utf8")) as Record<
    string,
    Record<string, TypeMapping>
  >
)["microsoft.graph"]!;
const out: Record<string, { properties: string[]; navigationProperties: string[] }> = {};
for (const [type, bases] of Object.entries(CHAINS)) {
  const chain = [type, ...bases].map((t) => {
    const mapping = entities[t];
    if (!mapping) throw new Error(`microsoft.graph.${t} is not in the entity type mappings`);
    return mapping;
  });
  out[type] = {
    properties: [...new Set(["id", ...chain.flatMap((m) => m.properties ?? [])])].sort(),
    navigationProperties: [...new Set(chain.flatMap((m) => m.navigationProperties ?? []))].sort(),
  };
}
const file = path.resolve(__dirname, "../src/emulator/graph-schema/beta-properties.json");
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(out).length} types)`);
