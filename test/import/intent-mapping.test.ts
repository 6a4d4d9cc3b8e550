// What `import` turns live objects into: intent-level policies (wslPolicy, hyperVFirewall, wslCompliance,
// defenderPluginRollout) whenever the settings allow, each the same intent the object was made from, with
// assignments by group name when the name is unique in the tenant. Every case goes through a real
// compile → live object → import, so the mapping is checked against the compiler, not against itself.
import { describe, expect, it } from "vitest";
import { DEFENDER_MSI } from "../compile/helpers";
import { importTenant } from "../../src/import";
import { networkingModes } from "../../src/policy/model";
import { FILTER, liveObject, snapshotWith } from "./live";

const ID = "11111111-2222-4333-8444-555555555555";

function importOne(
  kind: "configurationPolicies" | "compliancePolicies" | "mobileApps",
  object: Record<string, unknown>,
) {
  const result = importTenant(snapshotWith({ [kind]: [object] }), { stack: "local", source: "a test" });
  expect(result.skipped).toEqual([]);
  expect(result.files).toHaveLength(1);
  return result.files[0]!;
}

/** The policy an intent imports back to, without the fields import derives (id, names, adopt). */
function reimported(
  input: Record<string, unknown>,
  kind: "configurationPolicies" | "compliancePolicies" | "mobileApps" = "configurationPolicies",
) {
  const file = importOne(kind, liveObject(input, ID));
  expect(file.policy.adopt).toBe(ID);
  expect(file.notes).toEqual([]);
  return file;
}

describe("WSL settings import as wslPolicy intent", () => {
  const switches = ["wsl", "inboxWsl", "wsl1", "debugShell", "diskMount"] as const;
  const locks = [
    "customKernel",
    "kernelCommandLine",
    "systemDistro",
    "nestedVirtualization",
    "kernelDebugging",
    "networkingMode",
    "firewall",
  ] as const;

  for (const value of [true, false]) {
    it(`maps every switch and .wslconfig lock set to ${value ? "Enabled (_1) → true" : "Disabled (_0) → false"}`, () => {
      const input = {
        kind: "wslPolicy",
        ...Object.fromEntries(switches.map((k) => [k, value])),
        wslconfig: Object.fromEntries(locks.map((k) => [k, value])),
      };
      const file = reimported(input);
      expect(file.kind).toBe("wslPolicy");
      expect(file.policy).toMatchObject(input);
      expect(file.source).toContain(`wsl1: ${value},`);
    });
  }

  it("leaves a setting the object does not configure out", () => {
    const file = reimported({ kind: "wslPolicy", wsl1: false });
    expect(file.policy).not.toHaveProperty("wsl");
    expect(file.policy).not.toHaveProperty("wslconfig");
  });

  for (const mode of networkingModes) {
    it(`maps the default networking mode dropdown to defaultNetworkingMode: "${mode}"`, () => {
      const file = reimported({ kind: "wslPolicy", defaultNetworkingMode: mode });
      expect(file.policy).toMatchObject({ kind: "wslPolicy", defaultNetworkingMode: mode });
      expect(file.source).toContain(`defaultNetworkingMode: "${mode}"`);
    });
  }
});

describe("Hyper-V firewall settings import as hyperVFirewall intent", () => {
  it("keeps profiles, loopback, host policy merge and every rule field", () => {
    const input = {
      kind: "hyperVFirewall",
      profiles: {
        domain: { enabled: true, defaultInbound: "block", defaultOutbound: "allow", allowLocalPolicyMerge: false },
        private: { enabled: true, defaultInbound: "block" },
        public: { enabled: false },
      },
      loopback: false,
      hostPolicyMerge: true,
      rules: [
        {
          name: "SSH from corp",
          direction: "in",
          action: "allow",
          protocol: "tcp",
          localPorts: ["22"],
          remoteAddresses: ["10.0.0.0/8"],
          priority: 10,
        },
        {
          name: "Dev servers",
          direction: "in",
          action: "allow",
          protocol: "udp",
          localPorts: ["3000-3100"],
          remotePorts: ["53"],
          localAddresses: ["192.168.0.0/16"],
          profiles: ["domain", "private"],
          priority: 20,
        },
        { name: "No GRE", direction: "out", action: "block", protocol: 47, enabled: false, priority: 30 },
      ],
    };
    const file = reimported(input);
    expect(file.kind).toBe("hyperVFirewall");
    expect(file.policy).toMatchObject(input);
    expect(file.source).toContain('protocol: "tcp"');
    expect(file.source).toContain("protocol: 47");
  });

  it("imports rules alone (no VM settings)", () => {
    const file = reimported({
      kind: "hyperVFirewall",
      rules: [{ name: "Any out", direction: "out", action: "allow" }],
    });
    expect(file.policy).toMatchObject({
      kind: "hyperVFirewall",
      rules: [{ name: "Any out", direction: "out", action: "allow", enabled: true }],
    });
    expect(file.policy).not.toHaveProperty("profiles");
  });
});

