// `wslpolicy package build <file.msi> [--out DIR]` packs an MSI into the `.intunewin` Intune takes and
// prints what it read from the MSI; `wslpolicy package inspect <file.msi|file.intunewin> [--format json]`
// prints an MSI's properties, or a package's Detection.xml fields after checking its MAC and FileDigest.
import path from "node:path";
import { Command } from "commander";
import {
  packIntunewin,
  readIntunewin,
  readMsiFile,
  sha256File,
  type Detection,
  type IntunewinContents,
  type MsiFacts,
} from "../../package";
import { EXIT, type CliIO } from "../io";
import { colors, displayPath, formatOption } from "../options";
import type { CommandSpec } from "./registry";

function msiLines(facts: MsiFacts, sha256: string): string[] {
  return [
    `  ProductName     ${facts.productName}`,
    `  Manufacturer    ${facts.publisher}`,
    `  ProductVersion  ${facts.productVersion}`,
    `  ProductCode     ${facts.productCode}`,
    `  UpgradeCode     ${facts.upgradeCode ?? "(none)"}`,
    `  PackageCode     ${facts.packageCode}`,
    `  ALLUSERS        ${facts.allUsers === "" ? "(empty)" : facts.allUsers}  → ${facts.msiInfo.MsiExecutionContext} context, packageType ${facts.packageType}`,
    `  Template        ${facts.template}`,
    `  SHA-256         ${sha256}`,
  ];
}

function msiJson(facts: MsiFacts, sha256: string) {
  const { properties, ...rest } = facts;
  return { ...rest, sha256, properties };
}

/** Detection.xml without the key material (the keys decrypt the package; they are not printed). */
function detectionJson(d: Detection) {
  const { encryptionInfo, ...rest } = d;
  const { encryptionKey: _k, macKey: _m, ...info } = encryptionInfo;
  return { ...rest, encryptionInfo: info };
}

function packageLines(c: IntunewinContents): string[] {
  const d = c.detection;
  const rows: Array<[string, string]> = [
    ["Name", d.name],
    ["SetupFile", d.setupFile],
    ["FileName", d.fileName],
    ["UnencryptedContentSize", String(d.unencryptedContentSize)],
    ["encrypted payload", `${c.payload.length} bytes`],
    ["ToolVersion", d.toolVersion],
    ["Mac", `${d.encryptionInfo.mac}  ${c.macVerified ? "verified" : "NOT verified"}`],
    ["FileDigest", `${d.encryptionInfo.fileDigest}  ${c.digestVerified ? "verified" : "NOT verified"}`],
    ...Object.entries(d.msiInfo ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    ...(c.files ?? []).map((f): [string, string] => ["file", `${f.name} (${f.size} bytes)`]),
  ];
  return rows.map(([k, v]) => `  ${k.padEnd(30)}${v}`);
}

export async function runPackageBuild(file: string, opts: { out?: string }, io: CliIO): Promise<number> {
  const c = colors(io);
  try {
    const msi = path.resolve(io.cwd, file);
    const facts = await readMsiFile(msi, file);
    const outDir = path.resolve(io.cwd, opts.out ?? path.dirname(msi));
    const packed = await packIntunewin({ setupFile: msi, outDir, msi: facts });
    io.stdout(`${c.green("✔")} packed ${file} into ${displayPath(io, packed.path)}\n`);
    io.stdout(
      [
        ...msiLines(facts, await sha256File(msi)),
        `  payload         ${packed.seal.encryptedSize} bytes encrypted (${packed.seal.plaintextSize} plain)`,
      ].join("\n") + "\n",
    );
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} package build failed, nothing written: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

export async function runPackageInspect(file: string, opts: { format: string }, io: CliIO): Promise<number> {
  const c = colors(io);
  const full = path.resolve(io.cwd, file);
  try {
    if (/\.intunewin$/i.test(file)) {
      const contents = await readIntunewin(full);
      if (opts.format === "json")
        io.stdout(
          JSON.stringify(
            {
              kind: "intunewin",
              file,
              detection: detectionJson(contents.detection),
              payload: contents.payload,
              macVerified: contents.macVerified,
              digestVerified: contents.digestVerified,
              files: contents.files ?? [],
            },
            null,
            2,
          ) + "\n",
        );
      else io.stdout([`${file}: .intunewin, MAC and FileDigest verified`, ...packageLines(contents)].join("\n") + "\n");
      return EXIT.ok;
    }
    const facts = await readMsiFile(full, file);
    const sha256 = await sha256File(full);
    if (opts.format === "json")
      io.stdout(JSON.stringify({ kind: "msi", file, ...msiJson(facts, sha256) }, null, 2) + "\n");
    else io.stdout([`${file}: Windows Installer package`, ...msiLines(facts, sha256)].join("\n") + "\n");
    return EXIT.ok;
  } catch (err) {
    io.stderr(`${c.red("✖")} ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

export const packageCommand: CommandSpec = {
  register(program: Command, io: CliIO, setExit: (code: number) => void): void {
    const pkg = program
      .command("package")
      .description("Pack an MSI into an .intunewin, or inspect an MSI or .intunewin.");
    pkg
      .command("build <file.msi>")
      .description("Pack an MSI into <name>.intunewin (Content Prep Tool format) and print what it read from the MSI.")
      .option("--out <dir>", "directory for the .intunewin (default: beside the MSI)")
      .action(async (file: string, opts: { out?: string }) => setExit(await runPackageBuild(file, opts, io)));
    pkg
      .command("inspect <file>")
      .description(
        "Print an MSI's properties, or an .intunewin's Detection.xml fields with its MAC and FileDigest verified.",
      )
      .addOption(formatOption(["text", "json"], "text"))
      .action(async (file: string, opts: { format: string }) => setExit(await runPackageInspect(file, opts, io)));
  },
};
