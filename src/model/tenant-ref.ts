// Which tenant a command read, in the one shape every stage uses: the connection names it, plan and drift
// carry it, the reports print it and the JSON report stores it (docs/plan-schema.md). Never credentials.
import { z } from "zod";

export const tenantRefSchema = z.object({
  kind: z.enum(["graph", "emulator", "snapshot"]),
  /** One line for reports: which tenant, which endpoint, and plainly when it is the emulator. */
  label: z.string(),
  /** The Entra tenant id (`emulator` for the emulator); null for a snapshot file. */
  tenantId: z.string().nullable(),
  /** The Graph base URL; null for a snapshot file. */
  endpoint: z.string().nullable(),
});
export type TenantRef = z.infer<typeof tenantRefSchema>;
