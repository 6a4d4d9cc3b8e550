// The MSI reader against files built by wixl and read back by msiinfo (both Debian msitools): every
// table and summary value must be what msiinfo exported from the same file; the MsiInfo derivations follow
// the Content Prep Tool's rules (redanthrax/intunewinlib MsiUtil.cs); what is not a package is refused.
import { readFileSync } from "node:fs";
import * as CFB from "cfb";
import { describe, expect, it } from "vitest";
import { decodeStreamName, readMsiDatabase } from "../../src/package/msi-database";
import { readMsiFacts } from "../../src/package/msi-facts";
import { readMsiSummary } from "../../src/package/msi-summary";
import { exportedSummary, exportedTable, FIXTURES, msiPath } from "./fixtures";

const asText = (v: string | number | null) => (v === null ? "" : String(v));

describe("MSI tables match msiinfo export", () => {
  for (const name of FIXTURES) {
    for (const table of ["Property", "Registry", "Directory", "ServiceInstall"]) {
      it(`${name}: ${table}`, () => {
        const db = readMsiDatabase(readFileSync(msiPath(name)));
        const rows = (db.tables.get(table) ?? []).map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asText(v)])),
        );
        const expected = exportedTable(name, table);
        const key = Object.keys(expected[0] ?? rows[0] ?? { x: 1 })[0]!;
        const byKey = (a: Record<string, string>, b: Record<string, string>) => (a[key]! < b[key]! ? -1 : 1);
        expect(rows.sort(byKey)).toEqual(expected.sort(byKey));
      });
    }
    it(`${name}: summary information`, () => {
      const summary = readMsiSummary(
        readMsiDatabase(readFileSync(msiPath(name))).streams.get("\u0005SummaryInformation"),
      );
      const expected = exportedSummary(name);
      expect(summary).toMatchObject({
        title: expected.Title,
        subject: expected.Subject,
        author: expected.Author,
        template: expected.Template,
        revisionNumber: expected["Revision number (UUID)"],
      });
      expect(summary.pageCount).toBe(Number(expected.Version!.split(" ")[0]));
    });
  }
});

describe("MSI facts for Intune", () => {
  it("a per-machine package: System context, machine install, HKLM registry keys", () => {
    const facts = readMsiFacts(readFileSync(msiPath("per-machine-plugin")), "per-machine-plugin.msi");
    const summary = exportedSummary("per-machine-plugin");
    expect(facts).toMatchObject({
      productCode: "{3C1F2A40-7B5D-4E8A-9C21-5D6E7F809A1B}",
      productVersion: "1.2.3.4",
      upgradeCode: "{8E2D4B60-1A3C-4F5E-8D7B-9C0A1B2C3D4E}",
      publisher: "wslpolicy test fixtures",
      productName: "Stand-in plug-in",
      allUsers: "1",
      template: "x64;1033",
      packageType: "perMachine",
    });
    expect(facts.packageCode).toBe(summary["Revision number (UUID)"]);
    expect(facts.msiInfo).toEqual({
      MsiProductCode: "{3C1F2A40-7B5D-4E8A-9C21-5D6E7F809A1B}",
      MsiProductVersion: "1.2.3.4",
      MsiPackageCode: facts.packageCode,
      MsiUpgradeCode: "{8E2D4B60-1A3C-4F5E-8D7B-9C0A1B2C3D4E}",
      MsiExecutionContext: "System",
      MsiRequiresLogon: false,
      MsiRequiresReboot: false,
      MsiIsMachineInstall: true,
      MsiIsUserInstall: false,
      MsiIncludesServices: false,
      MsiIncludesODBCDataSource: false,
      MsiContainsSystemRegistryKeys: true,
      MsiContainsSystemFolders: false,
      MsiPublisher: "wslpolicy test fixtures",
    });
  });

  it("a per-user package (ALLUSERS empty, REBOOT=Force, HKCU only): User context, needs logon and a reboot", () => {
    const facts = readMsiFacts(readFileSync(msiPath("per-user-tool")), "per-user-tool.msi");
    expect(facts.packageType).toBe("perUser");
    expect(facts.msiInfo).toMatchObject({
      MsiExecutionContext: "User",
      MsiRequiresLogon: true,
      MsiRequiresReboot: true,
      MsiIsMachineInstall: false,
      MsiIsUserInstall: true,
      MsiContainsSystemRegistryKeys: false,
    });
  });

  it("a service installed into SystemFolder: services and system folders are reported", () => {
    const facts = readMsiFacts(readFileSync(msiPath("service-in-system-folder")), "service-in-system-folder.msi");
    expect(facts.msiInfo).toMatchObject({
      MsiIncludesServices: true,
      MsiContainsSystemFolders: true,
      MsiContainsSystemRegistryKeys: false,
      MsiExecutionContext: "System",
    });
  });
});

