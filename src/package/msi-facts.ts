// What wslpolicy needs to know about an MSI, read from the file itself: the Property table values an
// Intune Win32 app is built from, the Summary Information (PackageCode, Template), and the `MsiInfo`
// block Microsoft's Content Prep Tool writes into Detection.xml, derived by the rules reconstructed in
// redanthrax/intunewinlib:IntuneWinLib/MsiUtil.cs. Patches and transforms are refused: they are not
// installable packages.
import { MsiFormatError, readMsiDatabase, type MsiDatabase, type MsiRow } from "./msi-database";
import { readMsiSummary, type MsiSummary } from "./msi-summary";

/** Root-storage CLSIDs (wine-mirror/wine: dlls/msi/msipriv.h, CLSID_MsiDatabase/Patch/Transform). */
const CLSID_DATABASE = "{000C1084-0000-0000-C000-000000000046}";
const CLSID_KIND: Record<string, string> = {
  "{000C1086-0000-0000-C000-000000000046}": "a patch (.msp)",
  "{000C1082-0000-0000-C000-000000000046}": "a transform (.mst)",
};

export type MsiExecutionContext = "System" | "User" | "Any";

/** The `<MsiInfo>` element of Detection.xml, in the Content Prep Tool's element order. */
export interface MsiInfo {
  MsiProductCode: string;
  MsiProductVersion: string;
  MsiPackageCode: string;
  MsiUpgradeCode: string;
  MsiExecutionContext: MsiExecutionContext;
  MsiRequiresLogon: boolean;
  MsiRequiresReboot: boolean;
  MsiIsMachineInstall: boolean;
  MsiIsUserInstall: boolean;
  MsiIncludesServices: boolean;
  MsiIncludesODBCDataSource: boolean;
  MsiContainsSystemRegistryKeys: boolean;
  MsiContainsSystemFolders: boolean;
  MsiPublisher: string;
}

export const MSI_INFO_ORDER: readonly (keyof MsiInfo)[] = [
  "MsiProductCode",
  "MsiProductVersion",
  "MsiPackageCode",
  "MsiUpgradeCode",
  "MsiExecutionContext",
  "MsiRequiresLogon",
  "MsiRequiresReboot",
  "MsiIsMachineInstall",
  "MsiIsUserInstall",
  "MsiIncludesServices",
  "MsiIncludesODBCDataSource",
  "MsiContainsSystemRegistryKeys",
  "MsiContainsSystemFolders",
  "MsiPublisher",
];

export interface MsiFacts {
  productCode: string;
  productVersion: string;
  upgradeCode?: string;
  /** Property `Manufacturer`, else Summary Author. */
  publisher: string;
  /** Property `ProductName`, else Summary Subject. */
  productName: string;
  /** Property `ALLUSERS` as written ("" when absent). */
  allUsers: string;
  /** Summary Revision Number. */
  packageCode: string;
  /** Summary Template, e.g. `x64;1033`. */
  template: string;
  /** Every Property table value. */
  properties: Record<string, string>;
  msiInfo: MsiInfo;
  /** Graph `msiInformation.packageType` for this execution context (win32LobAppMsiPackageType). */
  packageType: "perMachine" | "perUser" | "dualPurpose";
}

const SYSTEM_FOLDERS = new Set([
  "AdminToolsFolder",
  "CommonAppDataFolder",
  "FontsFolder",
  "System16Folder",
  "System64Folder",
  "SystemFolder",
  "TempFolder",
  "WindowsFolder",
  "WindowsVolume",
]);

function rows(db: MsiDatabase, table: string): MsiRow[] {
  return db.tables.get(table) ?? [];
}

