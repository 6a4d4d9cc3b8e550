// A tenant for the plan/drift tests: the local Graph emulator seeded with the demo organisation's groups
// (docs/demo-organisation.md) plus the ring groups as if the stack had created them, into which every
// compiled object of the example policies is written through the real write path (src/tenant/writer.ts
// over the real Graph client), exactly as an apply would.
import path from "node:path";
import { directoryFrom, resolveAssignments } from "../../src/intune";
import { createGraphClient, staticTokenCredential, type GraphClient } from "../../src/graph";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { COLLECTIONS, emptySnapshot, type DesiredState, type TenantSnapshot } from "../../src/model";
import { buildDesiredState } from "../../src/project/build";
import { assignObject, createObject } from "../../src/tenant";
import { syncAppContent } from "../../src/tenant/app-content-sync";
import { createStorageClient } from "../../src/tenant/storage-client";

export const POLICIES_DIR = path.resolve(__dirname, "../../policies");

export const DEMO_GROUPS = [
  { id: "0d6b0c2e-1f1a-4c55-9a0e-3d1c4b7e8f01", displayName: "All Windows Workstations" },
  { id: "1e7c1d3f-2a2b-4d66-8b1f-4e2d5c8f9a02", displayName: "Developer Workstations" },
  { id: "2f8d2e4a-3b3c-4e77-9c2a-5f3e6d9a0b03", displayName: "Kiosk Devices" },
  { id: "3a9e3f5b-4c4d-4f88-8d3b-6a4f7e0b1c04", displayName: "Platform Engineering" },
  { id: "4b0f4a6c-5d5e-4a99-9e4c-7b5a8f1c2d05", displayName: "WSL Ring 1 - Pilot" },
  { id: "5c1a5b7d-6e6f-4baa-8f5d-8c6b9a2d3e06", displayName: "WSL Ring 2 - Early adopters" },
  { id: "6d2b6c8e-7f7a-4cbb-9a6e-9d7cab3e4f07", displayName: "WSL Ring 3 - All developers" },
];

export const DEMO_FILTERS = [
  {
    id: "7e3c7d9f-8a8b-4dcc-8b7f-ae8dbc4f5a08",
    displayName: "Windows 11 corporate",
    platform: "windows10",
    rule: '(device.osVersion -startsWith "10.0.22")',
  },
];

export function groupsSeed(): TenantSnapshot {
  const seed = emptySnapshot();
  seed[COLLECTIONS.groups] = DEMO_GROUPS.map((g) => ({
    ...g,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
  }));
  seed[COLLECTIONS.assignmentFilters] = DEMO_FILTERS;
  return seed;
}

export async function desiredState(stack: string): Promise<DesiredState> {
  const built = await buildDesiredState({ policiesDir: POLICIES_DIR, stack });
  if (!built.ok) throw new Error(`example policies do not build: ${JSON.stringify(built.diagnostics)}`);
  return built.desired;
}

export function clientFor(emulator: RunningEmulator): GraphClient {
  return createGraphClient({
    endpoint: emulator.baseUrl,
    credential: staticTokenCredential(emulator.issueToken()),
    ca: emulator.caCertPem,
  });
}

/**
 * Writes every desired object and its assignments, as an apply would; returns the ids by policy id. A
 * Win32 app's MSI (relative to `policiesDir`) is packed, uploaded and published before it is assigned.
 */
export async function applyAll(
  graph: GraphClient,
  desired: DesiredState,
  seed: TenantSnapshot,
  emulator: RunningEmulator,
  policiesDir = POLICIES_DIR,
): Promise<Map<string, string>> {
  const directory = directoryFrom(seed[COLLECTIONS.groups], seed[COLLECTIONS.assignmentFilters]);
  const ids = new Map<string, string>();
  const storage = createStorageClient({ ca: emulator.caCertPem });
  try {
    for (const obj of desired.objects) {
      const { id } = await createObject(graph, obj, desired.stack);
      if (obj.content) {
        const source = { msi: path.resolve(policiesDir, obj.content.file), sha256: obj.content.sha256 };
        await syncAppContent(
          graph,
          { id, label: `app '${obj.displayName}'` },
          undefined,
          String(obj.document.notes),
          source,
          { storage },
        );
      }
      const resolution = resolveAssignments(obj.kind, obj.assignments, directory);
      if (resolution.unresolved.length)
        throw new Error(`unresolved assignments: ${JSON.stringify(resolution.unresolved)}`);
      await assignObject(
        graph,
        obj.kind,
        id,
        resolution.resolved.map((r) => r.body),
      );
      ids.set(obj.policyId, id);
    }
  } finally {
    await storage.close();
  }
  return ids;
}

/** A started emulator holding the applied example policies; `snapshot` seeds fresh copies per scenario. */
export async function appliedTenant(
  stack: string,
): Promise<{ desired: DesiredState; snapshot: TenantSnapshot; ids: Map<string, string> }> {
  const desired = await desiredState(stack);
  const seed = groupsSeed();
  const emulator = await startEmulator({ seed, throttling: { enabled: false } });
  const graph = clientFor(emulator);
  try {
    const ids = await applyAll(graph, desired, seed, emulator);
    return { desired, snapshot: emulator.state.snapshot(), ids };
  } finally {
    await graph.close();
    await emulator.stop();
  }
}
