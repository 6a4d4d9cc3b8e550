// distroProvisioning → `#cloud-config` user-data: deterministic bytes (UTF-8 without BOM, LF line ends,
// `#cloud-config` first, keys in a fixed order, one `runcmd` list). Module keys are cloud-init's
// (https://cloudinit.readthedocs.io/en/latest/reference/modules.html): users_groups, ssh, set_passwords,
// write_files, package_update_upgrade_install, ubuntu_pro, landscape, runcmd. The file name follows the
// WSL datasource's lookup order (https://cloudinit.readthedocs.io/en/latest/reference/datasources/wsl.html):
// `<InstanceName>`, then `<ID>-<VERSION_ID>`, then `<ID>-all`, then `default`; the first match is the only one read.
import { stringify } from "yaml";
import type { JsonObject, JsonValue } from "../../model";
import type { DistroProvisioning } from "../../policy";

/** The file under `%USERPROFILE%\.cloud-init\` the policy's distributions read. */
export function userDataFileName(target: DistroProvisioning["distributions"]): string {
  if (target === "ubuntu-all") return "ubuntu-all.user-data";
  if ("release" in target) return `ubuntu-${target.release}.user-data`;
  return `${target.instance}.user-data`;
}

/** How the header line of every file wslpolicy writes begins; a file without it is the user's own. */
export const USER_DATA_HEADER_PREFIX = "# wslpolicy: provisioning input ";

/**
 * The header line: names the policy (not the stack, so an import by another stack keeps the same bytes),
 * and begins with the prefix the device script looks for (files any wslpolicy version wrote carry it).
 */
export function userDataHeader(policyId: string): string {
  return `${USER_DATA_HEADER_PREFIX}${policyId}; cloud-init reads it once, at a new distribution's first boot`;
}

/**
 * Secrets the user-data needs, by the text that stands for each in the compiled bytes: the platform script
 * replaces it on the device with the value its secret slot carries (src/intune/script-secrets.ts).
 */
export interface UserDataSecret {
  /** The stand-in text in the user-data (a YAML plain scalar). */
  standIn: string;
  /** The PowerShell variable of the slot. */
  variable: string;
  env: string;
  /** The policy field, for messages. */
  field: string;
}

export function userDataSecrets(policy: DistroProvisioning): UserDataSecret[] {
  const out: UserDataSecret[] = [];
  if (policy.ubuntuPro)
    out.push({
      standIn: "wslpolicy-secret-ubuntu-pro-token",
      variable: "ubuntuProToken",
      env: policy.ubuntuPro.tokenFrom.env,
      field: "ubuntuPro.tokenFrom",
    });
  if (policy.landscape?.registrationKeyFrom)
    out.push({
      standIn: "wslpolicy-secret-landscape-registration-key",
      variable: "landscapeRegistrationKey",
      env: policy.landscape.registrationKeyFrom.env,
      field: "landscape.registrationKeyFrom",
    });
  return out;
}

function sshdDropIn(ssh: NonNullable<DistroProvisioning["ssh"]>): string {
  const lines: string[] = [];
  if (ssh.maxAuthTries !== undefined) lines.push(`MaxAuthTries ${ssh.maxAuthTries}`);
  if (ssh.permitRootLogin === false) lines.push("PermitRootLogin no");
  if (ssh.permitEmptyPasswords === false) lines.push("PermitEmptyPasswords no");
  if (ssh.passwordAuthentication !== undefined)
    lines.push(`PasswordAuthentication ${ssh.passwordAuthentication ? "yes" : "no"}`);
  if (ssh.allowUsers) lines.push(`AllowUsers ${ssh.allowUsers.join(" ")}`);
  return `${lines.join("\n")}\n`;
}

/** The user-data object, keys in the order they are written. */
export function userDataObject(policy: DistroProvisioning): JsonObject {
  const out: JsonObject = {};
  out.package_update = policy.packages.update;
  out.package_upgrade = policy.packages.upgrade;
  out.package_reboot_if_required = false;
  const packages = [...policy.packages.install];
  // sshd settings matter only with the server installed.
  if (policy.ssh && !packages.includes("openssh-server")) packages.push("openssh-server");
  if (packages.length > 0) out.packages = [...packages].sort();
  const user = policy.defaultUser;
  if (user) {
    const entry: JsonObject = {
      name: user.name,
      groups: user.sudo === "nopasswd" ? [...new Set([...user.groups, "sudo"])].sort() : [...user.groups].sort(),
      shell: user.shell,
      lock_passwd: true,
    };
    // A locked password makes password sudo impossible, so sudo is passwordless or none.
    if (user.sudo === "nopasswd") entry.sudo = "ALL=(ALL) NOPASSWD:ALL";
    if (user.sshKeys.length > 0) entry.ssh_authorized_keys = [...user.sshKeys];
    out.users = [entry];
  }
  if (policy.rootLogin === false) out.disable_root = true;
  if (policy.ssh?.passwordAuthentication !== undefined) out.ssh_pwauth = policy.ssh.passwordAuthentication;
  const files: JsonValue[] = [];
  const wslConf: string[] = [];
  if (policy.wslConf?.defaultUser && user) wslConf.push("[user]", `default=${user.name}`);
  if (policy.wslConf?.interop !== undefined) wslConf.push("[interop]", `enabled=${policy.wslConf.interop}`);
  // Appended byte for byte: the leading newline keeps a section header off the file's last line.
  if (wslConf.length > 0) files.push({ path: "/etc/wsl.conf", append: true, content: `\n${wslConf.join("\n")}\n` });
  // A drop-in, not sshd_config itself: replacing that would drop Ubuntu's `Include sshd_config.d/*.conf`.
  if (policy.ssh)
    files.push({
      path: "/etc/ssh/sshd_config.d/01-wslpolicy.conf",
      owner: "root:root",
      permissions: "0644",
      content: sshdDropIn(policy.ssh),
    });
  if (files.length > 0) out.write_files = files;
  const secrets = new Map(userDataSecrets(policy).map((x) => [x.field, x.standIn]));
  // cc_ubuntu_pro: `ubuntu_pro.token` attaches the instance (https://cloudinit.readthedocs.io/en/latest/reference/modules.html#ubuntu-pro).
  if (policy.ubuntuPro) out.ubuntu_pro = { token: secrets.get("ubuntuPro.tokenFrom")! };
  // cc_landscape: `landscape.client` is landscape-client's client.conf; account_name and computer_title
  // are required (https://cloudinit.readthedocs.io/en/latest/reference/modules.html#landscape).
  if (policy.landscape) {
    const l = policy.landscape;
    const client: JsonObject = { account_name: l.accountName, computer_title: l.computerTitle };
    if (l.url) client.url = l.url;
    if (l.pingUrl) client.ping_url = l.pingUrl;
    if (l.tags) client.tags = l.tags.join(",");
    if (l.registrationKeyFrom) client.registration_key = secrets.get("landscape.registrationKeyFrom")!;
    out.landscape = { client };
  }
  const runcmd: JsonValue[] = [];
  if (policy.rootLogin === false)
    runcmd.push(["usermod", "--shell", "/usr/sbin/nologin", "root"], ["passwd", "--lock", "root"]);
  if (runcmd.length > 0) out.runcmd = runcmd;
  return out;
}

/** The exact bytes, as text: `#cloud-config`, the owner header, then the YAML; LF only, no BOM. */
export function userDataText(policy: DistroProvisioning, policyId: string): string {
  const body = stringify(userDataObject(policy), { lineWidth: 0, indentSeq: false });
  return `#cloud-config\n${userDataHeader(policyId)}\n${body}`;
}
