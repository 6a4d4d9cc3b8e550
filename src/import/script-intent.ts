// Platform scripts and Remediations → the policy that writes them, when the script is one wslpolicy
// generates (its own, or one shaped like it): the script content (Edm.Binary, base64, read by id:
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta)
// is decoded and the policy fields are recovered from what the generator wrote:
//   - the user-data platform script (src/compile/powershell/user-data-script.ts): the file name, the
//     overwrite flag, the embedded #cloud-config (cloud-init module keys, cloudinit.readthedocs.io
//     reference/modules.html) and the secret slots, whose variable names become `tokenFrom: { env }`;
//   - the `.wslconfig` merge (src/compile/wslconfig/scripts.ts): the `$managed` table and `$defaultVersion`,
//     with the Remediation's run schedule from its assignments.
// Anything else is not recognised and is listed with the reason. Whether the recovered policy compiles
// back to the same object is checked by import-tenant.ts like every other import (only the marker differs).
import { parseDocument } from "yaml";
import { documentSecretSlots, fingerprintsFrom, mapScriptFields, secretSlots, type SecretSlot } from "../intune";
import { kindSpec } from "../kinds";
import {
  isRecord,
  type DeviceHealthScript,
  type DeviceManagementScript,
  type JsonObject,
  type ObjectKind,
} from "../model";
import type { PolicyKind } from "../policy";
import type { SourceValue } from "./source-text";

export interface ScriptIntent {
  kind: PolicyKind;
  fields: { [key: string]: SourceValue };
  /** The policy id the generator wrote into the script (file name), used when the object has no marker. */
  preferredId?: string;
  /** A line the compiler adds to the description (removed from the imported description: compile adds it back). */
  compilerNote?: string;
}

const text = (base64: unknown): string | undefined =>
  typeof base64 === "string" ? Buffer.from(base64, "base64").toString("utf8") : undefined;

/** `$name = '<literal>'` in a generated script (single-quoted, `''` for a quote). */
function psLiteral(script: string, name: string): string | undefined {
  const m = new RegExp(`^\\$${name} = '((?:[^']|'')*)'$`, "m").exec(script);
  return m ? m[1]!.replace(/''/g, "'") : undefined;
}

function psBoolean(script: string, name: string): boolean | undefined {
  const m = new RegExp(`^\\$${name} = \\$(true|false)$`, "m").exec(script);
  return m ? m[1] === "true" : undefined;
}

const POLICY_FILE = /^wslpolicy-([a-z0-9]+(?:-[a-z0-9]+)*)\.ps1$/;

function policyIdOf(fileName: unknown): string | undefined {
  return typeof fileName === "string" ? POLICY_FILE.exec(fileName)?.[1] : undefined;
}

// ---- the user-data platform script -----------------------------------------------------------------

function distributionsOf(fileName: string): SourceValue {
  if (fileName === "ubuntu-all.user-data") return "ubuntu-all";
  const release = /^ubuntu-(\d{2}\.\d{2})\.user-data$/.exec(fileName);
  if (release) return { release: release[1]! };
  return { instance: fileName.replace(/\.user-data$/, "") };
}

function sshOf(content: string, pwauth: unknown): { [key: string]: SourceValue } {
  const ssh: { [key: string]: SourceValue } = {};
  for (const line of content.split("\n")) {
    const [key, ...rest] = line.trim().split(/\s+/);
    const value = rest.join(" ");
    if (key === "MaxAuthTries") ssh.maxAuthTries = Number(value);
    else if (key === "PermitRootLogin" && value === "no") ssh.permitRootLogin = false;
    else if (key === "PermitEmptyPasswords" && value === "no") ssh.permitEmptyPasswords = false;
    else if (key === "AllowUsers") ssh.allowUsers = rest;
  }
  if (typeof pwauth === "boolean") ssh.passwordAuthentication = pwauth;
  return ssh;
}

function wslConfOf(content: string): { [key: string]: SourceValue } {
  const out: { [key: string]: SourceValue } = {};
  if (/^\[user\]\ndefault=/m.test(content)) out.defaultUser = true;
  const interop = /^\[interop\]\nenabled=(true|false)$/m.exec(content);
  if (interop) out.interop = interop[1] === "true";
  return out;
}

