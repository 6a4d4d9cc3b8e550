// What Intune reports about script runs, for the two script kinds (beta only):
//   GET …/deviceHealthScripts/{id}/deviceRunStates       deviceHealthScriptDeviceState collection
//   GET …/deviceHealthScripts/{id}/runSummary            deviceHealthScriptRunSummary
//   GET …/deviceManagementScripts/{id}/deviceRunStates   deviceManagementScriptDeviceState collection
//   GET …/deviceManagementScripts/{id}/runSummary        deviceManagementScriptRunSummary
// (microsoftgraph/microsoft-graph-docs-contrib, api-reference/beta/resources/:
// intune-devices-devicehealthscriptdevicestate.md, …/intune-devices-devicehealthscriptrunsummary.md,
// …/intune-devices-devicemanagementscriptdevicestate.md,
// …/intune-devices-devicemanagementscriptrunsummary.md). `managedDevice` is a navigation property: it
// appears only when `$expand`ed. Device states are scripted with setScriptDeviceState (tests, seeds: a
// seeded script may carry `deviceRunStates`); the run summary is computed from them. The docs name the
// counts but not how a device state maps to them; the emulator's mapping is stated in summaryOf.
import { KINDS, type KindSpec } from "../../kinds";
import type { EmulatorState } from "../state";
import { json, type EmulatorResponse } from "../http-types";
import { contextUrl, expandedOptions } from "../odata-query";
import type { Route, RouteContext } from "../router";
import { graphTimestamp, type Json } from "../shapes";
import { kindRoutes, mustGet } from "./common";

/** The kinds with run states, by their state entity type. */
const STATE_TYPES = {
  deviceHealthScript: "deviceHealthScriptDeviceState",
  deviceManagementScript: "deviceManagementScriptDeviceState",
} as const;
export type ScriptKindWithRuns = keyof typeof STATE_TYPES;

export type RunState = "unknown" | "success" | "fail" | "scriptError" | "pending" | "notApplicable";
export type RemediationState = "unknown" | "skipped" | "success" | "remediationFailed" | "scriptError";

export interface ScriptDeviceStateInput {
  deviceId: string;
  deviceName: string;
  userPrincipalName?: string;
  /** Platform scripts: the run; Remediations: the detection. */
  runState: RunState;
  /** Remediations only. */
  remediationState?: RemediationState;
  /** Detection output (Remediations) or result message (platform scripts). */
  output?: string;
  errorCode?: number;
}

/** Scripts what one device reports for a script (replaces its earlier state). */
export function setScriptDeviceState(
  state: EmulatorState,
  kind: ScriptKindWithRuns,
  scriptId: string,
  input: ScriptDeviceStateInput,
): void {
  const collection = KINDS[kind].collection;
  const script = mustGet(state, collection, scriptId);
  const now = graphTimestamp();
  const managedDevice = {
    id: input.deviceId,
    deviceName: input.deviceName,
    userPrincipalName: input.userPrincipalName ?? null,
  };
  const record: Json =
    kind === "deviceHealthScript"
      ? {
          "@odata.type": `#microsoft.graph.${STATE_TYPES[kind]}`,
          id: `${scriptId}:${input.deviceId}`,
          detectionState: input.runState,
          remediationState: input.remediationState ?? "unknown",
          lastStateUpdateDateTime: now,
          expectedStateUpdateDateTime: null,
          lastSyncDateTime: now,
          preRemediationDetectionScriptOutput: input.output ?? null,
          preRemediationDetectionScriptError: null,
          remediationScriptError: input.remediationState === "scriptError" ? "error" : null,
          postRemediationDetectionScriptOutput: null,
          postRemediationDetectionScriptError: null,
          assignmentFilterIds: [],
          managedDevice,
        }
      : {
          "@odata.type": `#microsoft.graph.${STATE_TYPES[kind]}`,
          id: `${scriptId}:${input.deviceId}`,
          runState: input.runState,
          resultMessage: input.output ?? null,
          lastStateUpdateDateTime: now,
          errorCode: input.errorCode ?? 0,
          errorDescription: null,
          managedDevice,
        };
  const states = (Array.isArray(script.deviceRunStates) ? script.deviceRunStates : []) as Json[];
  script.deviceRunStates = [...states.filter((s) => s.id !== record.id), record];
  state.put(collection, script);
  state.persist();
}

function statesOf(script: Json): Json[] {
  return (Array.isArray(script.deviceRunStates) ? script.deviceRunStates : []) as Json[];
}

