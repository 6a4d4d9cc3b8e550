// Reads an `.intunewin` (ours or the Content Prep Tool's): finds the payload and Detection.xml in the
// outer ZIP, checks the payload's MAC against Detection.xml and — decrypting as it streams — the
// FileDigest of the plaintext, and lists the inner ZIP's files. Real packages name sub-folder files with
// `\` (.NET Framework ZipFile.CreateFromDirectory), so both separators are accepted.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { parseDetectionXml, PAYLOAD_FILE_NAME, type Detection } from "./detection-xml";
import { PayloadVerifier } from "./payload-crypto";
import { bufferReader, METHOD_STORED, readCentralDirectory, type ReadAt } from "./zip";

export interface IntunewinContents {
  detection: Detection;
  /** Where the encrypted payload lies inside the `.intunewin` (it is what gets uploaded). */
  payload: { offset: number; length: number };
  /** Names of the inner ZIP's files, `/`-separated, in archive order (when decrypted). */
  files?: Array<{ name: string; size: number }>;
  macVerified: boolean;
  digestVerified: boolean;
}

export class IntunewinError extends Error {}

const normalise = (name: string) => name.replace(/\\/g, "/");
/** How much of the plaintext's end is kept to find the inner central directory. */
const TAIL = 1 << 20;

export async function readIntunewin(file: string, opts: { decrypt?: boolean } = {}): Promise<IntunewinContents> {
  const decrypt = opts.decrypt ?? true;
  const size = (await stat(file)).size;
  const handle = await open(file, "r");
  try {
    const readAt: ReadAt = async (offset, length) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    };
    const fail = (why: string) => new IntunewinError(`${file}: ${why}`);
    let entries;
    try {
      entries = await readCentralDirectory(readAt, size);
    } catch (e) {
      throw fail((e as Error).message);
    }
    const metadata = entries.find((e) => normalise(e.name).toLowerCase() === "intunewinpackage/metadata/detection.xml");
    if (!metadata) throw fail("no IntuneWinPackage/Metadata/Detection.xml entry; not an .intunewin");
    if (metadata.method !== METHOD_STORED) throw fail("Detection.xml is compressed; the Content Prep Tool stores it");
    let detection: Detection;
    try {
      detection = parseDetectionXml(await readAt(metadata.dataOffset, metadata.compressedSize));
    } catch (e) {
      throw fail((e as Error).message);
    }
    const contentsName = `intunewinpackage/contents/${detection.fileName}`.toLowerCase();
    const contents = entries.find((e) => normalise(e.name).toLowerCase() === contentsName);
    if (!contents) throw fail(`no IntuneWinPackage/Contents/${detection.fileName} entry, which Detection.xml names`);
    if (contents.method !== METHOD_STORED)
      throw fail(`${PAYLOAD_FILE_NAME} is compressed; the Content Prep Tool stores it`);
    const info = detection.encryptionInfo;
    const b64 = (s: string) => Buffer.from(s, "base64");
    let tail = Buffer.alloc(0);
    const verifier = new PayloadVerifier(
      {
        mac: b64(info.mac),
        iv: b64(info.initializationVector),
        macKey: b64(info.macKey),
        ...(decrypt ? { encryptionKey: b64(info.encryptionKey), fileDigest: b64(info.fileDigest) } : {}),
      },
      (chunk) => {
        tail = Buffer.concat([tail, chunk]);
        if (tail.length > 2 * TAIL) tail = tail.subarray(tail.length - TAIL);
      },
    );
    const payload = { offset: contents.dataOffset, length: contents.compressedSize };
    if (payload.length > 0) {
      for await (const chunk of createReadStream(file, {
        start: payload.offset,
        end: payload.offset + payload.length - 1,
        highWaterMark: 1 << 20,
      }))
        verifier.update(chunk as Buffer);
    }
    let result;
    try {
      result = verifier.final();
    } catch (e) {
      throw fail((e as Error).message);
    }
    if (result.plaintextSize !== undefined && result.plaintextSize !== detection.unencryptedContentSize) {
      throw fail(
        `the decrypted content is ${result.plaintextSize} bytes; Detection.xml says ${detection.unencryptedContentSize}`,
      );
    }
    const out: IntunewinContents = {
      detection,
      payload,
      macVerified: result.macVerified,
      digestVerified: result.digestVerified,
    };
    if (decrypt) out.files = await innerFiles(tail, result.plaintextSize ?? 0, fail);
    return out;
  } finally {
    await handle.close();
  }
}

/** The inner ZIP's file list from the end of its plaintext (`tail` holds its last bytes). */
async function innerFiles(
  tail: Buffer,
  plaintextSize: number,
  fail: (why: string) => Error,
): Promise<Array<{ name: string; size: number }>> {
  const start = plaintextSize - tail.length;
  const inTail = bufferReader(tail);
  try {
    const entries = await readCentralDirectory(
      async (offset, length) => (offset >= start ? inTail(offset - start, length) : Buffer.alloc(0)),
      plaintextSize,
      { localHeaders: false },
    );
    return entries.map((e) => ({ name: normalise(e.name), size: e.uncompressedSize }));
  } catch (e) {
    throw fail(`the decrypted content is not a ZIP archive: ${(e as Error).message}`);
  }
}
