// Ring groups the stack creates (azuread.Group), collected from every assignment that names one. A ring
// may appear in many policies; it is defined once by name, and two different memberships under one name
// are an error (the stack could create only one of them).
import { byText, type Diagnostic, type RingDefinition } from "../model";

export interface RingUse {
  name: string;
  key?: string;
  description?: string;
  members?: readonly string[];
  rule?: string;
  /** Where the ring was written, for diagnostics. */
  file: string;
  path: string;
}

/** A ring target as written in a policy file, at `file`/`path`. */
export function ringUseOf(
  target: Pick<RingUse, "name" | "key" | "description" | "members" | "rule">,
  file: string,
  path: string,
): RingUse {
  const { name, key, description, members, rule } = target;
  return { name, key, description, members, rule, file, path };
}

function membership(use: RingUse): { members?: string[]; rule?: string } {
  if (use.members !== undefined) return { members: [...new Set(use.members.map((m) => m.toLowerCase()))].sort() };
  if (use.rule !== undefined) return { rule: use.rule.trim() };
  return {};
}

const describeMembership = (m: { members?: string[]; rule?: string }) =>
  m.members
    ? `members [${m.members.join(", ")}]`
    : m.rule !== undefined
      ? `rule ${JSON.stringify(m.rule)}`
      : "no membership";

/** One definition per ring name, sorted by name; uses without membership only reference a ring. */
export function collectRings(uses: readonly RingUse[]): { rings: RingDefinition[]; diagnostics: Diagnostic[] } {
  const defined = new Map<string, { def: RingDefinition; use: RingUse }>();
  const diagnostics: Diagnostic[] = [];
  for (const use of uses) {
    const m = membership(use);
    if (m.members === undefined && m.rule === undefined) continue;
    const existing = defined.get(use.name);
    if (!existing) {
      const def: RingDefinition = {
        name: use.name,
        ...(use.key ? { key: use.key } : {}),
        description: use.description?.trim() ?? "",
        ...m,
      };
      defined.set(use.name, { def, use });
      continue;
    }
    if (use.key !== undefined && existing.def.key !== undefined && use.key !== existing.def.key) {
      diagnostics.push({
        code: "ring-conflict",
        severity: "error",
        file: use.file,
        path: `${use.path}.key`,
        message: `ring "${use.name}" has key '${use.key}' here but '${existing.def.key}' in ${existing.use.file} (${existing.use.path}); one ring needs one key`,
      });
      continue;
    }
    if (use.key !== undefined && existing.def.key === undefined) existing.def.key = use.key;
    const before = { members: existing.def.members, rule: existing.def.rule };
    if (describeMembership(before) !== describeMembership(m)) {
      diagnostics.push({
        code: "ring-conflict",
        severity: "error",
        file: use.file,
        path: use.path,
        message: `ring "${use.name}" is defined with ${describeMembership(m)} here but with ${describeMembership(before)} in ${existing.use.file} (${existing.use.path}); one ring name needs one membership`,
      });
    } else if (!existing.def.description && use.description?.trim()) {
      existing.def.description = use.description.trim();
    }
  }
  for (const use of uses) {
    if (!defined.has(use.name)) {
      diagnostics.push({
        code: "ring-undefined",
        severity: "error",
        file: use.file,
        path: use.path,
        message: `ring "${use.name}" is referenced but never defined with \`members\` or \`rule\`; define it with ring({ name, members | rule })`,
      });
    }
  }
  const byKey = new Map<string, { def: RingDefinition; use: RingUse }>();
  for (const entry of defined.values()) {
    const key = entry.def.key;
    if (key === undefined) continue;
    const other = byKey.get(key);
    if (other) {
      diagnostics.push({
        code: "ring-conflict",
        severity: "error",
        file: entry.use.file,
        path: `${entry.use.path}.key`,
        message: `rings "${other.def.name}" (${other.use.file}) and "${entry.def.name}" share the key '${key}'; a key names one group`,
      });
    } else byKey.set(key, entry);
  }
  const rings = [...defined.values()].map((d) => d.def).sort(byText((r) => r.name));
  return { rings, diagnostics };
}
