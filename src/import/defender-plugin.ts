// The two Win32 apps wslpolicy deploys, as import meets them in a tenant: the Microsoft Defender for
// Endpoint plug-in for WSL (recognised by src/intune/defender-plugin.ts) and the Intune WSL plug-in. Neither
// is imported: their policies pin an MSI file by SHA-256 and read product code, version and publisher from
// it, and a tenant holds neither the file nor its hash. They are listed as skipped with that reason.
import type { MobileApp, UnknownRecord } from "../model";

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** Any app that looks WSL-related (so skipping it deserves a note). */
export function looksWslRelated(app: MobileApp): boolean {
  const doc = app as Readonly<UnknownRecord>;
  return [app.displayName, str(doc.setupFilePath), str(doc.fileName)].some(
    (s) => s !== undefined && /wsl|defenderplugin/i.test(s),
  );
}

/** The Intune WSL plug-in (MicrosoftDocs/memdocs compliance/wsl.md names the app "Intune WSL Plugin"). */
export function isIntuneWslPlugin(app: MobileApp): boolean {
  return /intune\s*wsl\s*plug-?in/i.test(
    `${app.displayName} ${str((app as Readonly<UnknownRecord>).setupFilePath) ?? ""}`,
  );
}

export const DEFENDER_IMPORT_REASON =
  "a defenderPluginRollout names its MSI file and that file's SHA-256, which the tenant does not hold: copy the MSI into the policies directory and write the policy by hand (wslpolicy package inspect prints the SHA-256), with adopt set to this app's id";

export const INTUNE_WSL_PLUGIN_REASON =
  "the Intune WSL plug-in is deployed by the `plugin` of the wslCompliance policies that need it (by MSI file and SHA-256), not imported on its own";
