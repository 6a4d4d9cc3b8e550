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
