// Import of platform scripts and Remediations: a script wslpolicy generated (or one shaped like it) is
// rebuilt into the distroProvisioning / wslUserSettings policy that writes it, from its decoded script
// content (Graph returns it on a read by id, base64:
// learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta);
// the files validate and plan against the same tenant changes only the ownership marker. Other scripts
// are listed with the reason, never guessed at.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { insertSecrets, mapScriptFields } from "../../src/intune";
import { importTenant } from "../../src/import";
import { kindSpec } from "../../src/kinds";
import { COLLECTIONS, type DesiredState, type TenantSnapshot } from "../../src/model";
import { distroProvisioning, group, wslUserSettings } from "../../src";
import { readTenant } from "../../src/tenant";
import { loaded } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "../diff/emulator-tenant";
import { cleanupWorkspaces, expectOnlyMarkers, roundTrip } from "./round-trip-helpers";

const SECRETS = { PRO_TOKEN: "C1PROtoken0123456789abcdef", LANDSCAPE_KEY: "landscapeRegistrationKey42" };
const developers = group("Developer Workstations");
const kiosks = group("Kiosk Devices");

const EXAMPLES = [
  distroProvisioning({
    id: "ubuntu-provisioning",
    displayName: "WSL - Ubuntu provisioning input",
    description: "cloud-init for new Ubuntu distributions.",
    distributions: { release: "24.04" },
    packages: { update: true, upgrade: true, install: ["git", "openssh-server"] },
    defaultUser: {
      name: "dev",
      groups: ["users", "docker"],
      sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOk8mJ0Z9bX0c1Yq2Wm7Qm8Jf3hA3pQdG4sY5a6b7c8d dev@example"],
    },
    rootLogin: false,
    ssh: {
      maxAuthTries: 3,
      permitRootLogin: false,
      permitEmptyPasswords: false,
      passwordAuthentication: false,
      allowUsers: ["dev"],
    },
    wslConf: { defaultUser: true, interop: false },
    ubuntuPro: { tokenFrom: { env: "PRO_TOKEN" } },
    landscape: {
      accountName: "standalone",
      computerTitle: "wsl",
      url: "https://landscape.example.com/message-system",
      pingUrl: "http://landscape.example.com/ping",
      tags: ["wsl", "managed"],
      registrationKeyFrom: { env: "LANDSCAPE_KEY" },
    },
    assignments: { include: [developers], exclude: [kiosks] },
  }),
  distroProvisioning({
    id: "ubuntu-instance",
    displayName: "WSL - one instance",
    distributions: { instance: "Ubuntu-24.04" },
    overwriteUserFile: true,
    defaultUser: { name: "ops", sudo: "none" },
    assignments: { include: [developers] },
  }),
  wslUserSettings({
    id: "wsl-user-settings",
    displayName: "WSL - user settings",
    dnsTunneling: true,
    autoProxy: false,
    defaultVersion: 2,
    schedule: { dailyAt: "09:30" },
    assignments: { include: [developers] },
  }),
  wslUserSettings({
    id: "wsl-user-settings-once",
    displayName: "WSL - user settings once",
    dnsTunneling: true,
    delivery: "platformScript",
    assignments: { include: [developers] },
  }),
];

/** What an apply sends: secrets from the environment in the script bodies. */
function asSent(desired: DesiredState): DesiredState {
  const objects = desired.objects.map((o) => ({
    ...o,
    document: mapScriptFields(o.document, kindSpec(o.kind).scriptContent ?? [], (t) =>
      insertSecrets(t, SECRETS, o.sourceFile),
    ),
  }));
  return { ...desired, objects };
}

let emulator: RunningEmulator;
let graph: GraphClient;
let snapshot: TenantSnapshot;
beforeAll(async () => {
  const compiled = compile(
    EXAMPLES.map((p) => loaded(p)),
    { stack: "local" },
  );
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  graph = clientFor(emulator);
  await applyAll(graph, asSent(compiled.desired), groupsSeed(), emulator);
  snapshot = await readTenant(graph);
});
afterAll(async () => {
  cleanupWorkspaces();
  await graph.close();
  await emulator.stop();
});