function secretFrom(slots: readonly SecretSlot[], field: string): SourceValue | string {
  const slot = slots.find((s) => s.field === field);
  return slot
    ? { env: slot.env }
    : `its user-data holds a ${field.split(".")[0]} secret that is not in a wslpolicy secret slot`;
}

/** The distroProvisioning fields of a user-data platform script, or why they cannot be recovered. */
function provisioningFields(script: string): { [key: string]: SourceValue } | string {
  const fileName = psLiteral(script, "fileName");
  const overwrite = psBoolean(script, "overwriteUserFile");
  const embedded = /\[Convert\]::FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(script)?.[1];
  if (!fileName || overwrite === undefined || !embedded) return "not recognised";
  const userData = Buffer.from(embedded, "base64").toString("utf8");
  const doc = parseDocument(userData, { uniqueKeys: true });
  const data: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
  if (!userData.startsWith("#cloud-config\n") || !isRecord(data))
    return "its embedded user-data is not #cloud-config YAML";
  const fields: { [key: string]: SourceValue } = { distributions: distributionsOf(fileName) };
  const files = Array.isArray(data.write_files) ? data.write_files.filter(isRecord) : [];
  const dropIn = files.find((f) => f.path === "/etc/ssh/sshd_config.d/01-wslpolicy.conf");
  const wslConf = files.find((f) => f.path === "/etc/wsl.conf");
  const install = (Array.isArray(data.packages) ? data.packages.map(String) : []).filter(
    (p) => !(dropIn && p === "openssh-server"),
  );
  fields.packages = { update: data.package_update === true, upgrade: data.package_upgrade === true, install };
  const user = Array.isArray(data.users) && isRecord(data.users[0]) ? data.users[0] : undefined;
  if (user) {
    const sudo = typeof user.sudo === "string" ? "nopasswd" : "none";
    const groups = (Array.isArray(user.groups) ? user.groups.map(String) : []).filter(
      (g) => !(sudo === "nopasswd" && g === "sudo"),
    );
    fields.defaultUser = {
      name: String(user.name),
      sudo,
      groups,
      shell: String(user.shell ?? "/bin/bash"),
      sshKeys: Array.isArray(user.ssh_authorized_keys) ? user.ssh_authorized_keys.map(String) : [],
    };
  }
  if (data.disable_root === true) fields.rootLogin = false;
  if (dropIn) fields.ssh = sshOf(String(dropIn.content ?? ""), data.ssh_pwauth);
  if (wslConf) fields.wslConf = wslConfOf(String(wslConf.content ?? ""));
  const slots = secretSlots(script);
  if (isRecord(data.ubuntu_pro)) {
    const from = secretFrom(slots, "ubuntuPro.tokenFrom");
    if (typeof from === "string") return from;
    fields.ubuntuPro = { tokenFrom: from };
  }
  const client = isRecord(data.landscape) && isRecord(data.landscape.client) ? data.landscape.client : undefined;
  if (client) {
    const landscape: { [key: string]: SourceValue } = {
      accountName: String(client.account_name),
      computerTitle: String(client.computer_title),
    };
    if (typeof client.url === "string") landscape.url = client.url;
    if (typeof client.ping_url === "string") landscape.pingUrl = client.ping_url;
    if (typeof client.tags === "string") landscape.tags = client.tags.split(",");
    if (client.registration_key !== undefined) {
      const from = secretFrom(slots, "landscape.registrationKeyFrom");
      if (typeof from === "string") return from;
      landscape.registrationKeyFrom = from;
    }
    fields.landscape = landscape;
  }
  if (overwrite) fields.overwriteUserFile = true;
  return fields;
}

// ---- the .wslconfig merge ---------------------------------------------------------------------------

