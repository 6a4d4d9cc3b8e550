// The MSI fixtures of test/fixtures/msi (built with wixl by regenerate.sh) and what msiinfo read from them.
import { readFileSync } from "node:fs";
import path from "node:path";

export const MSI_DIR = path.resolve(__dirname, "../fixtures/msi");
export const FIXTURES = ["per-machine-plugin", "per-user-tool", "service-in-system-folder"] as const;
export type Fixture = (typeof FIXTURES)[number];

export const msiPath = (name: Fixture) => path.join(MSI_DIR, `${name}.msi`);

/** An `msiinfo export` table (.idt: names, types, key line, then tab-separated rows) as rows of text. */
export function exportedTable(name: Fixture, table: string): Array<Record<string, string>> {
  const lines = readFileSync(path.join(MSI_DIR, `${name}.msiinfo`, `${table}.idt`), "utf8")
    .split(/\r?\n/)
    .filter((l) => l !== "");
  const columns = lines[0]!.split("\t");
  return lines.slice(3).map((line) => Object.fromEntries(line.split("\t").map((v, i) => [columns[i]!, v])));
}

/** `msiinfo suminfo` output as `Label → value`. */
export function exportedSummary(name: Fixture): Record<string, string> {
  const text = readFileSync(path.join(MSI_DIR, `${name}.msiinfo`, "suminfo.txt"), "utf8");
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes(": "))
      .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
  );
}