describe("import of scripts wslpolicy generated", () => {
  it("rebuilds each policy, secrets as their environment variables; plan by another stack changes only the markers", async () => {
    const { result, built, plan } = await roundTrip(snapshot, "prod", undefined, SECRETS);
    expect(result.skipped).toEqual([]);
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.files.map((f) => [f.policyId, f.kind, f.objectKind]).sort()).toEqual([
      ["ubuntu-instance", "distroProvisioning", "deviceManagementScript"],
      ["ubuntu-provisioning", "distroProvisioning", "deviceManagementScript"],
      ["wsl-user-settings", "wslUserSettings", "deviceHealthScript"],
      ["wsl-user-settings-once", "wslUserSettings", "deviceManagementScript"],
    ]);
    const provisioning = result.files.find((f) => f.policyId === "ubuntu-provisioning")!;
    for (const f of result.files.filter((x) => x !== provisioning))
      expect(f.notes).toEqual([expect.stringMatching(/carried the marker of stack 'local'/)]);
    expect(provisioning.notes).toEqual([
      expect.stringMatching(/carried the marker of stack 'local'/),
      expect.stringMatching(
        /^ubuntuPro\.tokenFrom: the secret is read from the environment variable PRO_TOKEN when applied; plan compares its fingerprint with the live script's \(sha256:[0-9a-f]{64}\)$/,
      ),
      expect.stringMatching(/^landscape\.registrationKeyFrom: .* LANDSCAPE_KEY /),
    ]);
    expect(provisioning.source).toContain('tokenFrom: { env: "PRO_TOKEN" }');
    expect(provisioning.source).toContain('registrationKeyFrom: { env: "LANDSCAPE_KEY" }');
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(result)).not.toContain(secret);
    expect(result.files.find((f) => f.policyId === "wsl-user-settings")!.policy).toMatchObject({
      dnsTunneling: true,
      autoProxy: false,
      defaultVersion: 2,
      schedule: { dailyAt: "09:30" },
    });
    expect(plan.errors).toEqual([]);
    expectOnlyMarkers(result, plan, snapshot, "prod");
  });

  it("a wslpolicy-shaped script without a marker takes its policy id from the script's file name", () => {
    const unmarked = structuredClone(snapshot);
    for (const s of unmarked[COLLECTIONS.deviceManagementScripts])
      s.description = "Made by hand from wslpolicy's output.";
    const result = importTenant(unmarked, { stack: "prod", source: "a test tenant" });
    expect(
      result.files
        .filter((f) => f.objectKind === "deviceManagementScript")
        .map((f) => f.policyId)
        .sort(),
    ).toEqual(["ubuntu-instance", "ubuntu-provisioning", "wsl-user-settings-once"]);
  });
});

describe("scripts import does not rebuild", () => {
  const withScripts = (scripts: Record<string, unknown>[], remediations: Record<string, unknown>[] = []) => {
    const s = structuredClone(snapshot);
    s[COLLECTIONS.deviceManagementScripts] = scripts as TenantSnapshot["deviceManagement/deviceManagementScripts"];
    s[COLLECTIONS.deviceHealthScripts] = remediations as TenantSnapshot["deviceManagement/deviceHealthScripts"];
    return importTenant(s, { stack: "prod", source: "a test tenant" });
  };
  const script = (displayName: string, body: string | null) => ({
    id: "0b5c8c1e-7c39-4a65-9c3e-1f0f5e2d9a11",
    displayName,
    description: "",
    runAsAccount: "user",
    scriptContent: body === null ? null : Buffer.from(body).toString("base64"),
    assignments: [],
  });

  it("lists a WSL-looking script of someone else's with the reason, and counts an unrelated one", () => {
    const result = withScripts([
      script("Install WSL kernel", "wsl --update\n"),
      script("Printer mapping", "Add-Printer -Name x\n"),
    ]);
    expect(result.files.filter((f) => f.objectKind === "deviceManagementScript")).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        objectName: "Install WSL kernel",
        reason: expect.stringContaining("not one wslpolicy generates"),
      }),
    ]);
  });

  it("lists a script whose content was not read, and a user-data token written into the script itself", () => {
    const generated = Buffer.from(
      String(
        snapshot[COLLECTIONS.deviceManagementScripts].find((s) => s.displayName === "WSL - Ubuntu provisioning input")!
          .scriptContent,
      ),
      "base64",
    ).toString("utf8");
    const inline = generated.replace(/^\$ubuntuProToken = .*$/m, "$ubuntuProToken = 'C1PROtoken0123456789abcdef'");
    const result = withScripts([script("WSL unread", null), script("WSL inline token", inline)]);
    expect(result.skipped.map((s) => [s.objectName, s.reason])).toEqual([
      ["WSL inline token", expect.stringContaining("holds a ubuntuPro secret that is not in a wslpolicy secret slot")],
      ["WSL unread", expect.stringContaining("its script content was not read")],
    ]);
  });

  it("lists a Remediation whose assignments run on different schedules", () => {
    const live = structuredClone(snapshot[COLLECTIONS.deviceHealthScripts][0]!);
    const first = live.assignments![0]!;
    live.assignments = [
      first,
      {
        ...first,
        target: {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          groupId: "2f8d2e4a-3b3c-4e77-9c2a-5f3e6d9a0b03",
        },
        runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 4 },
      },
    ];
    const result = withScripts([], [live as unknown as Record<string, unknown>]);
    expect(result.skipped).toEqual([
      expect.objectContaining({ reason: expect.stringContaining("different schedules") }),
    ]);
  });
});
