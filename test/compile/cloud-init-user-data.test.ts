// distroProvisioning → #cloud-config user-data, and the check every compiled user-data passes before it
// is sent: bytes (no BOM: cloud-init's type_from_starts_with then ignores the file; `#cloud-config` on the
// first line, cloudinit/handlers/__init__.py), YAML with duplicate keys refused (PyYAML keeps the last
// `runcmd:` silently), and cloud-init's own schema (tag 24.1, src/compile/cloud-init/data/).
// File names: the WSL datasource's lookup order, cloudinit/sources/DataSourceWSL.py candidate_user_data_file_names.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { userDataFileName, userDataText } from "../../src/compile/cloud-init/user-data";
import { userDataProblems } from "../../src/compile/cloud-init/validate";
import { distroProvisioning, group } from "../../src";
import { distroProvisioningSchema } from "../../src/policy/model";
import { loaded } from "./helpers";

const policy = (extra: Record<string, unknown> = {}) =>
  distroProvisioningSchema.parse({
    ...distroProvisioning({
      id: "ubuntu-provisioning",
      displayName: "WSL - Ubuntu provisioning input",
      defaultUser: {
        name: "dev",
        sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOk8mJ0Z9bX0c1Yq2Wm7Qm8Jf3hA3pQdG4sY5a6b7c8d dev@example"],
      },
      rootLogin: false,
      ssh: { maxAuthTries: 3, permitRootLogin: false, permitEmptyPasswords: false, allowUsers: ["dev"] },
      wslConf: { defaultUser: true },
      assignments: { include: [group("Developers")] },
    }),
    ...extra,
  });

describe("compiled user-data", () => {
  const text = userDataText(policy(), "prod/ubuntu-provisioning");

  it("is #cloud-config first, LF only, no BOM, and passes cloud-init's schema", () => {
    expect(text.split("\n")[0]).toBe("#cloud-config");
    expect(text).not.toContain("\r");
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(userDataProblems(text)).toEqual([]);
  });

  it("is the same bytes for the same policy", () => {
    expect(userDataText(policy(), "prod/ubuntu-provisioning")).toBe(text);
  });

  it("has one runcmd list, ssh_authorized_keys spelt with underscores, sshd settings in a drop-in and openssh-server installed", () => {
    expect(text.match(/^runcmd:/gm)).toHaveLength(1);
    expect(text).toContain("ssh_authorized_keys:");
    expect(text).toContain("path: /etc/ssh/sshd_config.d/01-wslpolicy.conf");
    expect(text).not.toMatch(/path: \/etc\/ssh\/sshd_config$/m);
    expect(text).toContain("- openssh-server");
    expect(text).toContain("default=dev");
  });

  it("is named after the distributions it is for (the datasource reads only the first match)", () => {
    expect(userDataFileName("ubuntu-all")).toBe("ubuntu-all.user-data");
    expect(userDataFileName({ release: "24.04" })).toBe("ubuntu-24.04.user-data");
    expect(userDataFileName({ instance: "Ubuntu-24.04" })).toBe("Ubuntu-24.04.user-data");
  });
});

describe("the user-data check refuses the known traps", () => {
  it("a second list item indented under the first item's mapping (the security overview's write_files snippet)", () => {
    const snippet = [
      "#cloud-config",
      "write_files:",
      "- path: /etc/wsl.conf",
      "  append: true",
      "  content: |",
      "    [user]",
      "    default=u",
      "  - path: /etc/ssh/sshd_config",
      "    content: |",
      "      PermitRootLogin no",
      "",
    ].join("\n");
    expect(userDataProblems(snippet)[0]).toMatch(/^not valid YAML/);
  });

  it("two runcmd keys (PyYAML would silently keep only the second)", () => {
    const twice = [
      "#cloud-config",
      "runcmd:",
      "- [usermod, --shell, /usr/sbin/nologin, root]",
      "runcmd:",
      "- [echo, interop]",
      "",
    ].join("\n");
    expect(userDataProblems(twice)[0]).toMatch(/not valid YAML: .*unique/i);
  });

  it("a byte order mark", () => {
    expect(userDataProblems(`\ufeff${userDataText(policy(), "p/x")}`)[0]).toMatch(/byte order mark/);
  });

  it("a misspelt top-level key and the deprecated ssh-authorized-keys", () => {
    expect(userDataProblems("#cloud-config\npackage_updte: true\n")).toEqual([
      expect.stringContaining("'package_updte'"),
    ]);
    expect(userDataProblems("#cloud-config\nusers:\n- name: u\n  ssh-authorized-keys: [x]\n").length).toBeGreaterThan(
      0,
    );
  });
});

