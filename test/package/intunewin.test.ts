// The `.intunewin` packer and reader. Format facts: Graph's fileEncryptionInfo
// (https://learn.microsoft.com/graph/api/resources/intune-apps-fileencryptioninfo?view=graph-rest-beta:
// MAC = HMAC-SHA256 over IV ‖ encrypted content, 32-byte keys, 16-byte IV, digest before encryption) and the
// shape of the Content Prep Tool's output (stored outer ZIP, Contents then Metadata, growth-hint extra
// field, Detection.xml with CRLF and no declaration). The 64-byte vector is Microsoft365DSC's placeholder
// upload (microsoft/Microsoft365DSC, MIT: Modules/Microsoft365DSC/Modules/M365DSCIntuneUtil.psm1@8c0f234c,
// Invoke-M365DSCIntuneMobileAppInitialUpload).
import { createDecipheriv, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseDetectionXml, renderDetectionXml } from "../../src/package/detection-xml";
import { CONTENTS_ENTRY, METADATA_ENTRY, packIntunewin } from "../../src/package/intunewin-pack";
import { readIntunewin } from "../../src/package/intunewin-read";
import { readMsiFacts } from "../../src/package/msi-facts";
import { encryptPayload, PayloadVerifier, type RandomBytes } from "../../src/package/payload-crypto";
import {
  bufferReader,
  centralDirectory,
  crc32,
  FLAG_UTF8,
  growthHintExtra,
  localHeader,
  readCentralDirectory,
} from "../../src/package/zip";
import { msiPath } from "./fixtures";

const b64 = (s: string) => Buffer.from(s, "base64");
const VECTOR = {
  encrypted: b64("+drh1SKfuLjdp37gfv8EuWqOTt06m0TirqJJ0xQvrd5sm6NkiYBY8vBkFM+9ZwHRskO83NEfsLPtTzLB9FFsKA=="),
  encryptionKey: b64("yqjlzT5KYpwU0wkr5eJGGukMB0Ar8iGqYX3B0lJJnKk="),
  macKey: b64("mGfhTn/0AB3fftWzENQcoU34xghAfvVq23PoiBD81tM="),
  iv: b64("bJujZImAWPLwZBTPvWcB0Q=="),
  mac: b64("+drh1SKfuLjdp37gfv8EuWqOTt06m0TirqJJ0xQvrd4="),
  fileDigest: b64("ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="),
};

/** Randomness that hands out fixed bytes in the order the packer asks: key, MAC key, IV. */
function fixedRandom(...values: Buffer[]): RandomBytes {
  const queue = [...values];
  return (n) => {
    const next = queue.shift();
    if (!next || next.length !== n) throw new Error(`test randomness: asked for ${n} bytes`);
    return next;
  };
}
const seeded = () => fixedRandom(Buffer.alloc(32, 1), Buffer.alloc(32, 2), Buffer.alloc(16, 3));
const tmp = () => mkdtempSync(path.join(tmpdir(), "wslpolicy-intunewin-"));
const NOW = new Date("2026-11-02T10:20:30Z");
const FILE_TIME = new Date("2026-10-01T08:00:00Z");

