// The `win32LobApp` document of an MSI-based app, its fields read from the MSI (src/model/package-facts.ts),
// in the request form of the beta win32LobApp resource
// (https://learn.microsoft.com/graph/api/resources/intune-apps-win32lobapp?view=graph-rest-beta) and the
// portal's MSI defaults: `msiexec /i "<msi>" /qn` to install, `/x "{ProductCode}" /qn` to uninstall (the
// product code, because the MSI is not cached once the content is gone), the five standard Windows
// Installer return codes, and `msiInformation`. `allowedArchitectures` forces `applicableArchitectures:
// "none"` (same page). `notes` names the content (contentNote) so re-runs can tell whether it changed.
import { contentNote, ODATA, type JsonObject, type PackageFacts } from "../model";

/** MSI exit codes Intune should interpret (standard Windows Installer codes). */
const RETURN_CODES: readonly [number, string][] = [
  [0, "success"],
  [1707, "success"],
  [3010, "softReboot"],
  [1641, "hardReboot"],
  [1618, "retry"],
];

/** `DefenderPlugin-x64-1.24.522.2.msi` → the `.intunewin` the Content Prep Tool makes from it. */
export function intunewinName(msi: string): string {
  return msi.replace(/\.msi$/i, ".intunewin");
}

export interface Win32AppSpec {
  displayName: string;
  description: string;
  roleScopeTagIds: readonly string[];
  pkg: PackageFacts;
  rule: JsonObject;
  /** Graph release value, e.g. `Windows10_21H2`. */
  minimumSupportedWindowsRelease: string;
  allowedArchitectures: string;
}

export function win32AppDocument(spec: Win32AppSpec): JsonObject {
  const { pkg } = spec;
  return {
    "@odata.type": ODATA.win32LobApp,
    displayName: spec.displayName,
    description: spec.description,
    publisher: pkg.publisher,
    roleScopeTagIds: [...spec.roleScopeTagIds],
    fileName: intunewinName(pkg.setupFile),
    setupFilePath: pkg.setupFile,
    installCommandLine: `msiexec /i "${pkg.setupFile}" /qn`,
    uninstallCommandLine: `msiexec /x "${pkg.productCode}" /qn`,
    installExperience: { runAsAccount: "system", deviceRestartBehavior: "suppress", maxRunTimeInMinutes: 60 },
    returnCodes: RETURN_CODES.map(([returnCode, type]) => ({ returnCode, type })),
    rules: [spec.rule],
    applicableArchitectures: "none",
    allowedArchitectures: spec.allowedArchitectures,
    minimumSupportedWindowsRelease: spec.minimumSupportedWindowsRelease,
    displayVersion: pkg.productVersion,
    msiInformation: {
      productCode: pkg.productCode,
      productVersion: pkg.productVersion,
      upgradeCode: pkg.upgradeCode ?? null,
      requiresReboot: pkg.requiresReboot,
      packageType: pkg.packageType,
      productName: pkg.productName,
      publisher: pkg.publisher,
    },
    notes: contentNote(pkg),
  };
}
