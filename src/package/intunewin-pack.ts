// Packs a setup file into an `.intunewin` the way Microsoft's Content Prep Tool does (IntuneWinAppUtil
// 1.8.x output, checked byte by byte): an inner ZIP of the setup file (deflate, UTF-8 names, version 20),
// encrypted to `MAC ‖ IV ‖ ciphertext` (payload-crypto.ts), then an outer ZIP, stored, version made by 45
// and needed 10, no flags, a growth-hint extra field in each local header, holding
// `IntuneWinPackage/Contents/IntunePackage.intunewin` and then `IntuneWinPackage/Metadata/Detection.xml`.
// The setup file streams through (deflated to a temporary file first, because a local header carries the
// CRC and sizes); only the randomness and the clock are injected, so tests get identical bytes.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createDeflateRaw, crc32 } from "node:zlib";
import { PAYLOAD_FILE_NAME, renderDetectionXml, TOOL_VERSION, type Detection } from "./detection-xml";
import type { MsiFacts } from "./msi-facts";
import {
  DIGEST_ALGORITHM,
  newPayloadKeys,
  PAYLOAD_HEADER,
  PayloadEncryptor,
  PROFILE_IDENTIFIER,
  type PayloadSeal,
  type RandomBytes,
} from "./payload-crypto";
import {
  centralDirectory,
  FLAG_UTF8,
  growthHintExtra,
  localHeader,
  METHOD_DEFLATE,
  METHOD_STORED,
  type ZipEntryHeader,
} from "./zip";

export const CONTENTS_ENTRY = `IntuneWinPackage/Contents/${PAYLOAD_FILE_NAME}`;
export const METADATA_ENTRY = "IntuneWinPackage/Metadata/Detection.xml";

export interface PackOptions {
  /** The setup file (an MSI for wslpolicy's apps). */
  setupFile: string;
  /** Where `<setup name>.intunewin` is written (created when missing). */
  outDir: string;
  /** What the MSI says, for `<Name>` and `<MsiInfo>`; without it the package is a non-MSI one. */
  msi?: MsiFacts;
  random?: RandomBytes;
  /** Timestamp of the outer entries; the inner entry carries the setup file's modification time. */
  now?: () => Date;
  /** Overrides the inner entry's timestamp (tests). */
  setupFileTime?: Date;
}

export interface PackResult {
  path: string;
  detection: Detection;
  seal: PayloadSeal;
}

/** `DefenderPlugin-x64-1.24.522.2.msi` → `DefenderPlugin-x64-1.24.522.2.intunewin` (the tool's output name). */
export function intunewinFileName(setupFile: string): string {
  const base = path.basename(setupFile);
  const dot = base.lastIndexOf(".");
  return `${dot > 0 ? base.slice(0, dot) : base}.intunewin`;
}

async function* chunksOf(file: string): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}

/** Deflates `file` into `into`, returning the CRC and both sizes. */
async function deflateToFile(
  file: string,
  into: string,
): Promise<{ crc: number; size: number; compressedSize: number }> {
  let crc = 0;
  let size = 0;
  const deflate = createDeflateRaw({ level: 1 });
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  source.on("data", (chunk: Buffer | string) => {
    if (typeof chunk === "string") chunk = Buffer.from(chunk);
    crc = crc32(chunk, crc);
    size += chunk.length;
  });
  await pipeline(source, deflate, createWriteStream(into));
  return { crc, size, compressedSize: (await stat(into)).size };
}

