// Detection.xml, the metadata entry of an `.intunewin`, in exactly the form Microsoft's Content Prep Tool
// (IntuneWinAppUtil 1.8.x) writes it: UTF-8 without BOM or XML declaration, CRLF line ends, two-space
// indent, root attributes xmlns:xsd, xmlns:xsi, ToolVersion, and `<MsiInfo>` after `<EncryptionInfo>`
// for an MSI setup file (element order from a real file quoted in svrooij/WingetIntune:
// tests/WingetIntune.Tests/Intune/IntuneMetadataTests.cs). The parser is lenient where real files vary
// (BOM, LF, attribute order, an optional Description, MsiInfo order) and strict on the encryption fields.
import { DIGEST_ALGORITHM, PROFILE_IDENTIFIER } from "./payload-crypto";
import { MSI_INFO_ORDER, type MsiInfo } from "./msi-facts";

/** The tool version written; the format is the one verified against 1.8.3.0/1.8.4.0 output. */
export const TOOL_VERSION = "1.8.4.0";
/** The inner payload's name in every real package. */
export const PAYLOAD_FILE_NAME = "IntunePackage.intunewin";

export interface EncryptionInfo {
  encryptionKey: string;
  macKey: string;
  initializationVector: string;
  mac: string;
  profileIdentifier: string;
  fileDigest: string;
  fileDigestAlgorithm: string;
}

export interface Detection {
  name: string;
  description?: string;
  unencryptedContentSize: number;
  fileName: string;
  setupFile: string;
  toolVersion: string;
  encryptionInfo: EncryptionInfo;
  msiInfo?: MsiInfo;
}

const ENCRYPTION_ELEMENTS: ReadonlyArray<[keyof EncryptionInfo, string]> = [
  ["encryptionKey", "EncryptionKey"],
  ["macKey", "MacKey"],
  ["initializationVector", "InitializationVector"],
  ["mac", "Mac"],
  ["profileIdentifier", "ProfileIdentifier"],
  ["fileDigest", "FileDigest"],
  ["fileDigestAlgorithm", "FileDigestAlgorithm"],
];

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeText(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&amp;/g, "&");
}

export function renderDetectionXml(d: Detection): Buffer {
  const el = (indent: string, tag: string, value: string | number | boolean) =>
    `${indent}<${tag}>${escapeText(String(value))}</${tag}>`;
  const lines = [
    `<ApplicationInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ToolVersion="${escapeText(d.toolVersion)}">`,
    el("  ", "Name", d.name),
    ...(d.description !== undefined ? [el("  ", "Description", d.description)] : []),
    el("  ", "UnencryptedContentSize", d.unencryptedContentSize),
    el("  ", "FileName", d.fileName),
    el("  ", "SetupFile", d.setupFile),
    "  <EncryptionInfo>",
    ...ENCRYPTION_ELEMENTS.map(([key, tag]) => el("    ", tag, d.encryptionInfo[key])),
    "  </EncryptionInfo>",
    ...(d.msiInfo
      ? ["  <MsiInfo>", ...MSI_INFO_ORDER.map((key) => el("    ", key, d.msiInfo![key])), "  </MsiInfo>"]
      : []),
    "</ApplicationInfo>",
  ];
  return Buffer.from(lines.join("\r\n"), "utf8");
}

export class DetectionXmlError extends Error {}

function element(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>|<${tag}(?:\\s[^>]*)?/>`).exec(xml);
  if (!m) return undefined;
  return unescapeText(m[1] ?? "");
}

const BYTES: Partial<Record<keyof EncryptionInfo, number>> = {
  encryptionKey: 32,
  macKey: 32,
  initializationVector: 16,
  mac: 32,
  fileDigest: 32,
};

/** Parses and checks Detection.xml; errors name the element. */
export function parseDetectionXml(bytes: Buffer): Detection {
  const xml = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const root = /<ApplicationInfo\b([^>]*)>/.exec(xml);
  if (!root) throw new DetectionXmlError("Detection.xml has no <ApplicationInfo> root element");
  const need = (scope: string, tag: string): string => {
    const v = element(scope, tag);
    if (v === undefined || v.trim() === "") throw new DetectionXmlError(`Detection.xml: <${tag}> is missing or empty`);
    return v.trim();
  };
  const encScope = element(xml, "EncryptionInfo");
  if (encScope === undefined) throw new DetectionXmlError("Detection.xml: <EncryptionInfo> is missing");
  const encXml = /<EncryptionInfo>([\s\S]*?)<\/EncryptionInfo>/.exec(xml)![1]!;
  const encryptionInfo = Object.fromEntries(
    ENCRYPTION_ELEMENTS.map(([key, tag]) => [key, need(encXml, tag)]),
  ) as unknown as EncryptionInfo;
  for (const [key, tag] of ENCRYPTION_ELEMENTS) {
    const bytesNeeded = BYTES[key];
    if (bytesNeeded === undefined) continue;
    const value = encryptionInfo[key];
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, "base64").length !== bytesNeeded) {
      throw new DetectionXmlError(`Detection.xml: <${tag}> must be ${bytesNeeded} bytes in base64`);
    }
  }
  if (encryptionInfo.profileIdentifier !== PROFILE_IDENTIFIER)
    throw new DetectionXmlError(
      `Detection.xml: <ProfileIdentifier> is '${encryptionInfo.profileIdentifier}'; only ${PROFILE_IDENTIFIER} exists`,
    );
  if (encryptionInfo.fileDigestAlgorithm !== DIGEST_ALGORITHM)
    throw new DetectionXmlError(
      `Detection.xml: <FileDigestAlgorithm> is '${encryptionInfo.fileDigestAlgorithm}'; ${PROFILE_IDENTIFIER} uses ${DIGEST_ALGORITHM}`,
    );
  const fileName = need(xml, "FileName");
  if (/[\\/]/.test(fileName))
    throw new DetectionXmlError(`Detection.xml: <FileName> '${fileName}' must be a plain file name`);
  const sizeText = need(xml, "UnencryptedContentSize");
  if (!/^\d+$/.test(sizeText))
    throw new DetectionXmlError(`Detection.xml: <UnencryptedContentSize> '${sizeText}' is not a byte count`);
  const out: Detection = {
    name: need(xml, "Name"),
    unencryptedContentSize: Number(sizeText),
    fileName,
    setupFile: need(xml, "SetupFile"),
    toolVersion: /\bToolVersion="([^"]*)"/.exec(root[1] ?? "")?.[1] ?? "",
    encryptionInfo,
  };
  const description = element(xml, "Description");
  if (description !== undefined) out.description = description;
  const msiXml = /<MsiInfo>([\s\S]*?)<\/MsiInfo>/.exec(xml)?.[1];
  if (msiXml !== undefined) {
    const info: Record<string, string | boolean> = {};
    for (const key of MSI_INFO_ORDER) {
      const v = element(msiXml, key)?.trim() ?? "";
      info[key] = v === "true" ? true : v === "false" ? false : v;
    }
    out.msiInfo = info as unknown as MsiInfo;
  }
  return out;
}
