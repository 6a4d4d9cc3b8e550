// Faults as data, for users' own chaos tests: the JSON of `wslpolicy emulator --faults FILE` and of the
// admin route `POST /_wslpolicy/faults` (guarded by the admin token the emulator prints). Same rules as
// FaultInjector.add; a regular expression is written `{ "regex": "…" }`. Errors name the file and field.
import { z } from "zod";
import type { FaultKind, FaultRule } from "./faults";

const KINDS = [
  "429",
  "500",
  "503",
  "504",
  "reset",
  "latency",
  "504-after-commit",
  "eventual-404",
  "500-on-page",
  "404",
  "redirect",
] as const satisfies readonly FaultKind[];

const ruleSchema = z.strictObject({
  kind: z.enum(KINDS),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
  /** Path without the version prefix, e.g. `deviceManagement/configurationPolicies`; or `{ "regex": "…" }`. */
  path: z.union([z.string().min(1), z.strictObject({ regex: z.string().min(1) })]),
  nth: z.int().min(1).optional(),
  times: z.int().min(1).optional(),
  retryAfter: z.union([z.number().min(0), z.literal("absent"), z.literal("http-date")]).optional(),
  latencyMs: z.int().min(0).optional(),
  reads: z.int().min(1).optional(),
  page: z.int().min(1).optional(),
  location: z.url().optional(),
});

export const faultFileSchema = z.strictObject({ faults: z.array(ruleSchema) });

/** The rules of a fault file (or admin request body); throws naming `where` and the field. */
export function parseFaultRules(data: unknown, where: string): FaultRule[] {
  const parsed = faultFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 10)
      .map((i) => `  ${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${where}: invalid faults\n${lines.join("\n")}`);
  }
  return parsed.data.faults.map((rule, i) => {
    const { path, ...rest } = rule;
    if (rule.kind === "500-on-page" && rule.page === undefined)
      throw new Error(`${where}: faults.${i}.page: fault '500-on-page' needs \`page\``);
    let pattern: string | RegExp = typeof path === "string" ? path : "";
    if (typeof path !== "string") {
      try {
        pattern = new RegExp(path.regex);
      } catch (err) {
        throw new Error(`${where}: faults.${i}.path.regex: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { ...rest, path: pattern };
  });
}