export async function packIntunewin(opts: PackOptions): Promise<PackResult> {
  const now = opts.now?.() ?? new Date();
  const setupName = path.basename(opts.setupFile);
  const info = await stat(opts.setupFile);
  await mkdir(opts.outDir, { recursive: true });
  const out = path.join(opts.outDir, intunewinFileName(opts.setupFile));
  const tmp = (suffix: string) => `${out}.${process.pid}.${suffix}.tmp`;
  const deflated = tmp("deflate");
  const payloadFile = tmp("payload");
  const outerTmp = tmp("outer");
  try {
    // 1. The inner ZIP's single entry, deflated.
    const d = await deflateToFile(opts.setupFile, deflated);
    const inner: ZipEntryHeader = {
      name: setupName,
      method: METHOD_DEFLATE,
      flags: FLAG_UTF8,
      versionMadeBy: 20,
      versionNeeded: 20,
      crc: d.crc,
      compressedSize: d.compressedSize,
      uncompressedSize: d.size,
      modified: opts.setupFileTime ?? info.mtime,
    };
    const head = localHeader(inner);
    const tail = centralDirectory([{ ...inner, offset: 0 }], head.length + d.compressedSize);

    // 2. The inner ZIP streamed through the encryptor into the payload, MAC ‖ IV written last in front.
    const encryptor = new PayloadEncryptor(newPayloadKeys(opts.random));
    const payload = await open(payloadFile, "w");
    let seal: PayloadSeal;
    let payloadCrc = 0;
    try {
      let at = PAYLOAD_HEADER;
      const write = async (b: Buffer) => {
        if (b.length === 0) return;
        await payload.write(b, 0, b.length, at);
        at += b.length;
      };
      await write(encryptor.update(head));
      for await (const chunk of chunksOf(deflated)) await write(encryptor.update(chunk));
      await write(encryptor.update(tail));
      const final = encryptor.final();
      await write(final.tail);
      await payload.write(final.header, 0, PAYLOAD_HEADER, 0);
      seal = final.seal;
    } finally {
      await payload.close();
    }
    for await (const chunk of chunksOf(payloadFile)) payloadCrc = crc32(chunk, payloadCrc);

    // 3. Detection.xml and the outer, stored ZIP.
    const detection: Detection = {
      name: opts.msi?.productName || setupName,
      unencryptedContentSize: seal.plaintextSize,
      fileName: PAYLOAD_FILE_NAME,
      setupFile: setupName,
      toolVersion: TOOL_VERSION,
      encryptionInfo: {
        encryptionKey: encryptor.keys.encryptionKey.toString("base64"),
        macKey: encryptor.keys.macKey.toString("base64"),
        initializationVector: encryptor.keys.iv.toString("base64"),
        mac: seal.mac.toString("base64"),
        profileIdentifier: PROFILE_IDENTIFIER,
        fileDigest: seal.fileDigest.toString("base64"),
        fileDigestAlgorithm: DIGEST_ALGORITHM,
      },
      ...(opts.msi ? { msiInfo: opts.msi.msiInfo } : {}),
    };
    const xml = renderDetectionXml(detection);
    const outer = (name: string, crc: number, size: number): ZipEntryHeader => ({
      name,
      method: METHOD_STORED,
      flags: 0,
      versionMadeBy: 45,
      versionNeeded: 10,
      crc,
      compressedSize: size,
      uncompressedSize: size,
      modified: now,
      localExtra: growthHintExtra(),
    });
    const contents = outer(CONTENTS_ENTRY, payloadCrc, seal.encryptedSize);
    const metadata = outer(METADATA_ENTRY, crc32(xml), xml.length);
    const contentsHead = localHeader(contents);
    const metadataHead = localHeader(metadata);
    const metadataOffset = contentsHead.length + seal.encryptedSize;
    const cdOffset = metadataOffset + metadataHead.length + xml.length;
    const sink = createWriteStream(outerTmp);
    await pipeline(
      (async function* () {
        yield contentsHead;
        yield* chunksOf(payloadFile);
        yield metadataHead;
        yield xml;
        yield centralDirectory(
          [
            { ...contents, offset: 0 },
            { ...metadata, offset: metadataOffset },
          ],
          cdOffset,
        );
      })(),
      sink,
    );
    await rename(outerTmp, out);
    return { path: out, detection, seal };
  } finally {
    await Promise.all([deflated, payloadFile, outerTmp].map((f) => rm(f, { force: true })));
  }
}
