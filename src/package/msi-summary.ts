// The Summary Information stream of an MSI (`\u0005SummaryInformation`): an OLE property set (MS-OLEPS
// §2.21, https://learn.microsoft.com/openspecs/windows_protocols/ms-oleps/3f9119dc-faa2-4bb9-af95-5cf128fa5fbd)
// whose property ids are those of https://learn.microsoft.com/windows/win32/msi/summary-information-stream-property-set.
import { MsiFormatError } from "./msi-database";

export interface MsiSummary {
  /** PID 2: "Installation Database" for a package, "Patch" / "Transform" otherwise. */
  title?: string;
  /** PID 3 Subject: the product name. */
  subject?: string;
  /** PID 4 Author: the manufacturer. */
  author?: string;
  /** PID 7 Template: `<platform>;<languages>`, e.g. `x64;1033`. */
  template?: string;
  /** PID 9 Revision Number: the PackageCode of a package. */
  revisionNumber?: string;
  /** PID 14 Page Count: minimum installer version × 100. */
  pageCount?: number;
  /** PID 15 Word Count: source image flags. */
  wordCount?: number;
  /** PID 18 Creating Application. */
  creatingApplication?: string;
}

const VT_I2 = 2;
const VT_I4 = 3;
const VT_LPSTR = 0x1e;
const PIDS: Record<number, keyof MsiSummary> = {
  2: "title",
  3: "subject",
  4: "author",
  7: "template",
  9: "revisionNumber",
  14: "pageCount",
  15: "wordCount",
  18: "creatingApplication",
};
const PID_CODEPAGE = 1;

export function readMsiSummary(stream: Buffer | undefined): MsiSummary {
  if (!stream || stream.length < 48) throw new MsiFormatError("the Summary Information stream is missing or truncated");
  const section = stream.readUInt32LE(44);
  if (section + 8 > stream.length)
    throw new MsiFormatError("the Summary Information section lies past the end of its stream");
  const count = stream.readUInt32LE(section + 4);
  const entries: Array<{ pid: number; at: number }> = [];
  for (let i = 0; i < count; i++) {
    const at = section + 8 + i * 8;
    if (at + 8 > stream.length) throw new MsiFormatError("the Summary Information property list is truncated");
    entries.push({ pid: stream.readUInt32LE(at), at: section + stream.readUInt32LE(at + 4) });
  }
  const value = (at: number): string | number | undefined => {
    if (at + 4 > stream.length) return undefined;
    const type = stream.readUInt16LE(at);
    if (type === VT_I2) return stream.readInt16LE(at + 4);
    if (type === VT_I4) return stream.readInt32LE(at + 4);
    if (type === VT_LPSTR) {
      const len = stream.readUInt32LE(at + 4);
      return stream
        .subarray(at + 8, at + 8 + len)
        .toString("latin1")
        .replace(/\0+$/, "");
    }
    return undefined;
  };
  const codepageEntry = entries.find((e) => e.pid === PID_CODEPAGE);
  const codepage = codepageEntry ? Number(value(codepageEntry.at)) & 0xffff : 0;
  const decoder = new TextDecoder(codepage === 65001 ? "utf-8" : "windows-1252");
  const out: MsiSummary = {};
  for (const { pid, at } of entries) {
    const key = PIDS[pid];
    if (!key) continue;
    const v = value(at);
    if (typeof v === "string") (out as Record<string, unknown>)[key] = decoder.decode(Buffer.from(v, "latin1"));
    else if (typeof v === "number") (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
