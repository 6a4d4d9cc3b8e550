// Reading the live side for plan, drift, import and export: a snapshot file, or the stack's tenant (Graph
// or the emulator) with the progress line on stderr. One place, so every command names the tenant the same
// way, refuses the same way without a stack file, and always stops the progress line and closes the connection.
import path from "node:path";
import type { TenantRef, TenantSnapshot } from "../model";
import type { GraphClient } from "../graph";
import { openTenant, readSnapshotFile, readTenant, type ReadTenantOptions, type TenantConnection } from "../tenant";
import type { CliIO } from "./io";
import { displayPath, type ProjectContext } from "./options";
import { startReadProgress } from "./read-progress";

export interface LiveTenant {
  snapshot: TenantSnapshot;
  /** Which tenant was read; never credentials. */
  tenant: TenantRef;
  /** Graph requests the read took; null for a snapshot file. */
  requestCount: number | null;
  /** Responses Graph throttled during the read. */
  throttled: number;
}

/** More reads on the open connection after the snapshot (a snapshot file has none: `graph` is undefined). */
export type ReadMore = (graph: GraphClient | undefined, snapshot: TenantSnapshot) => Promise<void>;

/** The snapshot file when one is named (relative to the working directory), else the stack's tenant. */
export async function readLiveTenant(
  io: CliIO,
  project: ProjectContext,
  snapshotFile: string | undefined,
  more?: ReadMore,
  read?: Pick<ReadTenantOptions, "keepSettings">,
): Promise<LiveTenant> {
  if (snapshotFile) {
    const file = path.resolve(io.cwd, snapshotFile);
    const snapshot = readSnapshotFile(file);
    await more?.(undefined, snapshot);
    return {
      snapshot,
      tenant: { kind: "snapshot", label: displayPath(io, file), tenantId: null, endpoint: null },
      requestCount: null,
      throttled: 0,
    };
  }
  return readStackTenant(io, project, "; or pass --snapshot FILE", more, read);
}

/** The tenant the stack file names. `hint` ends the error when there is no stack file. */
export async function readStackTenant(
  io: CliIO,
  project: ProjectContext,
  hint = "",
  more?: ReadMore,
  read?: Pick<ReadTenantOptions, "keepSettings">,
): Promise<LiveTenant> {
  if (!project.stackConfig) {
    throw new Error(
      `no stack file for stack '${project.stack}' (stacks/Pulumi.${project.stack}.yaml): it names the tenant to read${hint}`,
    );
  }
  const progress = startReadProgress(io);
  let connection: TenantConnection | undefined;
  try {
    connection = await openTenant(project.stackConfig, { env: io.env, deadline: true });
    const graph = connection.graph;
    progress.reading(connection.info.label, graph);
    const snapshot = await readTenant(graph, { ...read, onProgress: progress.onProgress });
    await more?.(graph, snapshot);
    const { kind, label, tenantId, endpoint } = connection.info;
    return {
      snapshot,
      tenant: { kind, label, tenantId, endpoint },
      requestCount: graph.requestCount,
      throttled: graph.stats.throttled,
    };
  } finally {
    progress.stop();
    await connection?.close();
  }
}
