// Reads what Intune reports about the runs of the scripts a stack manages: the light list of each
// script collection (ids and descriptions: the ownership marker says which are the stack's), then per
// script its run summary and its device run states with the device's name and user
// (GET …/{id}/runSummary, GET …/{id}/deviceRunStates?$expand=managedDevice($select=deviceName,userPrincipalName):
// microsoftgraph/microsoft-graph-docs-contrib, api-reference/beta/api/:
// intune-devices-devicehealthscriptdevicestate-list.md, …/intune-devices-devicemanagementscriptdevicestate-list.md,
// …/intune-devices-devicehealthscriptrunsummary-get.md).
import { z } from "zod";
import type { GraphClient } from "../graph";
import { KINDS } from "../kinds";
import {
  deviceHealthScriptDeviceStateSchema,
  deviceManagementScriptDeviceStateSchema,
  parseMarker,
  scriptRunSummarySchema,
  type ScriptRuns,
} from "../model";

const listedSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().optional(),
  description: z.string().nullable().optional(),
});

const SCRIPT_KINDS = ["deviceHealthScript", "deviceManagementScript"] as const;

export async function readScriptRuns(graph: GraphClient, stack: string): Promise<ScriptRuns[]> {
  const out: ScriptRuns[] = [];
  for (const kind of SCRIPT_KINDS) {
    const spec = KINDS[kind];
    const listed = z
      .array(listedSchema)
      .parse(await graph.list(`${spec.collection}?$select=id,displayName,description`, { version: spec.apiVersion }));
    for (const script of listed) {
      const marker = parseMarker(script.description);
      if (marker?.stack !== stack) continue;
      const base = `${spec.collection}/${script.id}`;
      const summary = scriptRunSummarySchema.parse(await graph.get(`${base}/runSummary`, { version: spec.apiVersion }));
      const stateSchema =
        kind === "deviceHealthScript" ? deviceHealthScriptDeviceStateSchema : deviceManagementScriptDeviceStateSchema;
      const states = z.array(stateSchema).parse(
        await graph.list(
          `${base}/deviceRunStates?$expand=${encodeURIComponent("managedDevice($select=deviceName,userPrincipalName)")}`,
          {
            version: spec.apiVersion,
          },
        ),
      );
      out.push({
        kind,
        policyId: marker.policyId,
        objectId: script.id.toLowerCase(),
        displayName: script.displayName ?? "",
        summary,
        states,
      });
    }
  }
  return out.sort((a, b) => a.policyId.localeCompare(b.policyId));
}