describe("distroProvisioning compiles to a user-context platform script", () => {
  const compiled = (p: Record<string, unknown>) => compile([loaded(p)], { stack: "prod" });

  it("in 64-bit PowerShell, as the logged-on user, with the user-data embedded as base64", () => {
    const result = compiled(
      distroProvisioning({
        id: "ubuntu-provisioning",
        displayName: "WSL - Ubuntu",
        defaultUser: { name: "dev" },
        assignments: { include: [group("Developers")] },
      }),
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: "platform-limit",
        severity: "warning",
        message: expect.stringContaining("provisioning input only"),
      }),
    ]);
    const [object] = result.desired.objects;
    expect(object!.kind).toBe("deviceManagementScript");
    expect(object!.document).toMatchObject({ runAsAccount: "user", runAs32Bit: false, enforceSignatureCheck: false });
    const script = Buffer.from(String(object!.document.scriptContent), "base64").toString("utf8");
    const embedded = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(script)![1]!;
    expect(userDataProblems(Buffer.from(embedded, "base64").toString("utf8"))).toEqual([]);
    expect(script).toContain("$fileName = 'ubuntu-all.user-data'");
    // the device script knows any file wslpolicy wrote by the header's prefix; the header names the policy only
    expect(script).toContain("$header = '# wslpolicy: provisioning input '");
    expect(Buffer.from(embedded, "base64").toString("utf8").split("\n")[1]).toMatch(
      /^# wslpolicy: provisioning input ubuntu-provisioning; /,
    );
    expect(script).toContain("$overwriteUserFile = $false");
  });

  it("says in the description (which the plan shows) when it replaces a user's own file", () => {
    const result = compiled(
      distroProvisioning({
        id: "ubuntu-provisioning",
        displayName: "WSL - Ubuntu",
        distributions: { instance: "Ubuntu-24.04" },
        overwriteUserFile: true,
        assignments: { include: [group("Developers")] },
      }),
    );
    const description = String(result.desired.objects[0]!.document.description);
    expect(description).toContain("Replaces a user's own Ubuntu-24.04.user-data.");
    expect(description.split("\n").pop()).toBe("[wslpolicy:prod/ubuntu-provisioning]");
  });

  const proAndLandscape = (landscape: Parameters<typeof distroProvisioning>[0]["landscape"]) =>
    compiled(
      distroProvisioning({
        id: "ubuntu-pro",
        displayName: "WSL - Pro",
        ubuntuPro: { tokenFrom: { env: "UBUNTU_PRO_TOKEN" } },
        landscape,
        assignments: { include: [group("Developers")] },
      }),
    );
  const embeddedUserData = (result: ReturnType<typeof compiled>) => {
    const script = Buffer.from(String(result.desired.objects[0]!.document.scriptContent), "base64").toString("utf8");
    return {
      script,
      userData: Buffer.from(/FromBase64String\('([^']+)'\)/.exec(script)![1]!, "base64").toString("utf8"),
    };
  };

  it("attaches Ubuntu Pro and registers with Landscape (cc_ubuntu_pro, cc_landscape), secrets as stand-ins the device replaces", () => {
    const result = proAndLandscape({
      accountName: "standalone",
      computerTitle: "wsl",
      url: "https://landscape.example.com/message-system",
      pingUrl: "http://landscape.example.com/ping",
      tags: ["wsl", "managed"],
      registrationKeyFrom: { env: "LANDSCAPE_KEY" },
    });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // the one place the plan says where the secret ends up
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "secret-in-script",
        severity: "warning",
        message: expect.stringContaining("readable by every Intune administrator"),
      }),
    );
    const { script, userData } = embeddedUserData(result);
    expect(userDataProblems(userData)).toEqual([]);
    expect(userData).toContain(
      [
        "ubuntu_pro:",
        "  token: wslpolicy-secret-ubuntu-pro-token",
        "landscape:",
        "  client:",
        "    account_name: standalone",
        "    computer_title: wsl",
        "    url: https://landscape.example.com/message-system",
        "    ping_url: http://landscape.example.com/ping",
        "    tags: wsl,managed",
        "    registration_key: wslpolicy-secret-landscape-registration-key",
      ].join("\n"),
    );
    expect(script).toContain(
      "$ubuntuProToken = 'unresolved' # wslpolicy-secret env:UBUNTU_PRO_TOKEN ubuntuPro.tokenFrom",
    );
    expect(script).toContain(
      "$landscapeRegistrationKey = 'unresolved' # wslpolicy-secret env:LANDSCAPE_KEY landscape.registrationKeyFrom",
    );
    expect(script).toContain("$text = $text.Replace('wslpolicy-secret-ubuntu-pro-token', $ubuntuProToken)");
  });

  it("a Landscape block without a registration key has no key in the user-data; the schema's required fields are the policy's", () => {
    const { userData } = embeddedUserData(proAndLandscape({ accountName: "acme", computerTitle: "wsl" }));
    expect(userDataProblems(userData)).toEqual([]);
    expect(userData).not.toContain("registration_key");
    const issues = (input: Record<string, unknown>) =>
      distroProvisioningSchema
        .safeParse({ ...policy(), ...input })
        .error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ landscape: { computerTitle: "wsl" } })).toEqual([["landscape.accountName", expect.any(String)]]);
    expect(issues({ landscape: { accountName: "a", computerTitle: "wsl", tags: ["two words"] } })).toEqual([
      ["landscape.tags.0", expect.stringContaining("cc_landscape tags")],
    ]);
  });

  it("a token written into the policy file is refused, naming the field", () => {
    const issues = distroProvisioningSchema
      .safeParse({ ...policy(), ubuntuPro: { tokenFrom: { value: "C1234" } } })
      .error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual([
      ["ubuntuPro.tokenFrom.env", expect.any(String)],
      ["ubuntuPro.tokenFrom", expect.stringContaining("the value itself never goes in a policy file")],
    ]);
    expect(
      distroProvisioningSchema
        .safeParse({ ...policy(), ubuntuPro: { token: "C1234" } })
        .error?.issues.map((i) => i.path.join(".")),
    ).toEqual(["ubuntuPro.tokenFrom", "ubuntuPro"]);
  });
});
