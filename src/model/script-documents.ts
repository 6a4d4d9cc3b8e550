// zod schemas for Intune's two script objects as Graph returns them: platform scripts and Remediations.
// Script content is base64 (Edm.Binary) and null in list reads.
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscript?view=graph-rest-beta
import { z } from "zod";
import { assignmentTargetSchema } from "./graph-documents";

const scriptAssignmentSchema = z.looseObject({
  id: z.string().optional(),
  target: assignmentTargetSchema,
  runRemediationScript: z.boolean().nullable().optional(),
  runSchedule: z.looseObject({ "@odata.type": z.string() }).nullable().optional(),
});

const common = {
  "@odata.type": z.string().optional(),
  id: z.string().optional(),
  displayName: z.string(),
  description: z.string().nullable().optional(),
  runAsAccount: z.enum(["system", "user"]).optional(),
  enforceSignatureCheck: z.boolean().optional(),
  runAs32Bit: z.boolean().optional(),
  roleScopeTagIds: z.array(z.string()).optional(),
  assignments: z.array(scriptAssignmentSchema).optional(),
};

export const deviceManagementScriptSchema = z.looseObject({
  ...common,
  scriptContent: z.string().nullable().optional(),
  fileName: z.string().nullable().optional(),
});
export type DeviceManagementScript = z.infer<typeof deviceManagementScriptSchema>;

export const deviceHealthScriptSchema = z.looseObject({
  ...common,
  publisher: z.string().nullable().optional(),
  detectionScriptContent: z.string().nullable().optional(),
  remediationScriptContent: z.string().nullable().optional(),
  isGlobalScript: z.boolean().optional(),
  deviceHealthScriptType: z.string().optional(),
});
export type DeviceHealthScript = z.infer<typeof deviceHealthScriptSchema>;

// ---- run states (what Intune reports per device) ----------------------------------------------------
// api-reference/beta/resources/intune-devices-devicehealthscriptdevicestate.md and
// …/intune-devices-devicemanagementscriptdevicestate.md (microsoftgraph/microsoft-graph-docs-contrib).

const runStateSchema = z.string(); // unknown|success|fail|scriptError|pending|notApplicable (and future values)
const managedDeviceRefSchema = z
  .looseObject({
    id: z.string().optional(),
    deviceName: z.string().nullable().optional(),
    userPrincipalName: z.string().nullable().optional(),
  })
  .nullable()
  .optional();

export const deviceHealthScriptDeviceStateSchema = z.looseObject({
  id: z.string(),
  detectionState: runStateSchema.nullable().optional(),
  remediationState: z.string().nullable().optional(),
  lastStateUpdateDateTime: z.string().nullable().optional(),
  preRemediationDetectionScriptOutput: z.string().nullable().optional(),
  remediationScriptError: z.string().nullable().optional(),
  managedDevice: managedDeviceRefSchema,
});
export type DeviceHealthScriptDeviceState = z.infer<typeof deviceHealthScriptDeviceStateSchema>;

export const deviceManagementScriptDeviceStateSchema = z.looseObject({
  id: z.string(),
  runState: runStateSchema.nullable().optional(),
  resultMessage: z.string().nullable().optional(),
  lastStateUpdateDateTime: z.string().nullable().optional(),
  errorCode: z.number().nullable().optional(),
  managedDevice: managedDeviceRefSchema,
});
export type DeviceManagementScriptDeviceState = z.infer<typeof deviceManagementScriptDeviceStateSchema>;

/** Either kind's run summary: its documented counts are integers (deviceHealthScriptRunSummary,
 * deviceManagementScriptRunSummary). */
export const scriptRunSummarySchema = z.looseObject({ id: z.string().optional() });
export type ScriptRunSummary = z.infer<typeof scriptRunSummarySchema>;

/** One managed script's run states as read (src/tenant/script-runs.ts), for src/report/script-status.ts. */
export interface ScriptRuns {
  kind: "deviceHealthScript" | "deviceManagementScript";
  policyId: string;
  objectId: string;
  displayName: string;
  summary: ScriptRunSummary;
  states: (DeviceHealthScriptDeviceState | DeviceManagementScriptDeviceState)[];
}
