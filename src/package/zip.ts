// The little ZIP (PKWARE APPNOTE 6.3.x, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT)
// that `.intunewin` files need: writing entries whose CRC and sizes are known before their data (no
// data descriptors, no ZIP64: the Content Prep Tool writes neither), and reading a central directory.
import { crc32 } from "node:zlib";

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
export const FLAG_UTF8 = 0x0800;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const ZIP32_MAX = 0xffffffff;

export interface ZipEntryHeader {
  name: string;
  method: number;
  flags: number;
  /** `version made by` (host byte and spec version) and `version needed to extract`. */
  versionMadeBy: number;
  versionNeeded: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  modified: Date;
  /** Extra field of the local header only (the central directory's stays empty, as in real packages). */
  localExtra?: Buffer;
}

/**
 * The 24-byte "Microsoft Open Packaging Growth Hint" (APPNOTE §4.6.1, header id 0xA220: signature 0xA028,
 * padding value, padding) that the Content Prep Tool puts in each outer local header.
 */
export function growthHintExtra(): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(0xa220, 0);
  b.writeUInt16LE(24, 2);
  b.writeUInt16LE(0xa028, 4);
  b.writeUInt16LE(20, 6);
  return b;
}

/** MS-DOS date and time fields (local wall clock, 2-second resolution) of a date taken as UTC wall clock. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

function dosToDate(time: number, date: number): Date {
  return new Date(
    Date.UTC(
      (date >> 9) + 1980,
      ((date >> 5) & 0xf) - 1,
      date & 0x1f,
      time >> 11,
      (time >> 5) & 0x3f,
      (time & 0x1f) * 2,
    ),
  );
}

function nameBytes(e: ZipEntryHeader): Buffer {
  return Buffer.from(e.name, e.flags & FLAG_UTF8 ? "utf8" : "latin1");
}

function checkZip32(e: ZipEntryHeader): void {
  if (e.compressedSize > ZIP32_MAX || e.uncompressedSize > ZIP32_MAX)
    throw new Error(`${e.name}: larger than 4 GiB, which needs ZIP64 (not written by the Content Prep Tool)`);
}

export function localHeader(e: ZipEntryHeader): Buffer {
  checkZip32(e);
  const name = nameBytes(e);
  const { time, date } = dosDateTime(e.modified);
  const extra = e.localExtra ?? Buffer.alloc(0);
  const b = Buffer.alloc(30);
  b.writeUInt32LE(LOCAL_SIG, 0);
  b.writeUInt16LE(e.versionNeeded, 4);
  b.writeUInt16LE(e.flags, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(time, 10);
  b.writeUInt16LE(date, 12);
  b.writeUInt32LE(e.crc >>> 0, 14);
  b.writeUInt32LE(e.compressedSize, 18);
  b.writeUInt32LE(e.uncompressedSize, 22);
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(extra.length, 28);
  return Buffer.concat([b, name, extra]);
}

/** Central directory + end record for entries whose local headers start at `offsets`. */
export function centralDirectory(
  entries: ReadonlyArray<ZipEntryHeader & { offset: number }>,
  cdOffset: number,
): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = nameBytes(e);
    const { time, date } = dosDateTime(e.modified);
    const b = Buffer.alloc(46);
    b.writeUInt32LE(CENTRAL_SIG, 0);
    b.writeUInt16LE(e.versionMadeBy, 4);
    b.writeUInt16LE(e.versionNeeded, 6);
    b.writeUInt16LE(e.flags, 8);
    b.writeUInt16LE(e.method, 10);
    b.writeUInt16LE(time, 12);
    b.writeUInt16LE(date, 14);
    b.writeUInt32LE(e.crc >>> 0, 16);
    b.writeUInt32LE(e.compressedSize, 20);
    b.writeUInt32LE(e.uncompressedSize, 24);
    b.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0; external attributes 0 (as the real tool writes).
    b.writeUInt32LE(e.offset, 42);
    parts.push(b, name);
  }
  const cd = Buffer.concat(parts);
  if (cdOffset > ZIP32_MAX) throw new Error("the archive is larger than 4 GiB, which needs ZIP64");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([cd, end]);
}

export interface ZipEntry extends ZipEntryHeader {
  /** Offset of the entry's data (after its local header) in the archive; -1 when not looked up. */
  dataOffset: number;
  /** Offset of the local header. */
  headerOffset: number;
  externalAttributes: number;
}

export class ZipFormatError extends Error {}

/** Random access to an archive: the caller reads bytes (from memory or a file handle). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/**
 * Lists an archive's entries; without `localHeaders`, data offsets are not looked up (only the directory
 * is at hand).
 */
export async function readCentralDirectory(
  readAt: ReadAt,
  size: number,
  opts: { localHeaders?: boolean } = {},
): Promise<ZipEntry[]> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(size - tailLength, tailLength);
  let endAt = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_SIG) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw new ZipFormatError("not a ZIP archive (no end-of-central-directory record)");
  const count = tail.readUInt16LE(endAt + 10);
  const cdSize = tail.readUInt32LE(endAt + 12);
  const cdOffset = tail.readUInt32LE(endAt + 16);
  if (cdOffset === ZIP32_MAX || count === 0xffff) throw new ZipFormatError("ZIP64 archives are not supported");
  if (cdOffset + cdSize > size) throw new ZipFormatError("the central directory lies past the end of the archive");
  const cd = await readAt(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_SIG)
      throw new ZipFormatError(`central directory entry ${i + 1} is damaged`);
    const flags = cd.readUInt16LE(at + 8);
    const nameLen = cd.readUInt16LE(at + 28);
    const extraLen = cd.readUInt16LE(at + 30);
    const commentLen = cd.readUInt16LE(at + 32);
    const headerOffset = cd.readUInt32LE(at + 42);
    const name = cd.subarray(at + 46, at + 46 + nameLen).toString(flags & FLAG_UTF8 ? "utf8" : "latin1");
    let dataOffset = -1;
    if (opts.localHeaders !== false) {
      const local = await readAt(headerOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIG)
        throw new ZipFormatError(`${name}: local header missing`);
      dataOffset = headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    }
    entries.push({
      name,
      versionMadeBy: cd.readUInt16LE(at + 4),
      versionNeeded: cd.readUInt16LE(at + 6),
      flags,
      method: cd.readUInt16LE(at + 10),
      modified: dosToDate(cd.readUInt16LE(at + 12), cd.readUInt16LE(at + 14)),
      crc: cd.readUInt32LE(at + 16),
      compressedSize: cd.readUInt32LE(at + 20),
      uncompressedSize: cd.readUInt32LE(at + 24),
      externalAttributes: cd.readUInt32LE(at + 38),
      headerOffset,
      dataOffset,
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export function bufferReader(buf: Buffer): ReadAt {
  return async (offset, length) => buf.subarray(offset, offset + length);
}

export { crc32 };