// ---- synthetic databases: what no fixture has ----------------------------------------------------

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
/** Wine's encode_streamname, for building databases in the test. */
function encodeTableName(name: string): string {
  let out = String.fromCharCode(0x4840);
  for (let i = 0; i < name.length; i += 2) {
    const a = ALPHABET.indexOf(name[i]!);
    const b = i + 1 < name.length ? ALPHABET.indexOf(name[i + 1]!) : -1;
    out += String.fromCharCode(b >= 0 ? 0x3800 + a + (b << 6) : 0x4800 + a);
  }
  return out;
}

const SUMMARY_FMTID = Buffer.from("e0859ff2f94f6810ab9108002b27b3d9", "hex");
function summaryStream(props: Array<[number, string]>): Buffer {
  const values = props.map(([, text]) => {
    const bytes = Buffer.from(text + "\0", "latin1");
    const v = Buffer.alloc(8 + Math.ceil(bytes.length / 4) * 4);
    v.writeUInt32LE(0x1e, 0);
    v.writeUInt32LE(bytes.length, 4);
    bytes.copy(v, 8);
    return v;
  });
  const head = Buffer.alloc(8 + props.length * 8);
  let at = head.length;
  props.forEach(([pid], i) => {
    head.writeUInt32LE(pid, 8 + i * 8);
    head.writeUInt32LE(at, 12 + i * 8);
    at += values[i]!.length;
  });
  head.writeUInt32LE(at, 0);
  head.writeUInt32LE(props.length, 4);
  const header = Buffer.alloc(48);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt32LE(1, 24);
  SUMMARY_FMTID.copy(header, 28);
  header.writeUInt32LE(48, 44);
  return Buffer.concat([header, head, ...values]);
}

interface Synthetic {
  strings: string[];
  longRefs: boolean;
  clsid?: string;
  /** Extra empty pool entries before the strings (ids that hold nothing). */
  emptySlots?: number;
  /** Property rows; default ProductCode and ProductVersion (the last string). */
  rows?: Array<[string, string]>;
}

/** A database with one Property table holding ProductCode and ProductVersion, strings in the given order. */
function syntheticDatabase({
  strings,
  longRefs,
  clsid = "84100c0000000000c000000000000046",
  emptySlots = 0,
  rows: given,
}: Synthetic): Buffer {
  const pool: number[] = [0, longRefs ? 0x8000 : 0];
  const ids = new Map<string, number>();
  let id = 1;
  for (let i = 0; i < emptySlots; i++, id++) pool.push(0, 0);
  for (const s of strings) {
    const len = Buffer.byteLength(s, "latin1");
    if (len > 0xffff) pool.push(0, 1, len & 0xffff, len >>> 16);
    else pool.push(len, 1);
    ids.set(s, id++);
  }
  const poolBuf = Buffer.alloc(pool.length * 2);
  pool.forEach((w, i) => poolBuf.writeUInt16LE(w, i * 2));
  const data = Buffer.from(strings.join(""), "latin1");
  const ref = (s: string) => {
    const v = ids.get(s)!;
    const b = Buffer.alloc(longRefs ? 3 : 2);
    b.writeUInt16LE(v & 0xffff, 0);
    if (longRefs) b[2] = v >>> 16;
    return b;
  };
  const i2 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v + 0x8000, 0);
    return b;
  };
  const column = (table: string, n: number, name: string, type: number) => ({ table, n, name, type });
  const cols = [column("Property", 1, "Property", 0x2d48), column("Property", 2, "Value", 0x0f00)];
  const columnsStream = Buffer.concat([
    ...cols.map((c) => ref(c.table)),
    ...cols.map((c) => i2(c.n)),
    ...cols.map((c) => ref(c.name)),
    ...cols.map((c) => i2(c.type)),
  ]);
  const rows = given ?? [
    ["ProductCode", "{11111111-2222-4333-8444-555555555555}"],
    ["ProductVersion", strings[strings.length - 1]!],
  ];
  const property = Buffer.concat([...rows.map((r) => ref(r[0])), ...rows.map((r) => ref(r[1]))]);
  const cfb = CFB.utils.cfb_new({ CLSID: clsid } as Parameters<typeof CFB.utils.cfb_new>[0]);
  const add = (name: string, content: Buffer) => CFB.utils.cfb_add(cfb, `/${name}`, content);
  add(encodeTableName("_StringPool"), poolBuf);
  add(encodeTableName("_StringData"), data);
  add(encodeTableName("_Tables"), ref("Property"));
  add(encodeTableName("_Columns"), columnsStream);
  add(encodeTableName("Property"), property);
  add(
    "\u0005SummaryInformation",
    summaryStream([
      [2, "Installation Database"],
      [9, "{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}"],
    ]),
  );
  return Buffer.from(CFB.write(cfb, { type: "buffer" }) as Uint8Array);
}