describe("the payload cipher", () => {
  it("decrypts the published 64-byte vector to 'a' with a matching MAC and digest", () => {
    const d = createDecipheriv("aes-256-cbc", VECTOR.encryptionKey, VECTOR.iv);
    const plain = Buffer.concat([d.update(VECTOR.encrypted.subarray(48)), d.final()]);
    expect(plain.toString()).toBe("a");
    expect(VECTOR.encrypted.subarray(0, 32)).toEqual(VECTOR.mac);
    expect(VECTOR.encrypted.subarray(32, 48)).toEqual(VECTOR.iv);
    const verifier = new PayloadVerifier({
      mac: VECTOR.mac,
      iv: VECTOR.iv,
      macKey: VECTOR.macKey,
      encryptionKey: VECTOR.encryptionKey,
      fileDigest: VECTOR.fileDigest,
    });
    verifier.update(VECTOR.encrypted);
    expect(verifier.final()).toEqual({ macVerified: true, digestVerified: true, plaintextSize: 1 });
  });

  it("re-encrypts 'a' with the vector's keys to exactly the same 64 bytes", () => {
    const { payload, seal } = encryptPayload(Buffer.from("a"), {
      encryptionKey: VECTOR.encryptionKey,
      macKey: VECTOR.macKey,
      iv: VECTOR.iv,
    });
    expect(payload).toEqual(VECTOR.encrypted);
    expect(seal).toEqual({ mac: VECTOR.mac, fileDigest: VECTOR.fileDigest, plaintextSize: 1, encryptedSize: 64 });
  });

  it("grows the plaintext to 48 + 16·(⌊n/16⌋+1) bytes", () => {
    for (const n of [0, 1, 15, 16, 905, 4097]) {
      expect(
        encryptPayload(Buffer.alloc(n, 7), {
          encryptionKey: VECTOR.encryptionKey,
          macKey: VECTOR.macKey,
          iv: VECTOR.iv,
        }).payload.length,
      ).toBe(48 + 16 * (Math.floor(n / 16) + 1));
    }
  });

  it("refuses a payload whose ciphertext was changed, and one whose digest does not match", () => {
    const tampered = Buffer.from(VECTOR.encrypted);
    tampered[60]! ^= 1;
    const v1 = new PayloadVerifier({ mac: VECTOR.mac, iv: VECTOR.iv, macKey: VECTOR.macKey });
    v1.update(tampered);
    expect(() => v1.final()).toThrow("the MAC does not match the payload");
    const v2 = new PayloadVerifier({
      mac: VECTOR.mac,
      iv: VECTOR.iv,
      macKey: VECTOR.macKey,
      encryptionKey: VECTOR.encryptionKey,
      fileDigest: Buffer.alloc(32),
    });
    v2.update(VECTOR.encrypted);
    expect(() => v2.final()).toThrow("the decrypted content does not match FileDigest");
  });
});

