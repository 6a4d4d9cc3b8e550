// distroProvisioning → `#cloud-config` user-data: deterministic bytes (UTF-8 without BOM, LF line ends,
// `#cloud-config` first, keys in a fixed order, one `runcmd` list). Module keys are cloud-init's
// (https://cloudinit.readthedocs.io/en/latest/reference/modules.html): users_groups, ssh, set_passwords,
// write_files, package_update_upgrade_install, runcmd. The file name follows the WSL datasource's lookup
// order (https://cloudinit.readthedocs.io/en/latest/reference/datasources/wsl.html): `<InstanceName>`,
// then `<ID>-<VERSION_ID>`, then `<ID>-all`, then `default`; the first match is the only one read.
import { stringify } from "yaml";
import type { JsonObject, JsonValue } from "../../model";
import type { DistroProvisioning } from "../../policy";

/** The file under `%USERPROFILE%\.cloud-init\` the policy's distributions read. */
export function userDataFileName(target: DistroProvisioning["distributions"]): string {
  if (target === "ubuntu-all") return "ubuntu-all.user-data";
  if ("release" in target) return `ubuntu-${target.release}.user-data`;
  return `${target.instance}.user-data`;
}

/** The header line that marks a file as wslpolicy's; a file without it is the user's own. */
export function userDataHeader(owner: string): string {
  return `# wslpolicy: provisioning input ${owner}; cloud-init reads it once, at a new distribution's first boot`;
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
  const runcmd: JsonValue[] = [];
  if (policy.rootLogin === false)
    runcmd.push(["usermod", "--shell", "/usr/sbin/nologin", "root"], ["passwd", "--lock", "root"]);
  if (runcmd.length > 0) out.runcmd = runcmd;
  return out;
}

/** The exact bytes, as text: `#cloud-config`, the owner header, then the YAML; LF only, no BOM. */
export function userDataText(policy: DistroProvisioning, owner: string): string {
  const body = stringify(userDataObject(policy), { lineWidth: 0, indentSeq: false });
  return `#cloud-config\n${userDataHeader(owner)}\n${body}`;
}
