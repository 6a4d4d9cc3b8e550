// `wslpolicy scripts status`: per script the stack manages, which devices' detection found an issue,
// which were remediated, which failed and which have not run yet — from Intune's run states
// (GET …/deviceHealthScripts/{id}/deviceRunStates and …/runSummary; the same for deviceManagementScripts:
// microsoftgraph/microsoft-graph-docs-contrib, api-reference/beta/resources/:
// intune-devices-devicehealthscriptdevicestate.md, …/intune-devices-devicemanagementscriptdevicestate.md,
// …/intune-devices-devicehealthscriptrunsummary.md,
// …/intune-devices-devicemanagementscriptrunsummary.md). Pure: the run states come in as data, the
// report goes out as text, markdown or JSON. Wording stays honest: a remediation restores user
// settings and provisioning input, it does not enforce them.
import {
  printable,
  type DeviceHealthScriptDeviceState,
  type DeviceManagementScriptDeviceState,
  type ScriptRuns,
} from "../model";

export type DeviceOutcome = "issueDetected" | "remediated" | "failed" | "notYetRun" | "noIssue" | "notApplicable";

/** In the order reports list them. */
export const OUTCOMES: readonly DeviceOutcome[] = [
  "issueDetected",
  "remediated",
  "failed",
  "notYetRun",
  "noIssue",
  "notApplicable",
];

const LABEL: Record<DeviceOutcome, string> = {
  issueDetected: "issue detected",
  remediated: "remediated",
  failed: "failed",
  notYetRun: "not yet run",
  noIssue: "no issue / ran",
  notApplicable: "not applicable",
};

export interface DeviceRun {
  deviceName: string;
  userPrincipalName: string | null;
  outcome: DeviceOutcome;
  /** The device's state words as Intune reports them (`fail/remediationFailed`). */
  state: string;
  lastUpdate: string | null;
}

export interface ScriptStatus {
  kind: "deviceHealthScript" | "deviceManagementScript";
  policyId: string;
  objectId: string;
  displayName: string;
  counts: Record<DeviceOutcome, number>;
  devices: DeviceRun[];
  /** Intune's own run summary, as returned (counts only). */
  summary: Record<string, number>;
}

export interface ScriptsStatus {
  stack: string;
  tenant: string;
  scripts: ScriptStatus[];
}

/** A Remediation's device: detection first, then what the remediation did about an issue. */
export function remediationOutcome(detection: string, remediation: string): DeviceOutcome {
  if (detection === "pending" || detection === "unknown" || detection === "") return "notYetRun";
  if (detection === "notApplicable") return "notApplicable";
  if (detection === "scriptError") return "failed";
  if (detection === "success") return "noIssue";
  if (remediation === "success") return "remediated";
  if (remediation === "remediationFailed" || remediation === "scriptError") return "failed";
  return "issueDetected";
}

/** A platform script's device (it runs once; there is no detection). */
export function platformScriptOutcome(run: string): DeviceOutcome {
  if (run === "success") return "noIssue";
  if (run === "fail" || run === "scriptError") return "failed";
  if (run === "notApplicable") return "notApplicable";
  return "notYetRun";
}

export function scriptStatus(runs: ScriptRuns): ScriptStatus {
  const devices = runs.states.map((s): DeviceRun => {
    const device = s.managedDevice ?? undefined;
    const base = {
      deviceName: device?.deviceName ?? device?.id ?? s.id,
      userPrincipalName: device?.userPrincipalName ?? null,
      lastUpdate: s.lastStateUpdateDateTime ?? null,
    };
    if (runs.kind === "deviceHealthScript") {
      const h = s as DeviceHealthScriptDeviceState;
      const detection = h.detectionState ?? "";
      const remediation = h.remediationState ?? "";
      return { ...base, outcome: remediationOutcome(detection, remediation), state: `${detection}/${remediation}` };
    }
    const m = s as DeviceManagementScriptDeviceState;
    return { ...base, outcome: platformScriptOutcome(m.runState ?? ""), state: m.runState ?? "" };
  });
  devices.sort(
    (a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome) || a.deviceName.localeCompare(b.deviceName),
  );
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, devices.filter((d) => d.outcome === o).length])) as Record<
    DeviceOutcome,
    number
  >;
  const summary = Object.fromEntries(
    Object.entries(runs.summary).filter((e): e is [string, number] => typeof e[1] === "number"),
  );
  return {
    kind: runs.kind,
    policyId: runs.policyId,
    objectId: runs.objectId,
    displayName: runs.displayName,
    counts,
    devices,
    summary,
  };
}

const kindLabel = (k: ScriptStatus["kind"]) => (k === "deviceHealthScript" ? "remediation" : "platform script");
const deviceText = (d: DeviceRun) =>
  `${printable(d.deviceName)}${d.userPrincipalName ? ` (${printable(d.userPrincipalName)})` : ""}`;

function countsLine(s: ScriptStatus): string {
  return OUTCOMES.map((o) => `${LABEL[o]} ${s.counts[o]}`).join(" · ");
}

export function renderScriptsStatusText(status: ScriptsStatus): string {
  const lines = [`Script run states: stack ${status.stack}, ${printable(status.tenant)}`];
  if (status.scripts.length === 0)
    lines.push("", "The stack manages no platform scripts or remediations in this tenant.");
  for (const s of status.scripts) {
    lines.push(
      "",
      `${kindLabel(s.kind)} "${printable(s.displayName)}" (${s.policyId}, ${s.objectId})`,
      `  ${countsLine(s)}`,
    );
    for (const o of OUTCOMES.filter((x) => x !== "noIssue" && x !== "notApplicable")) {
      const named = s.devices.filter((d) => d.outcome === o);
      if (named.length > 0) lines.push(`  ${LABEL[o]}: ${named.map(deviceText).join(", ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderScriptsStatusMarkdown(status: ScriptsStatus): string {
  const out = [`## Script run states: stack \`${status.stack}\``, "", `Tenant: ${printable(status.tenant)}`, ""];
  if (status.scripts.length === 0)
    out.push("The stack manages no platform scripts or remediations in this tenant.", "");
  else {
    out.push(
      `| Script | Kind | ${OUTCOMES.map((o) => LABEL[o]).join(" | ")} |`,
      `|---|---|${OUTCOMES.map(() => "---:").join("|")}|`,
    );
    for (const s of status.scripts)
      out.push(
        `| ${printable(s.displayName).replace(/\|/g, "\\|")} (\`${s.policyId}\`) | ${kindLabel(s.kind)} | ${OUTCOMES.map((o) => s.counts[o]).join(" | ")} |`,
      );
    out.push("");
    for (const s of status.scripts) {
      const attention = s.devices.filter(
        (d) => d.outcome === "issueDetected" || d.outcome === "failed" || d.outcome === "notYetRun",
      );
      if (attention.length === 0) continue;
      out.push(
        `### ${printable(s.displayName)}`,
        "",
        "| Device | User | Outcome | Intune state |",
        "|---|---|---|---|",
      );
      for (const d of attention)
        out.push(
          `| ${printable(d.deviceName)} | ${d.userPrincipalName ? printable(d.userPrincipalName) : ""} | ${LABEL[d.outcome]} | ${d.state} |`,
        );
      out.push("");
    }
  }
  return `${out.join("\n")}`;
}

export function renderScriptsStatusJson(status: ScriptsStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`;
}