describe("packing an MSI", () => {
  const msi = msiPath("per-machine-plugin");
  const facts = readMsiFacts(readFileSync(msi), "per-machine-plugin.msi");
  const pack = (outDir = tmp(), random = seeded()) =>
    packIntunewin({ setupFile: msi, outDir, msi: facts, random, now: () => NOW, setupFileTime: FILE_TIME });

  it("gives identical bytes for the same randomness and clock, and other bytes for other keys", async () => {
    const a = readFileSync((await pack()).path);
    const b = readFileSync((await pack()).path);
    const c = readFileSync(
      (await pack(tmp(), fixedRandom(Buffer.alloc(32, 9), Buffer.alloc(32, 2), Buffer.alloc(16, 3)))).path,
    );
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it("writes <name>.intunewin as a stored outer ZIP: Contents then Metadata, version 45/10, no flags, growth-hint extra", async () => {
    const { path: file, seal } = await pack();
    expect(path.basename(file)).toBe("per-machine-plugin.intunewin");
    const bytes = readFileSync(file);
    const entries = await readCentralDirectory(bufferReader(bytes), bytes.length);
    expect(entries.map((e) => e.name)).toEqual([CONTENTS_ENTRY, METADATA_ENTRY]);
    for (const e of entries) {
      expect({
        method: e.method,
        flags: e.flags,
        made: e.versionMadeBy,
        needed: e.versionNeeded,
        attrs: e.externalAttributes,
        modified: e.modified,
      }).toEqual({ method: 0, flags: 0, made: 45, needed: 10, attrs: 0, modified: NOW });
      expect(bytes.subarray(e.dataOffset - 28, e.dataOffset)).toEqual(growthHintExtra());
    }
    expect(entries[0]!.compressedSize).toBe(seal.encryptedSize);
    expect(
      bytes.subarray(entries[0]!.dataOffset, entries[0]!.dataOffset + entries[0]!.compressedSize).subarray(0, 32),
    ).toEqual(seal.mac);
  });

  it("encrypts an inner ZIP holding the MSI (deflate, UTF-8 names, version 20) whose SHA-256 is the FileDigest", async () => {
    const { path: file, detection } = await pack();
    const bytes = readFileSync(file);
    const [contents] = await readCentralDirectory(bufferReader(bytes), bytes.length);
    const payload = bytes.subarray(contents!.dataOffset, contents!.dataOffset + contents!.compressedSize);
    const d = createDecipheriv("aes-256-cbc", Buffer.alloc(32, 1), Buffer.alloc(16, 3));
    const plain = Buffer.concat([d.update(payload.subarray(48)), d.final()]);
    expect(createHash("sha256").update(plain).digest("base64")).toBe(detection.encryptionInfo.fileDigest);
    expect(plain.length).toBe(detection.unencryptedContentSize);
    const inner = await readCentralDirectory(bufferReader(plain), plain.length);
    expect(
      inner.map((e) => ({
        name: e.name,
        method: e.method,
        flags: e.flags,
        made: e.versionMadeBy,
        needed: e.versionNeeded,
        size: e.uncompressedSize,
        modified: e.modified,
      })),
    ).toEqual([
      {
        name: "per-machine-plugin.msi",
        method: 8,
        flags: FLAG_UTF8,
        made: 20,
        needed: 20,
        size: readFileSync(msi).length,
        modified: FILE_TIME,
      },
    ]);
  });

  it("writes Detection.xml in the tool's form: no BOM or declaration, CRLF, two-space indent, MsiInfo after EncryptionInfo", async () => {
    const { path: file, detection } = await pack();
    const bytes = readFileSync(file);
    const [, meta] = await readCentralDirectory(bufferReader(bytes), bytes.length);
    const xml = bytes.subarray(meta!.dataOffset, meta!.dataOffset + meta!.compressedSize).toString("utf8");
    const e = detection.encryptionInfo;
    expect(xml).toBe(
      [
        '<ApplicationInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ToolVersion="1.8.4.0">',
        "  <Name>Stand-in plug-in</Name>",
        `  <UnencryptedContentSize>${detection.unencryptedContentSize}</UnencryptedContentSize>`,
        "  <FileName>IntunePackage.intunewin</FileName>",
        "  <SetupFile>per-machine-plugin.msi</SetupFile>",
        "  <EncryptionInfo>",
        `    <EncryptionKey>${Buffer.alloc(32, 1).toString("base64")}</EncryptionKey>`,
        `    <MacKey>${Buffer.alloc(32, 2).toString("base64")}</MacKey>`,
        `    <InitializationVector>${Buffer.alloc(16, 3).toString("base64")}</InitializationVector>`,
        `    <Mac>${e.mac}</Mac>`,
        "    <ProfileIdentifier>ProfileVersion1</ProfileIdentifier>",
        `    <FileDigest>${e.fileDigest}</FileDigest>`,
        "    <FileDigestAlgorithm>SHA256</FileDigestAlgorithm>",
        "  </EncryptionInfo>",
        "  <MsiInfo>",
        "    <MsiProductCode>{3C1F2A40-7B5D-4E8A-9C21-5D6E7F809A1B}</MsiProductCode>",
        "    <MsiProductVersion>1.2.3.4</MsiProductVersion>",
        `    <MsiPackageCode>${facts.packageCode}</MsiPackageCode>`,
        "    <MsiUpgradeCode>{8E2D4B60-1A3C-4F5E-8D7B-9C0A1B2C3D4E}</MsiUpgradeCode>",
        "    <MsiExecutionContext>System</MsiExecutionContext>",
        "    <MsiRequiresLogon>false</MsiRequiresLogon>",
        "    <MsiRequiresReboot>false</MsiRequiresReboot>",
        "    <MsiIsMachineInstall>true</MsiIsMachineInstall>",
        "    <MsiIsUserInstall>false</MsiIsUserInstall>",
        "    <MsiIncludesServices>false</MsiIncludesServices>",
        "    <MsiIncludesODBCDataSource>false</MsiIncludesODBCDataSource>",
        "    <MsiContainsSystemRegistryKeys>true</MsiContainsSystemRegistryKeys>",
        "    <MsiContainsSystemFolders>false</MsiContainsSystemFolders>",
        "    <MsiPublisher>wslpolicy test fixtures</MsiPublisher>",
        "  </MsiInfo>",
        "</ApplicationInfo>",
      ].join("\r\n"),
    );
  });

  it("reads its own package back with the MAC and digest verified", async () => {
    const { path: file, detection, seal } = await pack();
    const read = await readIntunewin(file);
    expect(read.detection).toEqual(detection);
    expect(read).toMatchObject({
      macVerified: true,
      digestVerified: true,
      files: [{ name: "per-machine-plugin.msi", size: readFileSync(msi).length }],
    });
    expect(read.payload.length).toBe(seal.encryptedSize);
  });

  it("streams a setup file of many chunks", async () => {
    const dir = tmp();
    const big = path.join(dir, "big.bin");
    const data = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    writeFileSync(big, data);
    const packed = await packIntunewin({ setupFile: big, outDir: dir, random: seeded(), now: () => NOW });
    const read = await readIntunewin(packed.path);
    expect(read).toMatchObject({
      macVerified: true,
      digestVerified: true,
      files: [{ name: "big.bin", size: data.length }],
    });
    expect(read.detection.msiInfo).toBeUndefined();
    expect(read.detection.name).toBe("big.bin");
  });
});

/** An `.intunewin` assembled by hand from inner files and a Detection.xml text transform. */
async function handMade(
  files: Array<[string, Buffer]>,
  xmlEdit: (xml: string) => string = (x) => x,
  payloadEdit: (p: Buffer) => void = () => {},
): Promise<string> {
  const keys = { encryptionKey: Buffer.alloc(32, 4), macKey: Buffer.alloc(32, 5), iv: Buffer.alloc(16, 6) };
  const parts: Buffer[] = [];
  const central = [];
  let at = 0;
  for (const [name, data] of files) {
    const header = {
      name,
      method: 8,
      flags: FLAG_UTF8,
      versionMadeBy: 20,
      versionNeeded: 20,
      crc: crc32(data),
      compressedSize: 0,
      uncompressedSize: data.length,
      modified: FILE_TIME,
    };
    const deflated = deflateRawSync(data);
    header.compressedSize = deflated.length;
    const local = localHeader(header);
    central.push({ ...header, offset: at });
    parts.push(local, deflated);
    at += local.length + deflated.length;
  }
  const plain = Buffer.concat([...parts, centralDirectory(central, at)]);
  const { payload, seal } = encryptPayload(plain, keys);
  payloadEdit(payload);
  const xml = Buffer.from(
    xmlEdit(
      renderDetectionXml({
        name: "install.ps1",
        unencryptedContentSize: plain.length,
        fileName: "IntunePackage.intunewin",
        setupFile: "install.ps1",
        toolVersion: "1.8.3.0",
        encryptionInfo: {
          encryptionKey: keys.encryptionKey.toString("base64"),
          macKey: keys.macKey.toString("base64"),
          initializationVector: keys.iv.toString("base64"),
          mac: seal.mac.toString("base64"),
          profileIdentifier: "ProfileVersion1",
          fileDigest: seal.fileDigest.toString("base64"),
          fileDigestAlgorithm: "SHA256",
        },
      }).toString("utf8"),
    ),
  );
  const outer = (name: string, data: Buffer) => ({
    name,
    method: 0,
    flags: 0,
    versionMadeBy: 45,
    versionNeeded: 10,
    crc: crc32(data),
    compressedSize: data.length,
    uncompressedSize: data.length,
    modified: NOW,
  });
  const c = outer(CONTENTS_ENTRY, payload);
  const m = outer(METADATA_ENTRY, xml);
  const lc = localHeader(c);
  const lm = localHeader(m);
  const file = path.join(tmp(), "install.intunewin");
  writeFileSync(
    file,
    Buffer.concat([
      lc,
      payload,
      lm,
      xml,
      centralDirectory(
        [
          { ...c, offset: 0 },
          { ...m, offset: lc.length + payload.length },
        ],
        lc.length + payload.length + lm.length + xml.length,
      ),
    ]),
  );
  return file;
}

describe("reading packages of other makers", () => {
  it("accepts backslashes in inner names (.NET Framework's CreateFromDirectory) and lists them with '/'", async () => {
    const file = await handMade([
      ["install.ps1", Buffer.from("Write-Host hi")],
      ["Fonts\\DCH-Basisschrift.otf", Buffer.alloc(300, 1)],
    ]);
    expect((await readIntunewin(file)).files).toEqual([
      { name: "install.ps1", size: 13 },
      { name: "Fonts/DCH-Basisschrift.otf", size: 300 },
    ]);
  });

  it("accepts a BOM, LF line ends, xmlns:xsi first and a Description", async () => {
    const file = await handMade(
      [["install.ps1", Buffer.from("x")]],
      (xml) =>
        "\uFEFF" +
        xml
          .replace(/\r\n/g, "\n")
          .replace(
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
          )
          .replace("</Name>", "</Name>\n  <Description>made elsewhere</Description>"),
    );
    const read = await readIntunewin(file);
    expect(read.detection).toMatchObject({
      name: "install.ps1",
      description: "made elsewhere",
      toolVersion: "1.8.3.0",
    });
    expect(read.digestVerified).toBe(true);
  });

  it("names the file and the problem when the payload was changed", async () => {
    const file = await handMade([["install.ps1", Buffer.from("x")]], undefined, (p) => void (p[p.length - 1]! ^= 0xff));
    await expect(readIntunewin(file)).rejects.toThrow(`${file}: the MAC does not match the payload`);
  });

  it("refuses a Detection.xml whose key is not 32 bytes, naming the element", async () => {
    const file = await handMade([["install.ps1", Buffer.from("x")]], (xml) =>
      xml.replace(/<MacKey>[^<]*</, `<MacKey>${Buffer.alloc(16).toString("base64")}<`),
    );
    await expect(readIntunewin(file)).rejects.toThrow("<MacKey> must be 32 bytes in base64");
  });

  it("refuses a FileName with a path in it", async () => {
    const file = await handMade([["install.ps1", Buffer.from("x")]], (xml) =>
      xml.replace("<FileName>IntunePackage.intunewin", "<FileName>C:\\Temp\\IntunePackage.intunewin"),
    );
    await expect(readIntunewin(file)).rejects.toThrow("must be a plain file name");
  });

  it("parses what it renders", () => {
    const d = parseDetectionXml(
      renderDetectionXml({
        name: "A & B <x>",
        unencryptedContentSize: 5,
        fileName: "IntunePackage.intunewin",
        setupFile: "a.msi",
        toolVersion: "1.8.4.0",
        encryptionInfo: {
          encryptionKey: Buffer.alloc(32).toString("base64"),
          macKey: Buffer.alloc(32).toString("base64"),
          initializationVector: Buffer.alloc(16).toString("base64"),
          mac: Buffer.alloc(32).toString("base64"),
          profileIdentifier: "ProfileVersion1",
          fileDigest: Buffer.alloc(32).toString("base64"),
          fileDigestAlgorithm: "SHA256",
        },
      }),
    );
    expect(d.name).toBe("A & B <x>");
  });
});
