// Renderers of the Plan/Drift model, kept apart from it (as AWS CDK's cloudformation-diff keeps its
// formatters apart from the diff): text for terminals, markdown for pull requests, json for scripts.
import type { Plan } from "../diff";
import { renderJson } from "./json";
import { renderMarkdown } from "./markdown";
import { renderText } from "./text";

export const REPORT_FORMATS = ["text", "markdown", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(plan: Plan, format: ReportFormat, opts: { color?: boolean } = {}): string {
  switch (format) {
    case "text":
      return renderText(plan, opts);
    case "markdown":
      return renderMarkdown(plan);
    case "json":
      return renderJson(plan);
  }
}

export { renderJson, renderMarkdown, renderText };
