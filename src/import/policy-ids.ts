// Policy ids and export names for imported objects, derived from the tenant's display names: kebab-case,
// valid per `policyIdSchema`, unique among themselves and the policies that already exist, and never the
// id `manifest` (reserved by `compile`). Objects are named in a fixed order, so ids are stable.
import { policyIdSchema } from "../policy";

const MAX = 63;
const RESERVED_IDS = new Set(["manifest"]);
const RESERVED_WORDS = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(
    " ",
  ),
);

/** `Win - WSL - Legacy developer exceptions` → `win-wsl-legacy-developer-exceptions`. */
export function kebabId(displayName: string): string {
  let id = displayName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(id)) id = id ? `policy-${id}` : "policy";
  if (id.length > MAX) id = id.slice(0, MAX).replace(/-[^-]*$/, "") || id.slice(0, MAX);
  return id.replace(/-+$/, "");
}

/** Hands out unique ids: `x`, then `x-2`, `x-3`… (shortened so the suffix still fits in 63 characters). */
export class PolicyIdAllocator {
  private readonly taken: Set<string>;

  constructor(existing: Iterable<string> = []) {
    this.taken = new Set([...RESERVED_IDS, ...existing]);
  }

  /** A unique id from the display name, or `preferred` (a marker's policy id) when it is valid and free. */
  allocate(displayName: string, preferred?: string): string {
    if (preferred !== undefined && policyIdSchema.safeParse(preferred).success && !this.taken.has(preferred)) {
      this.taken.add(preferred);
      return preferred;
    }
    const base = kebabId(displayName);
    let id = base;
    for (let n = 2; this.taken.has(id); n++) {
      const suffix = `-${n}`;
      id = `${base.slice(0, MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    }
    policyIdSchema.parse(id);
    this.taken.add(id);
    return id;
  }
}

/**
 * Names an imported file imports from wslpolicy (src/policy/builders.ts, src/policy/targets.ts): an export
 * of the same name would shadow the import (`const wslUserSettings = wslUserSettings(…)` fails to load).
 */
const IMPORTED_NAMES = new Set(
  "wslPolicy hyperVFirewall defenderPluginRollout wslCompliance settingsCatalogPolicy distroProvisioning wslUserSettings group ring filter allDevices allUsers".split(
    " ",
  ),
);

/** `wsl-off` → `wslOff`; a reserved word or an imported name gets a `Policy` suffix so the export stays valid. */
export function exportNameOf(policyId: string): string {
  const name = policyId.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return RESERVED_WORDS.has(name) || IMPORTED_NAMES.has(name) ? `${name}Policy` : name;
}
