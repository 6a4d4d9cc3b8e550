// Tenant snapshot files (docs/snapshot-format.md): read with zod validation that names the file and
// the field, so a real portal export — `@odata.*` annotations, server fields and all — loads unchanged;
// written stable (collections in a fixed order, objects sorted by id, keys as Graph sent them), pretty,
// atomically (write-file-atomic: temp file + rename), and never with a token in it.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import {
  byText,
  COLLECTIONS,
  formatDataPath,
  MAX_DOCUMENT_DEPTH,
  parseSnapshotInPlace,
  tooDeepAt,
  type TenantSnapshot,
} from "../model";
import { redact } from "../graph";
import { shareStrings } from "./shared-strings";
import { duplicateIds, snapshotShape } from "./snapshot-shape";

export function readSnapshotFile(file: string): TenantSnapshot {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read snapshot (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseSnapshot(data, file);
}

/**
 * Validates snapshot data; errors name `file` and the field path
 * (`deviceManagement/configurationPolicies[3].name`). A single exported object or a Graph list response is
 * wrapped into its collection first (snapshot-shape.ts); duplicate object ids are errors. The objects are
 * checked in place (no second copy of a large tenant): `data` belongs to the snapshot afterwards.
 */
export function parseSnapshot(data: unknown, file: string): TenantSnapshot {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new Error(`${file}: a tenant snapshot is a JSON object keyed by Graph collection path`);
  }
  const deep = tooDeepAt(data);
  if (deep)
    throw new Error(
      `${file}: invalid tenant snapshot\n  ${formatDataPath(deep)}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    );
  const shape = snapshotShape(data as Record<string, unknown>, file);
  const readAs = shape.readAs ? ` (read as ${shape.readAs})` : "";
  shareStrings(shape.data, new Map());
  const parsed = parseSnapshotInPlace(shape.data);
  if (!parsed.success) {
    const lines = parsed.issues.slice(0, 10).map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    const more = parsed.issues.length > 10 ? `\n  … and ${parsed.issues.length - 10} more` : "";
    throw new Error(`${file}: invalid tenant snapshot${readAs}\n${lines.join("\n")}${more}`);
  }
  const duplicates = duplicateIds(parsed.data);
  if (duplicates.length)
    throw new Error(`${file}: invalid tenant snapshot${readAs}\n${duplicates.map((d) => `  ${d}`).join("\n")}`);
  return parsed.data;
}

function formatPath(p: PropertyKey[]): string {
  return formatDataPath(p.map((seg) => (typeof seg === "number" ? seg : String(seg))));
}

const ORDER: string[] = Object.values(COLLECTIONS);

/** The snapshot as the text written to disk: stable order, two-space indent, trailing newline. */
export function formatSnapshot(snapshot: TenantSnapshot): string {
  const record = snapshot as Record<string, unknown>;
  const keys = [
    ...ORDER.filter((k) => k in record),
    ...Object.keys(record)
      .filter((k) => !ORDER.includes(k))
      .sort(),
  ];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = record[key];
    out[key] = Array.isArray(value) ? [...value].sort(byId) : value;
  }
  const text = `${JSON.stringify(out, null, 2)}\n`;
  // Belt and braces: nothing token-shaped leaves the process in a snapshot.
  const clean = redact(text);
  if (clean !== text) throw new Error("refusing to write a snapshot that contains a token or secret");
  return text;
}

const byId = byText((o: unknown) => String((o as { id?: unknown })?.id ?? ""));

/** Writes atomically: a reader sees the old file or the new one, never half of one. */
export function writeSnapshotFile(file: string, snapshot: TenantSnapshot): void {
  const text = formatSnapshot(snapshot);
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
  try {
    writeFileAtomic.sync(file, text, { encoding: "utf8" });
  } catch (err) {
    throw new Error(`${file}: cannot write snapshot (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