/** The wslUserSettings fields of a merge script's table (`$managed`, `$defaultVersion`), or undefined. */
function userSettingsFields(script: string): { [key: string]: SourceValue } | undefined {
  const version = /^\$defaultVersion = (\d+)$/m.exec(script);
  if (!/^\$managed = @\($/m.test(script) || !version) return undefined;
  const fields: { [key: string]: SourceValue } = {};
  for (const m of script.matchAll(/^ {2}@\{ Name = '(\w+)';.* Value = \$(true|false) \},?$/gm))
    fields[m[1]!] = m[2] === "true";
  if (version[1] !== "0") fields.defaultVersion = Number(version[1]);
  return fields;
}

/** A Remediation's schedule as the policy says it: every include carries the same run schedule. */
function scheduleOf(script: DeviceHealthScript): SourceValue | string {
  const schedules = (script.assignments ?? [])
    .filter((a) => !/exclusion/i.test(String(a.target["@odata.type"])))
    .map((a) => a.runSchedule ?? null);
  const distinct = [...new Set(schedules.map((s) => JSON.stringify(s)))];
  if (distinct.length === 0) return { everyHours: 1 };
  if (distinct.length > 1) return "its assignments run on different schedules; a wslUserSettings policy has one";
  const s = schedules[0];
  const type = String(s?.["@odata.type"] ?? "");
  if (/HourlySchedule$/.test(type) && typeof s?.interval === "number") return { everyHours: s.interval };
  const time = typeof s?.time === "string" ? /^(\d{2}:\d{2}):00(\.0+)?$/.exec(s.time) : null;
  if (/DailySchedule$/.test(type) && s?.interval === 1 && s.useUtc === false && time) return { dailyAt: time[1]! };
  return `its run schedule (${type.replace(/^#microsoft\.graph\./, "") || "none"}) is not one wslUserSettings writes (hourly, or daily at a local time)`;
}

// ---- per kind -------------------------------------------------------------------------------------

const NOT_OURS =
  "its script is not one wslpolicy generates (no recognisable user-data writer or .wslconfig merge); wslpolicy manages only scripts it writes";

/** Whether a platform script's content is one wslpolicy could rebuild (decides "import" over "skip"). */
export function platformScriptIntent(script: DeviceManagementScript): ScriptIntent | string {
  const body = text(script.scriptContent);
  if (body === undefined) return "its script content was not read (Graph returns it only on a read by id)";
  const preferredId = policyIdOf(script.fileName);
  const settings = userSettingsFields(body);
  if (settings) return { kind: "wslUserSettings", fields: { ...settings, delivery: "platformScript" }, preferredId };
  const provisioning = provisioningFields(body);
  if (provisioning === "not recognised") return NOT_OURS;
  if (typeof provisioning === "string") return provisioning;
  const fileName = psLiteral(body, "fileName")!;
  return {
    kind: "distroProvisioning",
    fields: provisioning,
    preferredId,
    ...(provisioning.overwriteUserFile ? { compilerNote: `Replaces a user's own ${fileName}.` } : {}),
  };
}

export function remediationIntent(script: DeviceHealthScript): ScriptIntent | string {
  const remediation = text(script.remediationScriptContent);
  if (remediation === undefined) return "its script content was not read (Graph returns it only on a read by id)";
  const settings = userSettingsFields(remediation);
  if (!settings) return NOT_OURS;
  const schedule = scheduleOf(script);
  if (typeof schedule === "string") return schedule;
  return { kind: "wslUserSettings", fields: { ...settings, schedule } };
}

/**
 * The compiled document with its unresolved secrets given the live script's fingerprints: import has no
 * environment, so it compares everything but the secret, and says where the secret will come from.
 */
export function withLiveSecrets(
  kind: ObjectKind,
  document: JsonObject,
  live: Readonly<Record<string, unknown>>,
): { document: JsonObject; notes: string[] } {
  const fields = kindSpec(kind).scriptContent ?? [];
  const liveSlots = documentSecretSlots(live, fields);
  const known = (env: string) => liveSlots.find((s) => s.env === env)?.value;
  const notes = documentSecretSlots(document, fields).map(
    (s) =>
      `${s.field}: the secret is read from the environment variable ${s.env} when applied; plan compares its fingerprint with the live script's (${known(s.env) ?? "none"})`,
  );
  return { document: mapScriptFields(document, fields, (t) => fingerprintsFrom(t, known)), notes };
}
