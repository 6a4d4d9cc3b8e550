// JSON report: the Plan/Drift model itself (docs/plan-schema.md), validated against its schema so a
// script never receives a document the schema does not describe. Pure.
import { planSchema, type Plan } from "../diff";

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(planSchema.parse(plan), null, 2)}\n`;
}
