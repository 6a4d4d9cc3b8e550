// Plain-text report for a terminal (Terraform-style): summary, risks and conflicts first, then one block
// per changed object. Colour through picocolors only when the caller asks for it; plain otherwise. Pure.
// Every string of the plan (names, values, messages: most come from the tenant) is made printable first,
// so nothing in the data can act on the terminal or start a line of its own.
import pc from "picocolors";
import { printableDeep } from "../model";
import type { ObjectAction, ObjectChange, Plan } from "../diff";
import {
  actionWord,
  changed,
  changeNotes,
  conflictOverlaps,
  conflictOwner,
  contentLine,
  objectTitle,
  requestsLine,
  showValue,
  summaryLine,
  tenantLine,
} from "./wording";

export interface TextOptions {
  color?: boolean;
}

const SIGN: Record<ObjectAction, string> = { create: "+", update: "~", replace: "-/+", delete: "-", unchanged: " " };
/** Drift reads from the declared side: a missing object is a minus, an undeclared one a plus. */
const DRIFT_SIGN: Record<ObjectAction, string> = {
  create: "-",
  update: "~",
  replace: "~",
  delete: "+",
  unchanged: " ",
};

export function renderText(untrusted: Plan, opts: TextOptions = {}): string {
  const plan = printableDeep(untrusted);
  const c = pc.createColors(Boolean(opts.color));
  const tint = (action: ObjectAction, text: string) =>
    action === "create"
      ? c.green(text)
      : action === "delete"
        ? c.red(text)
        : action === "replace"
          ? c.magenta(text)
          : action === "update"
            ? c.yellow(text)
            : text;
  const lines: string[] = [];
  lines.push(c.bold(`wslpolicy ${plan.mode} — stack ${plan.stack}`));
  lines.push(`Tenant: ${tenantLine(plan)}`);
  lines.push("");
  lines.push(c.bold(summaryLine(plan)));

  if (plan.errors.length) {
    lines.push("", c.red(c.bold("Errors")));
    for (const e of plan.errors) lines.push(c.red(`  ✗ ${e}`));
  }
  if (plan.risks.length) {
    lines.push("", c.bold("Risks"));
    for (const r of plan.risks) lines.push(`  ${c.red("!")} ${r.objectName}: ${r.message} ${c.dim(`[${r.rule}]`)}`);
  }
  if (plan.conflicts.length) {
    lines.push("", c.bold("Conflicts") + c.dim(" (Intune applies neither value where the targets overlap)"));
    for (const k of plan.conflicts) {
      lines.push(`  ${c.yellow("⚔")} ${k.setting}`);
      for (const p of k.policies) {
        // A possible overlap depends on each policy's groups: they are shown with it.
        const via = k.overlap === "possible" ? c.dim(` — ${p.assignments.join("; ")}`) : "";
        lines.push(`      "${p.name}" (${conflictOwner(p)}) sets ${p.value}${via}`);
      }
      // One place they meet fits the line; several (each ring, say) read better one per line.
      const where = conflictOverlaps(k);
      if (k.overlap === "certain" && where.length > 1) {
        lines.push(`      overlap ${k.overlap}:`, ...where.map((w) => `        ${w}`));
      } else lines.push(`      overlap ${k.overlap}: ${where.join("; ")}`);
    }
  }

  const list = changed(plan);
  if (list.length) {
    lines.push("", c.bold(plan.mode === "plan" ? "Changes" : "Differences"));
    for (const ch of list) lines.push(...objectBlock(plan, ch, tint));
  }
  if (plan.pendingRings.length) {
    lines.push("", `Ring groups the stack creates on apply: ${plan.pendingRings.map((r) => `"${r}"`).join(", ")}`);
  }
  const notes = changeNotes(plan);
  if (notes.length || plan.warnings.length) {
    lines.push("", c.bold("Notes"));
    for (const w of plan.warnings) lines.push(`  - ${w}`);
    for (const n of notes) lines.push(`  - ${n}`);
  }
  lines.push("", c.dim(requestsLine(plan)));
  return `${lines.join("\n")}\n`;
}

function objectBlock(plan: Plan, ch: ObjectChange, tint: (a: ObjectAction, t: string) => string): string[] {
  const out: string[] = [];
  const where = [ch.sourceFile, ch.liveId ? `id ${ch.liveId}` : undefined, ch.adopted ? "adopted" : undefined]
    .filter(Boolean)
    .join(", ");
  out.push("");
  const sign = (plan.mode === "plan" ? SIGN : DRIFT_SIGN)[ch.action];
  const look: ObjectAction =
    plan.mode === "plan"
      ? ch.action
      : ch.action === "create"
        ? "delete"
        : ch.action === "delete"
          ? "create"
          : ch.action;
  out.push(tint(look, `  ${sign} ${actionWord(plan, ch.action)}: ${objectTitle(ch)}`) + (where ? ` [${where}]` : ""));
  for (const r of ch.replaceReasons) out.push(`      ${tint("replace", `must be replaced: ${r}`)}`);
  const content = contentLine(ch);
  if (content) out.push(tint(ch.content?.upload ? "create" : "unchanged", `      ⇡ ${content}`));
  // A drift removal is a declared value the tenant does not hold: it never "was" there when the object is
  // missing altogether (never applied, or deleted), and it is the declared value otherwise.
  const gone = (label: string, value: string): string =>
    plan.mode === "plan"
      ? `      - ${label} (was ${value})`
      : `      - ${label} = ${value}${ch.action === "create" ? "" : " (declared; not set in the tenant)"}`;
  for (const m of [...ch.metadata, ...ch.properties]) {
    if (m.before === null) out.push(tint("create", `      + ${m.field} = ${showValue(m.after)}`));
    else if (m.after === null) out.push(tint("delete", gone(m.field, showValue(m.before))));
    else out.push(tint("update", `      ~ ${m.field}: ${showValue(m.before)} → ${showValue(m.after)}`));
  }
  for (const s of ch.settings) {
    if (s.change === "added") out.push(tint("create", `      + ${s.label} = ${s.after}`));
    else if (s.change === "removed") out.push(tint("delete", gone(s.label, s.before ?? "")));
    else out.push(tint("update", `      ~ ${s.label}: ${s.before} → ${s.after}`));
  }
  for (const a of ch.assignments) {
    const sign = a.change === "added" ? "+" : a.change === "removed" ? "-" : "~";
    const detail = a.change === "changed" ? `: ${showValue(a.before)} → ${showValue(a.after)}` : "";
    out.push(
      tint(
        a.change === "added" ? "create" : a.change === "removed" ? "delete" : "update",
        `      ${sign} assignment ${a.label}${detail}`,
      ),
    );
  }
  return out;
}