describe("MSI format corners", () => {
  const base = ["Property", "Value", "ProductCode", "{11111111-2222-4333-8444-555555555555}", "ProductVersion"];

  it("decodes stream names the way Wine encodes them", () => {
    expect(decodeStreamName(encodeTableName("_StringPool"))).toEqual({ table: true, name: "_StringPool" });
    expect(decodeStreamName(encodeTableName("Property"))).toEqual({ table: true, name: "Property" });
    expect(decodeStreamName("\u0005SummaryInformation")).toEqual({ table: false, name: "\u0005SummaryInformation" });
  });

  it("reads 2-byte string references, skipping empty pool slots", () => {
    const facts = readMsiFacts(
      syntheticDatabase({ strings: [...base, "9.8.7"], longRefs: false, emptySlots: 3 }),
      "small.msi",
    );
    expect(facts).toMatchObject({
      productCode: "{11111111-2222-4333-8444-555555555555}",
      productVersion: "9.8.7",
      packageCode: "{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}",
    });
  });

  it("reads 3-byte string references and a string longer than 64 KiB", () => {
    const long = "1." + "0".repeat(70_000);
    const facts = readMsiFacts(
      syntheticDatabase({ strings: [...base, long], longRefs: true, emptySlots: 2 }),
      "large-pool.msi",
    );
    expect(facts.productVersion).toBe(long);
    expect(facts.productCode).toBe("{11111111-2222-4333-8444-555555555555}");
  });

  it("refuses a transform and a patch, naming the file and what it is", () => {
    const mst = syntheticDatabase({
      strings: [...base, "1.0"],
      longRefs: false,
      clsid: "82100c0000000000c000000000000046",
    });
    const msp = syntheticDatabase({
      strings: [...base, "1.0"],
      longRefs: false,
      clsid: "86100c0000000000c000000000000046",
    });
    expect(() => readMsiFacts(mst, "fix.mst")).toThrow(
      "fix.mst: is a transform (.mst), not an installer package (.msi)",
    );
    expect(() => readMsiFacts(msp, "fix.msp")).toThrow("fix.msp: is a patch (.msp), not an installer package (.msi)");
  });

  it("refuses a file that is no compound file, naming it", () => {
    expect(() => readMsiFacts(Buffer.from("MZ this is an exe"), "setup.exe")).toThrow(
      /^setup\.exe: not a Windows Installer package: not an OLE compound file/,
    );
  });

  it("refuses a database without a ProductCode, naming the file and the property", () => {
    const db = syntheticDatabase({ strings: [...base, "9.8.7"], longRefs: false, rows: [["ProductVersion", "9.8.7"]] });
    expect(() => readMsiFacts(db, "no-code.msi")).toThrow("no-code.msi: the Property table has no ProductCode");
  });
});