function deriveMsiInfo(
  db: MsiDatabase,
  props: Record<string, string>,
  facts: { productCode: string; productVersion: string; upgradeCode: string; publisher: string; packageCode: string },
): MsiInfo {
  const allUsers = props.ALLUSERS ?? "";
  const context: MsiExecutionContext = allUsers === "" ? "User" : allUsers === "1" ? "System" : "Any";
  const isUser = allUsers !== "1" && (allUsers !== "2" || (props.MSIINSTALLPERUSER ?? "") !== "");
  const registryRoots = [...rows(db, "Registry"), ...rows(db, "RemoveRegistry")].map((r) => r.Root);
  const systemRoot = registryRoots.some((root) => root === 2 || root === 3 || (root === -1 && !isUser));
  return {
    MsiProductCode: facts.productCode,
    MsiProductVersion: facts.productVersion,
    MsiPackageCode: facts.packageCode,
    MsiUpgradeCode: facts.upgradeCode,
    MsiExecutionContext: context,
    MsiRequiresLogon: context === "User",
    MsiRequiresReboot: (props.REBOOT ?? "").toUpperCase().startsWith("F"),
    MsiIsMachineInstall: !isUser,
    MsiIsUserInstall: isUser,
    MsiIncludesServices: rows(db, "ServiceInstall").length > 0,
    MsiIncludesODBCDataSource: rows(db, "ODBCDataSource").length > 0,
    MsiContainsSystemRegistryKeys: systemRoot,
    MsiContainsSystemFolders: rows(db, "Directory").some(
      (r) => typeof r.Directory === "string" && SYSTEM_FOLDERS.has(r.Directory),
    ),
    MsiPublisher: facts.publisher,
  };
}

/** Reads an MSI held in memory. `label` names the file in errors. */
export function readMsiFacts(bytes: Buffer, label: string): MsiFacts {
  let db: MsiDatabase;
  try {
    db = readMsiDatabase(bytes);
  } catch (e) {
    throw new MsiFormatError(`${label}: not a Windows Installer package: ${(e as Error).message}`);
  }
  const other = CLSID_KIND[db.rootClsid];
  if (other)
    throw new MsiFormatError(`${label}: is ${other}, not an installer package (.msi); Intune installs packages`);
  if (db.rootClsid !== CLSID_DATABASE)
    throw new MsiFormatError(
      `${label}: not a Windows Installer package (root storage class ${db.rootClsid || "missing"})`,
    );
  let summary: MsiSummary;
  try {
    summary = readMsiSummary(db.streams.get("\u0005SummaryInformation"));
  } catch (e) {
    throw new MsiFormatError(`${label}: ${(e as Error).message}`);
  }
  const props: Record<string, string> = {};
  for (const row of rows(db, "Property"))
    if (typeof row.Property === "string") props[row.Property] = row.Value === null ? "" : String(row.Value);
  const need = (name: string): string => {
    const v = props[name];
    if (!v) throw new MsiFormatError(`${label}: the Property table has no ${name}`);
    return v;
  };
  const productCode = need("ProductCode").toUpperCase();
  const productVersion = need("ProductVersion");
  const upgradeCode = props.UpgradeCode?.toUpperCase() ?? "";
  const publisher = props.Manufacturer || summary.author || "";
  const productName = props.ProductName || summary.subject || "";
  const packageCode = (summary.revisionNumber ?? "").toUpperCase();
  const msiInfo = deriveMsiInfo(db, props, { productCode, productVersion, upgradeCode, publisher, packageCode });
  return {
    productCode,
    productVersion,
    ...(upgradeCode ? { upgradeCode } : {}),
    publisher,
    productName,
    allUsers: props.ALLUSERS ?? "",
    packageCode,
    template: summary.template ?? "",
    properties: props,
    msiInfo,
    // The mapping every client uses (Microsoft's Win32_Application_Add.ps1 sample; enum
    // https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobappmsipackagetype).
    packageType:
      msiInfo.MsiExecutionContext === "System"
        ? "perMachine"
        : msiInfo.MsiExecutionContext === "User"
          ? "perUser"
          : "dualPurpose",
  };
}
