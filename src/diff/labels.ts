// Human labels for the diff: setting display names and option labels from the pinned catalog
// ("Allow WSL1: Enabled → Disabled"), and assignment targets by group and filter name. Pure.
import { pinnedCatalog, type Catalog } from "../catalog";
import { leafDisplay, PENDING_RING_PREFIX, type Directory } from "../intune";
import type { CanonicalAssignment } from "./normalise";

// Values are shown the same way by validate and plan: one home, in src/intune/setting-paths.ts.
export { leafDisplay };

/** Display names shared by several definitions (the per-profile firewall settings), computed once. */
const ambiguity = new WeakMap<Catalog, Map<string, number>>();

function displayNameCounts(catalog: Catalog): Map<string, number> {
  let counts = ambiguity.get(catalog);
  if (!counts) {
    counts = new Map();
    for (const def of catalog.all()) {
      const name = catalog.displayName(def.id).trim();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    ambiguity.set(catalog, counts);
  }
  return counts;
}

/** A definition's display name, qualified by its CSP node path when the name alone is ambiguous. */
export function definitionLabel(definitionId: string, catalog: Catalog = pinnedCatalog): string {
  const def = catalog.get(definitionId);
  if (!def) return definitionId;
  const name = catalog.displayName(definitionId).trim();
  if ((displayNameCounts(catalog).get(name) ?? 0) <= 1) return name;
  const parents = def.offsetUri
    .split("/")
    .filter((s) => s && !/^\{\d+\}$/.test(s))
    .slice(1, -1);
  return parents.length ? `${name} (${parents.join("/")})` : name;
}

const SEGMENT = /^(.*?)(?:\[([^\]]*)\])?$/;

/**
 * The label of a setting path: named group entries are kept and named after their CSP node
 * (`HyperVFirewallRules "SSH" › Local Port Ranges`); parents of choice children and unnamed entries are
 * not (the leaf's qualified display name says enough).
 */
export function settingLabel(path: string, catalog: Catalog = pinnedCatalog): string {
  const segments = path.split("/");
  const parts: string[] = [];
  segments.forEach((segment, i) => {
    const m = SEGMENT.exec(segment)!;
    const id = m[1]!;
    const entry = m[2];
    if (i === segments.length - 1) {
      parts.push(parts.length ? catalog.displayName(id).trim() : definitionLabel(id, catalog));
    } else if (entry !== undefined && !/^\d+$/.test(entry)) {
      parts.push(`${entryOwnerLabel(id, catalog)} "${entry}"`);
    }
  });
  return parts.join(" › ");
}

/** A group collection named by its CSP node (`HyperVFirewallRules`), which says more than its display name. */
function entryOwnerLabel(id: string, catalog: Catalog): string {
  const segments = (catalog.get(id)?.offsetUri ?? "").split("/").filter(Boolean);
  const dynamic = segments.findIndex((s) => /^\{\d+\}$/.test(s));
  return dynamic > 0 ? segments[dynamic - 1]! : definitionLabel(id, catalog);
}

/** Names of groups and filters by id, inverted from the directory (ids lowercase). */
export interface NameIndex {
  groups: ReadonlyMap<string, string>;
  filters: ReadonlyMap<string, string>;
}

// compareObject asks for the index once per object; a tenant's directory is inverted only once.
const nameIndexes = new WeakMap<Directory, NameIndex>();

export function nameIndex(directory: Directory): NameIndex {
  let index = nameIndexes.get(directory);
  if (!index) {
    const invert = (byName: ReadonlyMap<string, readonly string[]>) => {
      const out = new Map<string, string>();
      for (const [name, ids] of byName) for (const id of ids) out.set(id.toLowerCase(), name);
      return out;
    };
    const groups = invert(directory.groupsByName);
    for (const [name, id] of directory.ringIds ?? []) groups.set(id.toLowerCase(), name);
    index = { groups, filters: invert(directory.filtersByName) };
    nameIndexes.set(directory, index);
  }
  return index;
}

export function groupLabel(groupId: string | undefined, names: NameIndex): string {
  if (!groupId) return "group (no id)";
  if (groupId.startsWith(PENDING_RING_PREFIX))
    return `ring group "${groupId.slice(PENDING_RING_PREFIX.length)}" (created by this stack)`;
  const name = names.groups.get(groupId);
  return name !== undefined ? `group "${name}"` : `group ${groupId} (not found in the tenant)`;
}

export function targetLabel(a: CanonicalAssignment, names: NameIndex): string {
  switch (a.target) {
    case "allDevices":
      return "all devices";
    case "allUsers":
      return "all users";
    case "group":
      return groupLabel(a.groupId, names);
    case "other":
      return a.key.slice(a.key.indexOf("|") + 1);
  }
}

export function assignmentLabel(a: CanonicalAssignment, names: NameIndex): string {
  let label = `${a.mode} ${targetLabel(a, names)}`;
  if (a.filter) {
    const filterName = names.filters.get(a.filter.id);
    label += ` (filter ${a.filter.mode} ${filterName !== undefined ? `"${filterName}"` : a.filter.id})`;
  }
  if (a.intent && a.mode === "include") label += ` [${a.intent}]`;
  return label;
}