describe("compliance and Defender plug-in", () => {
  it("imports a compliance policy's WSL distributions and grace period as wslCompliance", () => {
    const input = {
      kind: "wslCompliance",
      distributions: [
        { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
        { distribution: "Debian", minimumOSVersion: "12" },
      ],
      gracePeriodHours: 24,
    };
    const file = reimported(input, "compliancePolicies");
    expect(file.kind).toBe("wslCompliance");
    expect(file.policy).toMatchObject(input);
  });

  it("ignores a compliance policy whose WSL distribution list is empty", () => {
    const live = {
      ...liveObject({ kind: "wslCompliance", distributions: [{ distribution: "Ubuntu" }] }, ID),
      wslDistributions: [],
    };
    const result = importTenant(snapshotWith({ compliancePolicies: [live] }), { stack: "local", source: "a test" });
    expect(result).toMatchObject({ files: [], skipped: [], unrelated: 1 });
  });

  it("skips the Defender plug-in app, saying why: its policy pins an MSI file and hash the tenant does not hold", () => {
    const input = {
      kind: "defenderPluginRollout",
      package: DEFENDER_MSI,
      rings: [{ target: { kind: "group", name: "WSL Ring 1 - Pilot" }, start: "2027-01-05T08:00:00Z" }],
    };
    const result = importTenant(snapshotWith({ mobileApps: [liveObject(input, ID)] }), {
      stack: "local",
      source: "a test",
    });
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        objectId: ID,
        objectKind: "mobileApp",
        reason: expect.stringMatching(
          /^a defenderPluginRollout names its MSI file and that file's SHA-256, which the tenant does not hold/,
        ),
      }),
    ]);
  });
});

describe("assignments", () => {
  it("names groups that are unique, uses ids for ambiguous or unknown ones, and keeps filters and exclusions", () => {
    const live = liveObject(
      {
        kind: "wslPolicy",
        wsl: false,
        assignments: {
          include: [
            { target: { kind: "group", name: "All Windows Workstations" }, filter: { id: FILTER.id, mode: "exclude" } },
            { kind: "groupId", id: "4747150c-ae4b-508f-80d2-30c5e2284953" },
            { kind: "groupId", id: "99999999-9999-4999-8999-999999999999" },
          ],
          exclude: [{ kind: "group", name: "Kiosk Devices" }],
        },
      },
      ID,
    );
    const file = importOne("configurationPolicies", live);
    expect(file.notes).toEqual([]);
    expect(file.policy.assignments).toEqual({
      include: [
        { target: { kind: "group", name: "All Windows Workstations" }, filter: { id: FILTER.id, mode: "exclude" } },
        { kind: "groupId", id: "4747150c-ae4b-508f-80d2-30c5e2284953" },
        { kind: "groupId", id: "99999999-9999-4999-8999-999999999999" },
      ],
      exclude: [{ kind: "group", name: "Kiosk Devices" }],
    });
    expect(file.source).toContain('target: group("All Windows Workstations"),');
    expect(file.source).toContain(`filter: filter({ id: "${FILTER.id}" }, "exclude"),`);
    expect(file.source).toContain('group({ id: "4747150c-ae4b-508f-80d2-30c5e2284953" })');
    expect(file.source).toMatch(/^import \{ filter, group, wslPolicy \} from "wslpolicy";$/m);
  });

  it("all devices and all users come with broad: true", () => {
    const live = liveObject(
      {
        kind: "wslPolicy",
        wsl: true,
        assignments: { include: [{ kind: "allDevices" }, { kind: "allUsers" }], broad: true },
      },
      ID,
    );
    const file = importOne("configurationPolicies", live);
    expect(file.policy.assignments).toEqual({
      include: [{ kind: "allDevices" }, { kind: "allUsers" }],
      exclude: [],
      broad: true,
    });
    expect(file.source).toContain("assignments: { include: [allDevices, allUsers], broad: true }");
  });
});

describe("ids and source text", () => {
  it("derives unique kebab-case ids from display names, avoiding existing ones, and is deterministic", () => {
    const a = { ...liveObject({ kind: "wslPolicy", wsl: false }, ID), name: "Win - WSL - Off (EU)" };
    const b = {
      ...liveObject({ kind: "wslPolicy", wsl: true }, "22222222-2222-4333-8444-555555555555"),
      name: "Win – WSL – Off (EU)!",
    };
    const snapshot = snapshotWith({ configurationPolicies: [b, a] });
    const options = { stack: "local", source: "a test", existing: [{ policyId: "win-wsl-off-eu", file: "old.ts" }] };
    const first = importTenant(snapshot, options);
    expect(first.files.map((f) => [f.policyId, f.file])).toEqual([
      ["win-wsl-off-eu-2", "win-wsl-off-eu-2.ts"],
      ["win-wsl-off-eu-3", "win-wsl-off-eu-3.ts"],
    ]);
    expect(first.files[0]!.source).toContain("export const winWslOffEu2 = wslPolicy({");
    expect(importTenant(snapshotWith({ configurationPolicies: [a, b] }), options)).toEqual(first);
  });

  it("writes a header naming the tenant object and keeps the description without a foreign marker", () => {
    const live = liveObject({ kind: "wslPolicy", wsl: false }, ID, "Line one.\n\n[wslpolicy:prod/wsl-off]");
    const file = importOne("configurationPolicies", live);
    expect(file.source).toMatch(
      new RegExp(
        `^// Imported by \`wslpolicy import\` from the configuration policy "Source policy"\\n// \\(${ID}\\) of a test\\.`,
      ),
    );
    expect(file.policy.description).toBe("Line one.");
    expect(file.policyId).toBe("wsl-off");
    expect(file.notes).toEqual([expect.stringMatching(/carried the marker of stack 'prod' \(policy 'wsl-off'\)/)]);
  });
});
