// What makes a Win32 app the Microsoft Defender for Endpoint plug-in for WSL, in one place: the
// guardrail that wants it where WSL is allowed, the plan risk of unassigning it, and import all ask this.
// The plug-in ships as `DefenderPlugin-x64-<version>.msi` (https://learn.microsoft.com/defender-endpoint/mde-plugin-wsl);
// a tenant's own upload may keep another setup name, so its display name counts too.

import type { ObjectKind } from "../kinds";

/** The plug-in is a Win32 app. */
export const DEFENDER_PLUGIN_KIND: ObjectKind = "mobileApp";

/** The installer file name Microsoft publishes, with its version. */
export const DEFENDER_PLUGIN_MSI = /^DefenderPlugin-x64-([0-9.]+)\.msi$/i;
const PLUGIN_NAME = /defender.*plug-?in.*wsl|wsl.*defender.*plug-?in/i;

/** Install folder and DLL of the plug-in (same page); wslpolicy's apps detect the plug-in by this DLL. */
export const PLUGIN_DIRECTORY = "%ProgramFiles%\\Microsoft Defender for Endpoint plug-in for WSL\\plug-in";
export const PLUGIN_DLL = "DefenderforEndpointPlug-in.dll";

/**
 * True for a Win32 app document (desired, live, or canonical properties with the name) that is the
 * plug-in: by its setup file, its name, or a detection rule on the plug-in DLL.
 */
export function isDefenderPlugin(app: {
  setupFilePath?: unknown;
  displayName?: unknown;
  name?: unknown;
  rules?: unknown;
}): boolean {
  const name = typeof app.displayName === "string" ? app.displayName : typeof app.name === "string" ? app.name : "";
  const rules = Array.isArray(app.rules) ? (app.rules as unknown[]) : [];
  return (
    (typeof app.setupFilePath === "string" && DEFENDER_PLUGIN_MSI.test(app.setupFilePath)) ||
    PLUGIN_NAME.test(name) ||
    rules.some(
      (r) =>
        typeof r === "object" && r !== null && (r as { fileOrFolderName?: unknown }).fileOrFolderName === PLUGIN_DLL,
    )
  );
}
