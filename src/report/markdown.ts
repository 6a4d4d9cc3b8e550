// Markdown report for a pull-request comment: the one-line summary first, risks and conflicts next, then
// a collapsible <details> section per changed object with before/after tables. Pure.
import type { ObjectAction, ObjectChange, Plan } from "../diff";
import {
  actionWord,
  changed,
  changeNotes,
  conflictOverlaps,
  conflictOwner,
  contentLine,
  requestsLine,
  showValue,
  summaryLine,
  tenantLine,
} from "./wording";

const ICON: Record<ObjectAction, string> = { create: "➕", update: "✏️", replace: "♻️", delete: "🗑️", unchanged: "·" };

/** A value inside a table cell: HTML-escaped (portal text is untrusted), pipes escaped, newlines as <br>. */
function cell(value: unknown): string {
  return html(showValue(value)).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A value inside HTML (`<summary>`): escaped, but a pipe is not special there and must not gain a backslash. */
function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderMarkdown(plan: Plan): string {
  const lines: string[] = [];
  // The hidden marker lets CI find and update its own comment instead of adding one per push.
  lines.push(`<!-- wslpolicy-${plan.mode} stack=${plan.stack} -->`);
  lines.push(`### wslpolicy · ${summaryLine(plan)}`);
  lines.push("");
  lines.push(`**Tenant:** ${tenantLine(plan)} · **Stack:** \`${plan.stack}\``);

  if (plan.errors.length) {
    lines.push("", "#### ❌ Errors", "");
    for (const e of plan.errors) lines.push(`- ${cell(e)}`);
  }
  if (plan.risks.length) {
    lines.push("", "#### ⚠️ Risks", "");
    for (const r of plan.risks) lines.push(`- **${cell(r.objectName)}**: ${cell(r.message)} \`${r.rule}\``);
  }
  if (plan.conflicts.length) {
    lines.push("", "#### ⚔️ Conflicts", "", "Intune applies neither value on devices two of these policies reach.", "");
    lines.push("| Setting | Policies and their values | Overlap |", "|---|---|---|");
    for (const k of plan.conflicts) {
      const policies = k.policies.map((p) => {
        const via = k.overlap === "possible" ? ` — ${cell(p.assignments.join("; "))}` : "";
        return `${cell(p.name)} (${conflictOwner(p, (ref) => `\`${ref}\``)}): **${cell(p.value)}**${via}`;
      });
      // Several places they meet (each ring, say): one per line of the cell.
      const where = conflictOverlaps(k).map(cell);
      const overlap =
        k.overlap === "certain" && where.length > 1
          ? `${k.overlap}:<br>${where.join("<br>")}`
          : `${k.overlap}: ${where.join("; ")}`;
      lines.push(`| ${cell(k.setting)} | ${policies.join("<br>")} | ${overlap} |`);
    }
  }

  const list = changed(plan);
  if (list.length) {
    lines.push("", `#### ${plan.mode === "plan" ? "Changes" : "Differences"}`, "");
    for (const ch of list) lines.push(...objectSection(plan, ch), "");
  }
  if (plan.pendingRings.length)
    lines.push("", `Ring groups the stack creates on apply: ${plan.pendingRings.map((r) => `\`${r}\``).join(", ")}`);
  const notes = [...plan.warnings, ...changeNotes(plan)];
  if (notes.length) {
    lines.push("", "**Notes**", "");
    for (const n of notes) lines.push(`- ${cell(n)}`);
  }
  lines.push("", `<sub>${requestsLine(plan)}</sub>`);
  return `${lines.join("\n")}\n`;
}

function objectSection(plan: Plan, ch: ObjectChange): string[] {
  const out: string[] = [];
  const id = ch.policyId ?? ch.liveId ?? "?";
  out.push(
    `<details><summary>${ICON[ch.action]} <b>${actionWord(plan, ch.action)}</b> <code>${id}</code> — ${html(ch.displayName)} (${ch.kind})</summary>`,
    "",
  );
  const where = [
    ch.sourceFile ? `file \`${ch.sourceFile}\`` : undefined,
    ch.liveId ? `id \`${ch.liveId}\`` : undefined,
    ch.adopted ? "adopted" : undefined,
  ].filter(Boolean);
  if (where.length) out.push(where.join(" · "), "");
  for (const r of ch.replaceReasons) out.push(`- must be replaced (Graph cannot change it in place): ${cell(r)}`);
  if (ch.replaceReasons.length) out.push("");
  const content = contentLine(ch);
  if (content) out.push(`- ${cell(content)}`, "");
  const [beforeHead, afterHead] = plan.mode === "plan" ? ["Before", "After"] : ["Declared", "In the tenant"];
  const rows = [
    ...ch.metadata.map((m) => [m.field, m.before, m.after] as const),
    ...ch.properties.map((m) => [m.field, m.before, m.after] as const),
    ...ch.settings.map((s) => [s.label, s.before, s.after] as const),
  ];
  if (rows.length) {
    out.push(`| Setting | ${beforeHead} | ${afterHead} |`, "|---|---|---|");
    for (const [name, before, after] of rows) out.push(`| ${cell(name)} | ${cell(before)} | ${cell(after)} |`);
    out.push("");
  }
  if (ch.assignments.length) {
    out.push(`| Assignment | ${beforeHead} | ${afterHead} |`, "|---|---|---|");
    for (const a of ch.assignments) {
      const before = a.change === "added" ? "–" : a.change === "changed" ? cell(a.before) : "assigned";
      const after = a.change === "removed" ? "–" : a.change === "changed" ? cell(a.after) : "assigned";
      out.push(`| ${cell(a.label)} | ${before} | ${after} |`);
    }
    out.push("");
  }
  out.push("</details>");
  return out;
}