/**
 * The run summary. Remediations: detection `success` is no issue; `fail` is an issue detected, then
 * remediation `success` is remediated, `remediationFailed` is an issue that reoccurred ("the remediation
 * script executed successfully but failed to resolve the detected issue"), `scriptError` a remediation
 * error, `skipped` skipped. Platform scripts: success and error device and user counts.
 */
function summaryOf(kind: ScriptKindWithRuns, script: Json): Json {
  const states = statesOf(script);
  const count = (p: (s: Json) => boolean) => states.filter(p).length;
  if (kind === "deviceManagementScript") {
    const users = (p: (s: Json) => boolean) =>
      new Set(
        states
          .filter(p)
          .map((s) => (s.managedDevice as Json | undefined)?.userPrincipalName)
          .filter(Boolean),
      ).size;
    const ok = (s: Json) => s.runState === "success";
    const error = (s: Json) => s.runState === "fail" || s.runState === "scriptError";
    return {
      "@odata.type": "#microsoft.graph.deviceManagementScriptRunSummary",
      id: String(script.id),
      successDeviceCount: count(ok),
      errorDeviceCount: count(error),
      successUserCount: users(ok),
      errorUserCount: users(error),
    };
  }
  const detected = (s: Json) => s.detectionState === "fail";
  return {
    "@odata.type": "#microsoft.graph.deviceHealthScriptRunSummary",
    id: String(script.id),
    noIssueDetectedDeviceCount: count((s) => s.detectionState === "success"),
    issueDetectedDeviceCount: count(detected),
    detectionScriptErrorDeviceCount: count((s) => s.detectionState === "scriptError"),
    detectionScriptPendingDeviceCount: count((s) => s.detectionState === "pending" || s.detectionState === "unknown"),
    detectionScriptNotApplicableDeviceCount: count((s) => s.detectionState === "notApplicable"),
    issueRemediatedDeviceCount: count((s) => detected(s) && s.remediationState === "success"),
    remediationSkippedDeviceCount: count((s) => detected(s) && s.remediationState === "skipped"),
    issueReoccurredDeviceCount: count((s) => detected(s) && s.remediationState === "remediationFailed"),
    remediationScriptErrorDeviceCount: count((s) => detected(s) && s.remediationState === "scriptError"),
    issueRemediatedCumulativeDeviceCount: count((s) => detected(s) && s.remediationState === "success"),
    lastScriptRunDateTime:
      states
        .map((s) => String(s.lastStateUpdateDateTime ?? ""))
        .sort()
        .pop() ?? null,
  };
}

function routesFor(kind: ScriptKindWithRuns): Route[] {
  const spec: KindSpec = KINDS[kind];
  const C = spec.collection;
  const { pattern: base, common } = kindRoutes(spec);
  const deviceRunStates = (ctx: RouteContext): EmulatorResponse => {
    const script = mustGet(ctx.env.state, C, ctx.params[0]!);
    const expand = expandedOptions(ctx.req, ["managedDevice"], `microsoft.graph.${STATE_TYPES[kind]}`);
    // `$expand=managedDevice($select=deviceName,userPrincipalName)`: the nested $select keeps those (and id).
    const select = /\$select=([^;)]*)/i
      .exec(expand.get("managedDevice") ?? "")?.[1]
      ?.split(",")
      .map((x) => x.trim());
    const value = statesOf(script).map((s) => {
      const { managedDevice, ...rest } = s;
      if (!expand.has("managedDevice")) return rest;
      const device = managedDevice as Json;
      const shown = select
        ? Object.fromEntries(Object.entries(device).filter(([k]) => k === "id" || select.includes(k)))
        : device;
      return { ...rest, managedDevice: shown };
    });
    return json(200, { "@odata.context": contextUrl(ctx.req, `${C}('${String(script.id)}')/deviceRunStates`), value });
  };
  const runSummary = (ctx: RouteContext): EmulatorResponse => {
    const script = mustGet(ctx.env.state, C, ctx.params[0]!);
    return json(200, {
      "@odata.context": contextUrl(ctx.req, `${C}('${String(script.id)}')/runSummary/$entity`),
      ...summaryOf(kind, script),
    });
  };
  return [
    {
      ...common,
      method: "GET",
      pattern: [...base, ":id", "deviceRunStates"],
      entityCollection: C,
      handler: deviceRunStates,
    },
    { ...common, method: "GET", pattern: [...base, ":id", "runSummary"], entityCollection: C, handler: runSummary },
  ];
}

export const scriptRunStateRoutes: Route[] = [
  ...routesFor("deviceHealthScript"),
  ...routesFor("deviceManagementScript"),
];
