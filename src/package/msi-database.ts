// Reads the tables of a Windows Installer database (.msi) from its OLE compound file, without Windows.
// The compound file is opened with `cfb`; what lies inside follows Wine's MSI engine
// (wine-mirror/wine: dlls/msi/table.c `decode_streamname`, `read_table_from_storage`, `bytes_per_column`;
// dlls/msi/string.c `msi_load_string_table`): table streams have mangled names, strings live in one
// pool, and every table is stored column by column.
import * as CFB from "cfb";

/** One cell: a string, an integer, or null (empty). Binary (stream) columns give the stream key. */
export type MsiValue = string | number | null;
export type MsiRow = Record<string, MsiValue>;

export interface MsiDatabase {
  /** Database code page from the string pool (0 = neutral). */
  codepage: number;
  /** Table name → rows (a table listed in `_Tables` without a stream is empty). */
  tables: Map<string, MsiRow[]>;
  /** Raw root-level streams by decoded name (`\u0005SummaryInformation`, `Binary.x`, cabinets). */
  streams: Map<string, Buffer>;
  /** CLSID of the root storage as a braced upper-case GUID (it says database, patch or transform). */
  rootClsid: string;
}

export class MsiFormatError extends Error {}

// Column type flags (Wine dlls/msi/msipriv.h, MSITYPE_*).
const MSITYPE_VALID = 0x0100;
const MSITYPE_STRING = 0x0800;
const MSITYPE_NULLABLE = 0x1000;
const TABLE_MARKER = 0x4840;

function mime2utf(x: number): string {
  if (x < 10) return String.fromCharCode(48 + x);
  if (x < 36) return String.fromCharCode(65 + x - 10);
  if (x < 62) return String.fromCharCode(97 + x - 36);
  return x === 62 ? "." : "_";
}

/**
 * A stream name as stored → `{ table, name }`: table streams start with U+4840 and pack two characters
 * per code unit.
 */
export function decodeStreamName(raw: string): { table: boolean; name: string } {
  let out = "";
  let table = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (i === 0 && ch === TABLE_MARKER) {
      table = true;
    } else if (ch >= 0x3800 && ch < 0x4800) {
      out += mime2utf((ch - 0x3800) & 0x3f) + mime2utf(((ch - 0x3800) >> 6) & 0x3f);
    } else if (ch >= 0x4800 && ch < TABLE_MARKER) {
      out += mime2utf(ch - 0x4800);
    } else {
      out += raw[i];
    }
  }
  return { table, name: out };
}

function decoderFor(codepage: number): { decode(bytes: Uint8Array): string } {
  const label =
    codepage === 0 || codepage === 1252 ? "windows-1252" : codepage === 65001 ? "utf-8" : `windows-${codepage}`;
  try {
    return new TextDecoder(label);
  } catch {
    throw new MsiFormatError(`the database uses code page ${codepage}, which this reader cannot decode`);
  }
}

interface StringPool {
  codepage: number;
  /** Width of a string reference in table streams: 2, or 3 for databases with more than 65,535 strings. */
  refWidth: 2 | 3;
  strings: string[];
}

function readStringPool(pool: Buffer, data: Buffer): StringPool {
  if (pool.length < 4) throw new MsiFormatError("the string pool is missing or truncated");
  const word = (i: number) => pool.readUInt16LE(i * 2);
  const count = Math.floor(pool.length / 4);
  const codepage = word(0) | ((word(1) & 0x7fff) << 16);
  const refWidth = word(1) & 0x8000 ? 3 : 2;
  const decoder = decoderFor(codepage);
  // Id 0 is "no string"; ids count pool entries, a long string spanning two entries takes one id.
  const strings: string[] = [""];
  let offset = 0;
  for (let i = 1; i < count;) {
    let len = word(i * 2);
    const refs = word(i * 2 + 1);
    if (len === 0 && refs === 0) {
      strings.push("");
      i++;
      continue;
    }
    if (len === 0) {
      if (i + 1 >= count) throw new MsiFormatError("the string pool ends inside a long-string entry");
      len = word(i * 2 + 2) + (word(i * 2 + 3) << 16);
      i += 2;
    } else {
      i++;
    }
    if (offset + len > data.length) throw new MsiFormatError("the string pool points past the end of the string data");
    strings.push(decoder.decode(data.subarray(offset, offset + len)));
    offset += len;
  }
  return { codepage, refWidth, strings };
}

interface Column {
  name: string;
  type: number;
}

function columnWidth(type: number, refWidth: number): number {
  if ((type & ~MSITYPE_NULLABLE) === (MSITYPE_STRING | MSITYPE_VALID)) return 2; // binary: stream key
  if (type & MSITYPE_STRING) return refWidth;
  if ((type & 0xff) <= 2) return 2;
  return 4;
}

