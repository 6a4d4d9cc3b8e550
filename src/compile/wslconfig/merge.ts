// The `.wslconfig` rules wslpolicy's scripts apply, in TypeScript; the generated PowerShell
// (./scripts.ts) carries the same table and the same steps, and the tests run this twin.
// WSL's reader (microsoft/WSL: src/shared/configfile/configfile.cpp, used by src/windows/common/WslCoreConfig.cpp):
// `[section]` headers, `key = value`, `#` comments (also trailing); `section.key` is matched case-insensitively;
// the FIRST value of a duplicated key wins; `networkingMode`, `dnsTunneling`, `firewall` and `autoProxy`
// are also read under the legacy `[experimental]` header. Booleans are `true`/`false`/`1`/`0`.
// Defaults: dnsTunneling and autoProxy are true (https://learn.microsoft.com/windows/wsl/wsl-config).

/** A key the policy manages, with the sections WSL reads it from and WSL's default. */
export interface ManagedKey {
  name: "dnsTunneling" | "autoProxy";
  sections: readonly string[];
  default: boolean;
}

/** The managed keys: the one table both the TypeScript and the PowerShell read. */
export const MANAGED_WSLCONFIG_KEYS: readonly ManagedKey[] = [
  { name: "dnsTunneling", sections: ["wsl2", "experimental"], default: true },
  { name: "autoProxy", sections: ["wsl2", "experimental"], default: true },
];

const SECTION = /^\s*\[([^\]]*)\]/;
const KEY = /^\s*([A-Za-z0-9_.]+)\s*=(.*)$/;

function parseBool(raw: string): boolean | undefined {
  const v = raw
    .replace(/#.*$/, "")
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return undefined;
}

/** The value WSL uses for each managed key (first occurrence wins; missing or unreadable = WSL's default). */
export function effectiveValues(
  text: string,
  keys: readonly ManagedKey[] = MANAGED_WSLCONFIG_KEYS,
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  let section = "";
  for (const line of text.split(/\r?\n/)) {
    const s = SECTION.exec(line);
    if (s) {
      section = s[1]!.trim().toLowerCase();
      continue;
    }
    const k = KEY.exec(line);
    if (!k) continue;
    const key = keys.find((m) => m.name.toLowerCase() === k[1]!.toLowerCase() && m.sections.includes(section));
    if (!key || key.name in out) continue;
    const value = parseBool(k[2]!);
    if (value !== undefined) out[key.name] = value;
  }
  for (const key of keys) if (!(key.name in out)) out[key.name] = key.default;
  return out;
}

/**
 * The file with the managed keys set: every unmanaged line kept as it was (comments, order, blank lines,
 * line ends), every occurrence of a managed key in its sections dropped, and the managed keys written
 * right after the first `[wsl2]` header (a `[wsl2]` section is added at the top when there is none).
 */
export function mergeWslConfig(
  text: string,
  desired: Readonly<Record<string, boolean>>,
  keys: readonly ManagedKey[] = MANAGED_WSLCONFIG_KEYS,
): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text === "" ? [] : text.split(/\r?\n/);
  const trailing = lines.length > 0 && lines[lines.length - 1] === "";
  if (trailing) lines.pop();
  const managed = keys.filter((k) => k.name in desired);
  const entries = managed.map((k) => `${k.name}=${desired[k.name] ? "true" : "false"}`);
  const out: string[] = [];
  let section = "";
  let inserted = false;
  for (const line of lines) {
    const s = SECTION.exec(line);
    if (s) {
      section = s[1]!.trim().toLowerCase();
      out.push(line);
      if (section === "wsl2" && !inserted) {
        out.push(...entries);
        inserted = true;
      }
      continue;
    }
    const k = KEY.exec(line);
    if (k && managed.some((m) => m.name.toLowerCase() === k[1]!.toLowerCase() && m.sections.includes(section)))
      continue;
    out.push(line);
  }
  if (!inserted) out.unshift("[wsl2]", ...entries);
  return `${out.join(eol)}${eol}`;
}
