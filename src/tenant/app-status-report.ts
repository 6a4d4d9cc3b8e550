// The install counts of an app from getAppStatusOverviewReport (POST, beta; answered as an
// `application/octet-stream` JSON table `{ TotalRowCount, Schema: [{ Column, PropertyType }], Values }`).
// Columns are looked up by their `Schema` name, never by position: the service's column order is its own
// and not the `select` order (PacktPublishing/Microsoft-Intune-Cookbook Chapter-9 get-appinstallstatus.ps1
// reads an extra column in the middle). And the rollout inputs of every gated app of a desired state.
import { z } from "zod";
import { assignedRings, liveAppOf, type AppInstallCounts, type RolloutInput } from "../compile";
import type { GraphClient } from "../graph";
import type { DesiredState, TenantSnapshot } from "../model";

const tableSchema = z.object({
  TotalRowCount: z.number().optional(),
  Schema: z.array(z.object({ Column: z.string(), PropertyType: z.string().optional() })),
  Values: z.array(z.array(z.unknown())),
});

const COLUMNS: Record<keyof AppInstallCounts, string> = {
  installed: "InstalledDeviceCount",
  failed: "FailedDeviceCount",
  pending: "PendingInstallDeviceCount",
  notInstalled: "NotInstalledDeviceCount",
  notApplicable: "NotApplicableDeviceCount",
};

/** Counts from one report table; errors name the column that is missing or not a count. */
export function countsFromTable(body: unknown, appId: string): AppInstallCounts {
  const text = typeof body === "string" ? body : Buffer.isBuffer(body) ? body.toString("utf8") : undefined;
  let parsed: unknown = body;
  if (text !== undefined) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`getAppStatusOverviewReport for app ${appId}: the answer is not JSON`);
    }
  }
  const table = tableSchema.safeParse(parsed);
  if (!table.success)
    throw new Error(
      `getAppStatusOverviewReport for app ${appId}: not a report table (${table.error.issues[0]?.message ?? "bad shape"})`,
    );
  const index = new Map(table.data.Schema.map((c, i) => [c.Column, i]));
  const row = table.data.Values[0];
  const out = {} as AppInstallCounts;
  for (const [key, column] of Object.entries(COLUMNS) as [keyof AppInstallCounts, string][]) {
    const i = index.get(column);
    if (i === undefined)
      throw new Error(`getAppStatusOverviewReport for app ${appId}: the report has no ${column} column`);
    const v = row === undefined ? 0 : Number(row[i] ?? 0);
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`getAppStatusOverviewReport for app ${appId}: ${column} is '${String(row?.[i])}', not a count`);
    out[key] = v;
  }
  return out;
}

export async function readAppInstallCounts(graph: GraphClient, appId: string): Promise<AppInstallCounts> {
  const body = await graph.post<unknown>(
    "deviceManagement/reports/getAppStatusOverviewReport",
    { filter: `(ApplicationId eq '${appId}')` },
    { version: "beta", idempotent: true },
  );
  return countsFromTable(body, appId);
}

/**
 * For every desired app with gated rings (with `all`, every rollout): its live counts (when it exists) and
 * which rings are assigned.
 */
export async function readRolloutInputs(
  graph: GraphClient | undefined,
  desired: DesiredState,
  snapshot: TenantSnapshot,
  opts: { all?: boolean } = {},
): Promise<Map<string, RolloutInput>> {
  const out = new Map<string, RolloutInput>();
  for (const object of desired.objects) {
    if (!object.rollout || !(opts.all || object.rollout.rings.some((r) => r.gate))) continue;
    const live = liveAppOf(object, desired.stack, snapshot);
    const assigned = assignedRings(object, desired.stack, snapshot);
    const counts = graph && live?.id ? await readAppInstallCounts(graph, String(live.id)) : undefined;
    out.set(object.policyId, counts ? { counts, assigned } : { assigned });
  }
  return out;
}
