// defenderPluginRollout → a `win32LobApp` document plus one required assignment per ring with its own
// start/deadline. Win32 rather than the LOB `windowsMobileMSI`, because only Win32 assignments carry install
// deadlines (api-reference/beta/resources/intune-apps-win32lobappassignmentsettings.md).
// Detection is a file rule on the plug-in DLL, never the product code or an exact version: from
// 1.24.522.2 the plug-in updates itself through Windows Update, so the MSI's product code and version on
// a device move on without Intune (MicrosoftDocs/defender-docs: defender-endpoint/mde-plugin-wsl.md).
// x64 only, Windows 10 21H2 (build 19044) or later (same page).
import type { AssignmentIntent, JsonObject, PackageFacts, RolloutPlan } from "../model";
import type { DefenderPluginRollout } from "../policy";
import { assignmentIntents, targetRef } from "./assignment-intents";
import { ringUseOf, type RingUse } from "./rings";
import { win32AppDocument } from "./win32-app";

import { PLUGIN_DIRECTORY, PLUGIN_DLL } from "../intune";

const DETECTION: JsonObject = {
  "@odata.type": "#microsoft.graph.win32LobAppFileSystemRule",
  ruleType: "detection",
  path: PLUGIN_DIRECTORY,
  fileOrFolderName: PLUGIN_DLL,
  check32BitOn64System: false,
  operationType: "exists",
  operator: "notConfigured",
  comparisonValue: null,
};

export function defenderPluginDocument(
  rollout: DefenderPluginRollout,
  description: string,
  pkg: PackageFacts,
): JsonObject {
  return win32AppDocument({
    displayName: rollout.displayName,
    description,
    roleScopeTagIds: rollout.roleScopeTagIds,
    pkg,
    rule: DETECTION,
    // Graph's value for Windows 10 21H2 (MSEndpointMgr/IntuneWin32App New-IntuneWin32AppRequirementRule.ps1:
    // "W10_21H2" = "Windows10_21H2").
    minimumSupportedWindowsRelease: "Windows10_21H2",
    allowedArchitectures: "x64",
  });
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
      // A ring with neither start nor deadline is "as soon as possible": no install-time settings at all,
      // as the portal writes it (installTimeSettings null).
      app: {
        intent: "required",
        ...(ring.start !== undefined || ring.deadline !== undefined ? { installTime } : {}),
        notifications: rollout.notifications,
      },
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

/** The rings in order with their windows and gates, for the gate evaluation at plan and apply time. */
export function defenderPluginRolloutPlan(rollout: DefenderPluginRollout): RolloutPlan {
  return {
    rings: rollout.rings.map((r) => ({
      name: ringName(r.target),
      ...(r.start !== undefined ? { start: r.start } : {}),
      ...(r.deadline !== undefined ? { deadline: r.deadline } : {}),
      ...(r.gate ? { gate: { ...r.gate } } : {}),
    })),
  };
}