function readUInt(buf: Buffer, offset: number, width: number): number {
  if (width === 2) return buf.readUInt16LE(offset);
  if (width === 3) return buf.readUInt16LE(offset) | (buf[offset + 2]! << 16);
  return buf.readUInt32LE(offset);
}

/** Column-major rows of one table stream. Integers are stored biased; stored 0 means null. */
function readTable(stream: Buffer | undefined, columns: readonly Column[], pool: StringPool, table: string): MsiRow[] {
  if (!stream || stream.length === 0) return [];
  const widths = columns.map((c) => columnWidth(c.type, pool.refWidth));
  const rowSize = widths.reduce((a, b) => a + b, 0);
  if (rowSize === 0 || stream.length % rowSize !== 0)
    throw new MsiFormatError(`table '${table}' is ${stream.length} bytes, not a multiple of its row size ${rowSize}`);
  const rows = stream.length / rowSize;
  const out: MsiRow[] = Array.from({ length: rows }, () => ({}));
  let base = 0;
  columns.forEach((col, c) => {
    const width = widths[c]!;
    const isString = (col.type & MSITYPE_STRING) !== 0;
    for (let r = 0; r < rows; r++) {
      const raw = readUInt(stream, base + r * width, width);
      let value: MsiValue;
      if (raw === 0) value = null;
      else if (isString) {
        const s = pool.strings[raw];
        if (s === undefined)
          throw new MsiFormatError(
            `table '${table}' column '${col.name}' refers to string ${raw}, which the pool does not have`,
          );
        value = s;
      } else value = width === 2 ? raw - 0x8000 : (raw ^ 0x80000000) | 0;
      out[r]![col.name] = value;
    }
    base += width * rows;
  });
  return out;
}

// The two system tables have fixed columns (Wine table.c `_Columns_cols`, `_Tables_cols`).
const S64_KEY = MSITYPE_VALID | MSITYPE_STRING | 0x2000 | 64;
const I2_KEY = MSITYPE_VALID | 0x2000 | 2;
const TABLES_COLUMNS: Column[] = [{ name: "Name", type: S64_KEY }];
const COLUMNS_COLUMNS: Column[] = [
  { name: "Table", type: S64_KEY },
  { name: "Number", type: I2_KEY },
  { name: "Name", type: MSITYPE_VALID | MSITYPE_STRING | 64 },
  { name: "Type", type: MSITYPE_VALID | 2 },
];

/** `cfb` gives a CLSID as the hex of its 16 stored bytes; the first three fields are little-endian. */
function clsidText(hex: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return "";
  const b = hex.toUpperCase().match(/../g)!;
  const le = (from: number, to: number) => b.slice(from, to).reverse().join("");
  return `{${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${b.slice(8, 10).join("")}-${b.slice(10).join("")}}`;
}

/** Opens an MSI database held in memory. Throws MsiFormatError when it is not a readable MSI. */
export function readMsiDatabase(bytes: Buffer): MsiDatabase {
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(bytes, { type: "buffer" });
  } catch (e) {
    throw new MsiFormatError(`not an OLE compound file (${(e as Error).message})`);
  }
  const root = container.FileIndex[0];
  const rootName = container.FullPaths[0] ?? "";
  const tableStreams = new Map<string, Buffer>();
  const streams = new Map<string, Buffer>();
  container.FileIndex.forEach((entry, i) => {
    if (entry.type !== 2) return;
    // Root-level streams only: a patch's sub-storages are not the database.
    const rel = (container.FullPaths[i] ?? "").slice(rootName.length);
    if (rel.includes("/")) return;
    const content = Buffer.from(entry.content as Uint8Array);
    const { table, name } = decodeStreamName(entry.name);
    (table ? tableStreams : streams).set(name, content);
  });
  const pool = readStringPool(
    tableStreams.get("_StringPool") ?? Buffer.alloc(0),
    tableStreams.get("_StringData") ?? Buffer.alloc(0),
  );
  const names = readTable(tableStreams.get("_Tables"), TABLES_COLUMNS, pool, "_Tables").map((r) => String(r.Name));
  const columnRows = readTable(tableStreams.get("_Columns"), COLUMNS_COLUMNS, pool, "_Columns");
  const tables = new Map<string, MsiRow[]>();
  for (const name of names) {
    const columns = columnRows
      .filter((r) => r.Table === name)
      .sort((a, b) => Number(a.Number) - Number(b.Number))
      .map((r) => ({ name: String(r.Name), type: Number(r.Type) }));
    tables.set(name, readTable(tableStreams.get(name), columns, pool, name));
  }
  return { codepage: pool.codepage, tables, streams, rootClsid: clsidText(String(root?.clsid ?? "")) };
}
