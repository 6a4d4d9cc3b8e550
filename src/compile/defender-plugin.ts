// defenderPluginRollout → a `win32LobApp` document plus one required assignment per ring with its own
// start/deadline. Win32 rather than the LOB
// `windowsMobileMSI`, because only Win32 assignments carry install deadlines
// (api-reference/beta/resources/intune-apps-win32lobappassignmentsettings.md).
// Detection never uses version `equal`: the plug-in updates itself through Windows Update, so a
// product-code rule uses `greaterThanOrEqual`; without a product code (Microsoft does not publish it),
// detection looks for the plug-in DLL the docs name.
import { ODATA, type AssignmentIntent, type JsonObject } from "../model";
import type { DefenderPluginRollout } from "../policy";
import { assignmentIntents, targetRef } from "./assignment-intents";
import { ringUseOf, type RingUse } from "./rings";

/** Install folder and DLL of the plug-in (https://learn.microsoft.com/defender-endpoint/mde-plugin-wsl). */
export const PLUGIN_DIRECTORY = "%ProgramFiles%\\Microsoft Defender for Endpoint plug-in for WSL\\plug-in";
export const PLUGIN_DLL = "DefenderforEndpointPlug-in.dll";

/** MSI exit codes Intune should interpret (standard Windows Installer codes). */
const RETURN_CODES: readonly [number, string][] = [
  [0, "success"],
  [1707, "success"],
  [3010, "softReboot"],
  [1641, "hardReboot"],
  [1618, "retry"],
];

/** `DefenderPlugin-x64-0.24.426.1.msi` → the `.intunewin` the Content Prep Tool makes from it. */
export function intunewinName(msi: string): string {
  return msi.replace(/\.msi$/i, ".intunewin");
}

function detectionRule(rollout: DefenderPluginRollout): JsonObject {
  const pkg = rollout.package;
  if (pkg.productCode) {
    return {
      "@odata.type": "#microsoft.graph.win32LobAppProductCodeRule",
      ruleType: "detection",
      productCode: pkg.productCode.toUpperCase(),
      productVersionOperator: "greaterThanOrEqual",
      productVersion: pkg.version,
    };
  }
  return {
    "@odata.type": "#microsoft.graph.win32LobAppFileSystemRule",
    ruleType: "detection",
    path: PLUGIN_DIRECTORY,
    fileOrFolderName: PLUGIN_DLL,
    check32BitOn64System: false,
    operationType: "exists",
    operator: "notConfigured",
    comparisonValue: null,
  };
}

export function defenderPluginDocument(rollout: DefenderPluginRollout, description: string): JsonObject {
  const pkg = rollout.package;
  const uninstallTarget = pkg.productCode ? pkg.productCode.toUpperCase() : pkg.fileName;
  return {
    "@odata.type": ODATA.win32LobApp,
    displayName: rollout.displayName,
    description,
    publisher: pkg.publisher,
    roleScopeTagIds: [...rollout.roleScopeTagIds],
    fileName: intunewinName(pkg.fileName),
    setupFilePath: pkg.fileName,
    installCommandLine: `msiexec /i "${pkg.fileName}" /qn`,
    uninstallCommandLine: `msiexec /x "${uninstallTarget}" /qn`,
    installExperience: { runAsAccount: "system", deviceRestartBehavior: "suppress", maxRunTimeInMinutes: 60 },
    returnCodes: RETURN_CODES.map(([returnCode, type]) => ({ returnCode, type })),
    rules: [detectionRule(rollout)],
    // ARM64 is not supported by the plug-in (https://learn.microsoft.com/defender-endpoint/mde-plugin-wsl).
    allowedArchitectures: "x64",
    // MDE docs: Windows 10 "version 2004 and later"; "2004" is the release value Win32 apps take.
    minimumSupportedWindowsRelease: "2004",
    displayVersion: pkg.version,
  };
}

type RingTargetInput = DefenderPluginRollout["rings"][number]["target"];

export function ringName(target: RingTargetInput): string {
  return target.kind === "groupId" ? target.id.toLowerCase() : target.name;
}

/** One required assignment per ring (with its install window), then other includes, then exclusions. */
export function defenderPluginIntents(rollout: DefenderPluginRollout): AssignmentIntent[] {
  const intents: AssignmentIntent[] = [];
  for (const ring of rollout.rings) {
    const installTime: NonNullable<NonNullable<AssignmentIntent["app"]>["installTime"]> = {
      useLocalTime: rollout.useLocalTime,
    };
    if (ring.start !== undefined) installTime.startDateTime = ring.start;
    if (ring.deadline !== undefined) installTime.deadlineDateTime = ring.deadline;
    const target =
      ring.target.kind === "ring" ? targetRef({ kind: "ring", name: ring.target.name }) : targetRef(ring.target);
    intents.push({
      target,
      exclude: false,
      app: { intent: "required", installTime, notifications: rollout.notifications },
      ring: ringName(ring.target),
    });
  }
  for (const intent of assignmentIntents(rollout.assignments)) {
    intents.push(
      intent.exclude ? intent : { ...intent, app: { intent: "required", notifications: rollout.notifications } },
    );
  }
  return intents;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Ring groups the rollout names, with membership when the ring is defined inline. */
export function defenderPluginRingUses(rollout: DefenderPluginRollout, file: string, exportName: string): RingUse[] {
  const uses: RingUse[] = [];
  rollout.rings.forEach((ring, i) => {
    if (ring.target.kind !== "ring") return;
    // The rollout schema keeps ring targets loose; membership fields are read defensively here.
    const t = ring.target as Record<string, unknown>;
    const members =
      Array.isArray(t.members) && t.members.every((m) => typeof m === "string") ? (t.members as string[]) : undefined;
    const target = {
      name: ring.target.name,
      key: str(t.key),
      description: str(t.description),
      members,
      rule: str(t.rule),
    };
    uses.push(ringUseOf(target, file, `${exportName}.rings[${i}].target`));
  });
  return uses;
}
