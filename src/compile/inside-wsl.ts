// The two policies that reach inside WSL through Intune scripts (provisioning and hygiene, not
// enforcement: the user owns their profile and is root in their own distributions):
//   - distroProvisioning → a platform script (`deviceManagementScript`, user context, 64-bit) that writes
//     checked `#cloud-config` user-data into the user's profile;
//   - wslUserSettings → a Remediation (`deviceHealthScript`: detection + remediation on a schedule), or,
//     where Remediations are not licensed, a platform script that runs the remediation once.
// Script bodies are sent base64 (Edm.Binary). https://learn.microsoft.com/graph/api/resources/intune-devices-devicehealthscript?view=graph-rest-beta
import { scriptContentBase64 } from "../intune";
import type { AssignmentIntent, JsonObject, ObjectKind } from "../model";
import type { DistroProvisioning, WslUserSettings } from "../policy";
import { assignmentIntents } from "./assignment-intents";
import { USER_DATA_HEADER_PREFIX, userDataFileName, userDataSecrets, userDataText } from "./cloud-init/user-data";
import { userDataProblems } from "./cloud-init/validate";
import type { Finding as PolicyProblem } from "../model";
import { userDataScript } from "./powershell/user-data-script";
import { detectionScript, remediationScript, type UserSettingsInput } from "./wslconfig/scripts";

interface ScriptCompiled {
  kind: ObjectKind;
  document: JsonObject;
  assignments: AssignmentIntent[];
  problems: PolicyProblem[];
  limits: PolicyProblem[];
}

// What each delivery cannot do (learn.microsoft.com/mem/intune/fundamentals/remediations,
// learn.microsoft.com/mem/intune/apps/powershell-scripts; cloud-init's WSL datasource runs once per instance).
const LIMITS = {
  provisioning:
    "provisioning input only: cloud-init reads it once, at the first boot of a distribution created after the file is in place; existing distributions are not changed, and the user can edit, delete or shadow the file (a <InstanceName>.user-data wins)",
  remediation:
    "delivery remediation needs Windows Enterprise E3/E5, Education A3/A5 or VDA licences and a one-time licence confirmation in Intune; users can change the settings between runs",
  secret:
    "the secret is read from the environment when the change is applied and sent to Intune inside the script: Intune stores script content readable by every Intune administrator who can read scripts (limit them with scope tags), and the user-data file in the user's profile holds it in plain text",
  platformScript:
    "delivery platformScript runs once per user and again only when the script changes: it cannot restore settings a user changes later, and reports only whether it ran",
} as const;

const scriptCommon = (displayName: string, description: string, roleScopeTagIds: readonly string[]) => ({
  displayName,
  description,
  runAsAccount: "user",
  enforceSignatureCheck: false,
  // 64-bit: from 32-bit PowerShell System32\wsl.exe is redirected (microsoft/WSL#5319).
  runAs32Bit: false,
  roleScopeTagIds: [...roleScopeTagIds],
});

export function distroProvisioningCompiled(
  policy: DistroProvisioning,
  description: string,
  policyId: string,
): ScriptCompiled {
  const problems: PolicyProblem[] = [];
  if (policy.wslConf?.defaultUser && !policy.defaultUser)
    problems.push({
      path: "wslConf.defaultUser",
      message: "needs defaultUser: /etc/wsl.conf [user] default names that user",
    });
  const fileName = userDataFileName(policy.distributions);
  const text = userDataText(policy, policyId);
  for (const message of userDataProblems(text))
    problems.push({
      code: "internal-error",
      path: "",
      message: `internal compiler error: the compiled user-data fails its check: ${message}`,
    });
  const secrets = userDataSecrets(policy);
  const script = userDataScript({
    fileName,
    contentBase64: scriptContentBase64(text),
    header: USER_DATA_HEADER_PREFIX,
    overwriteUserFile: policy.overwriteUserFile,
    secrets,
  });
  // The plan shows the description: an overwrite of a user's own file is said there.
  const said = policy.overwriteUserFile ? withNote(description, `Replaces a user's own ${fileName}.`) : description;
  return {
    kind: "deviceManagementScript",
    document: {
      ...scriptCommon(policy.displayName, said, policy.roleScopeTagIds),
      scriptContent: scriptContentBase64(script),
      fileName: `wslpolicy-${policy.id}.ps1`,
    },
    assignments: assignmentIntents(policy.assignments),
    problems,
    limits: [
      { path: "", message: LIMITS.provisioning },
      ...secrets.map((s) => ({ code: "secret-in-script" as const, path: s.field, message: LIMITS.secret })),
    ],
  };
}

/** A note at the end of the text, before the marker (the marker stays the last line, after a blank one). */
function withNote(description: string, note: string): string {
  const lines = description.split("\n");
  const marker = lines.pop()!;
  const text = lines.join("\n").trimEnd();
  return `${text ? `${text}\n` : ""}${note}\n\n${marker}`;
}

function schedule(policy: WslUserSettings): JsonObject {
  if ("everyHours" in policy.schedule)
    return { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: policy.schedule.everyHours };
  return {
    "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
    interval: 1,
    time: `${policy.schedule.dailyAt}:00`,
    useUtc: false,
  };
}

export function wslUserSettingsCompiled(policy: WslUserSettings, description: string): ScriptCompiled {
  const input: UserSettingsInput = { wslconfig: {} };
  if (policy.dnsTunneling !== undefined) input.wslconfig = { ...input.wslconfig, dnsTunneling: policy.dnsTunneling };
  if (policy.autoProxy !== undefined) input.wslconfig = { ...input.wslconfig, autoProxy: policy.autoProxy };
  if (policy.defaultVersion !== undefined) input.defaultVersion = policy.defaultVersion;
  const problems: PolicyProblem[] = [];
  if (Object.keys(input.wslconfig).length === 0 && input.defaultVersion === undefined)
    problems.push({
      code: "policy-empty",
      path: "",
      message: "manages no setting: set dnsTunneling, autoProxy or defaultVersion",
    });
  const common = scriptCommon(policy.displayName, description, policy.roleScopeTagIds);
  const intents = assignmentIntents(policy.assignments);
  if (policy.delivery === "platformScript") {
    return {
      kind: "deviceManagementScript",
      document: {
        ...common,
        scriptContent: scriptContentBase64(remediationScript(input)),
        fileName: `wslpolicy-${policy.id}.ps1`,
      },
      assignments: intents,
      problems,
      limits: [{ path: "delivery", message: LIMITS.platformScript }],
    };
  }
  return {
    kind: "deviceHealthScript",
    document: {
      ...common,
      publisher: "wslpolicy",
      detectionScriptContent: scriptContentBase64(detectionScript(input)),
      remediationScriptContent: scriptContentBase64(remediationScript(input)),
    },
    assignments: intents.map((i) => (i.exclude ? i : { ...i, schedule: schedule(policy) })),
    problems,
    limits: [{ path: "delivery", message: LIMITS.remediation }],
  };
}
