// The two script kinds (platform scripts and Remediations) through the real dynamic-provider host, as
// the engine drives them in up/refresh/destroy against the emulator, and the secrets they may carry:
// an Ubuntu Pro token and a Landscape registration key named by `tokenFrom: { env }` reach Graph only
// in the body of the create or update (the provider host's environment supplies them), while inputs,
// state, refresh results and the emulator's request log hold no more than their SHA-256 fingerprints.
// Graph returns script content by id
// (learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-get?view=graph-rest-beta),
// so drift compares the fingerprint of the token found in the live script.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { secretFingerprint } from "../../src/intune";
import { COLLECTIONS, isOwnedBy, type DesiredObject, type ObjectKind } from "../../src/model";
import { resourceTypeToken } from "../../src/pulumi/resource-inputs";
import { distroProvisioning, group, wslUserSettings } from "../../src";
import { loaded } from "../compile/helpers";
import { resourceInputs, seedWithGroups, serializedProviders, STACKS_DIR } from "./harness/fixtures";
import { startProviderHost, type ProviderHost, type Props } from "./harness/provider-host";

const STACK = "ci";
const TOKEN = "C1PROtoken0123456789abcdef";
const LANDSCAPE_KEY = "landscapeRegistrationKey42";
const developers = group("Developer Workstations");

const provisioning = distroProvisioning({
  id: "ubuntu-provisioning",
  displayName: "WSL - Ubuntu provisioning input",
  defaultUser: { name: "dev" },
  rootLogin: false,
  ubuntuPro: { tokenFrom: { env: "WSLPOLICY_TEST_PRO_TOKEN" } },
  landscape: {
    accountName: "standalone",
    computerTitle: "wsl",
    url: "https://landscape.example.com/message-system",
    tags: ["wsl", "managed"],
    registrationKeyFrom: { env: "WSLPOLICY_TEST_LANDSCAPE_KEY" },
  },
  assignments: { include: [developers] },
});
const userSettings = wslUserSettings({
  id: "wsl-user-settings",
  displayName: "WSL - user settings",
  dnsTunneling: true,
  autoProxy: true,
  assignments: { include: [developers] },
});

let providers: Record<ObjectKind, { text: string }>;
let objects: DesiredObject[];
let emulator: RunningEmulator;
let host: ProviderHost;

const urnOf = (obj: DesiredObject) =>
  `urn:pulumi:${STACK}::wslpolicy::${resourceTypeToken(obj.kind)}::${obj.resourceName}`;
const objectNamed = (policyId: string) => objects.find((o) => o.policyId === policyId)!;
const news = (obj: DesiredObject): Props => ({
  ...resourceInputs(obj, STACK, emulator.baseUrl),
  __provider: providers[obj.kind].text,
});
const decoded = (base64: unknown) => Buffer.from(String(base64), "base64").toString("utf8");

/** Every form a secret could leak in: as is, base64 of the script around it is checked by decoding. */
function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of [TOKEN, LANDSCAPE_KEY]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString("base64"));
  }
  // script fields are base64: decode every long base64 string found and look inside too
  for (const m of text.matchAll(/"([A-Za-z0-9+/]{40,}={0,2})"/g)) {
    const inner = Buffer.from(m[1]!, "base64").toString("utf8");
    expect(inner).not.toContain(TOKEN);
    expect(inner).not.toContain(LANDSCAPE_KEY);
  }
}

async function newHost(secrets: Record<string, string>): Promise<ProviderHost> {
  return startProviderHost({
    cwd: STACKS_DIR,
    env: {
      PATH: process.env.PATH,
      WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
      WSLPOLICY_EMULATOR_CA: emulator.caFile,
      WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
      ...secrets,
    },
  });
}

const SECRETS = { WSLPOLICY_TEST_PRO_TOKEN: TOKEN, WSLPOLICY_TEST_LANDSCAPE_KEY: LANDSCAPE_KEY };

beforeAll(() => {
  providers = serializedProviders();
  const compiled = compile([loaded(provisioning, "inside/ubuntu-provisioning.ts"), loaded(userSettings)], {
    stack: STACK,
  });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  objects = compiled.desired.objects;
});

beforeEach(async () => {
  emulator = await startEmulator({ seed: seedWithGroups(), timeScale: 0.01 });
});

afterEach(async () => {
  await host.stop();
  await emulator.stop();
});

describe("a Remediation (deviceHealthScript) through the provider host", () => {
  it("creates with its scheduled assignment, reads back without drift, shows a portal edit on refresh, repairs it with one PATCH, and deletes", async () => {
    host = await newHost({});
    const obj = objectNamed("wsl-user-settings");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);
    const created = await host.create(urn, checked.inputs);
    const live = emulator.state.get(COLLECTIONS.deviceHealthScripts, created.id)!;
    expect(isOwnedBy(live.description as string, STACK, "wsl-user-settings")).toBe(true);
    expect((live.assignments as { runSchedule?: unknown }[]).map((a) => a.runSchedule)).toEqual([
      { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 1 },
    ]);

    const refreshed = await host.read(urn, created.id, created.properties);
    expect(await host.diff(urn, created.id, refreshed.properties, checked.inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });

    // an administrator edits the detection script in the portal
    live.detectionScriptContent = Buffer.from("exit 0\n").toString("base64");
    const drifted = await host.read(urn, created.id, refreshed.properties);
    expect(decoded((drifted.inputs!.document as Props).detectionScriptContent)).toBe("exit 0\n");
    expect((await host.diff(urn, created.id, drifted.properties, checked.inputs)).changes).toBe("some");

    const patches = emulator.log.count({ method: "PATCH" });
    const updated = await host.update(urn, created.id, drifted.properties, checked.inputs);
    expect(emulator.log.count({ method: "PATCH" }) - patches).toBe(1);
    expect(decoded(emulator.state.get(COLLECTIONS.deviceHealthScripts, created.id)!.detectionScriptContent)).toContain(
      "Get-Differences",
    );
    const repaired = await host.read(urn, created.id, updated);
    expect((await host.diff(urn, created.id, repaired.properties, checked.inputs)).changes).toBe("none");

    await host.delete(urn, created.id, repaired.properties);
    expect(emulator.state.get(COLLECTIONS.deviceHealthScripts, created.id)).toBeUndefined();
    expect((await host.read(urn, created.id, repaired.properties)).id).toBe("");
  });
});

describe("a platform script (deviceManagementScript) with an Ubuntu Pro token and a Landscape key", () => {
  it("sends the secrets to Graph only in the script body; inputs, state and refresh hold their fingerprints", async () => {
    host = await newHost(SECRETS);
    const obj = objectNamed("ubuntu-provisioning");
    expectNoSecret(obj);
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);
    expectNoSecret(checked.inputs);
    const script = decoded((checked.inputs.document as Props).scriptContent);
    expect(script).toContain(
      `$ubuntuProToken = '${secretFingerprint(TOKEN)}' # wslpolicy-secret env:WSLPOLICY_TEST_PRO_TOKEN ubuntuPro.tokenFrom`,
    );
    expect(script).toContain(
      `'${secretFingerprint(LANDSCAPE_KEY)}' # wslpolicy-secret env:WSLPOLICY_TEST_LANDSCAPE_KEY landscape.registrationKeyFrom`,
    );

    const created = await host.create(urn, checked.inputs);
    expectNoSecret(created.properties);
    // what Intune stores (and any script reader sees) is the script with the token in it
    const live = emulator.state.get(COLLECTIONS.deviceManagementScripts, created.id)!;
    const liveScript = decoded(live.scriptContent);
    expect(liveScript).toContain(`$ubuntuProToken = '${TOKEN}'`);
    expect(liveScript).toContain(`$landscapeRegistrationKey = '${LANDSCAPE_KEY}'`);
    // the user-data inside carries the stand-ins the device replaces
    const userData = decoded(/FromBase64String\('([^']+)'\)/.exec(liveScript)![1]);
    expect(userData).toMatch(/ubuntu_pro:\n {2}token: wslpolicy-secret-ubuntu-pro-token\n/);
    expect(userData).toContain("registration_key: wslpolicy-secret-landscape-registration-key");

    const refreshed = await host.read(urn, created.id, created.properties);
    expectNoSecret(refreshed);
    expect(await host.diff(urn, created.id, refreshed.properties, checked.inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    // the emulator logs no bodies, and nothing the log holds names a secret
    expectNoSecret(emulator.log.entries);

    // the token is replaced in the portal: drift shows as a changed fingerprint, and up restores it
    live.scriptContent = Buffer.from(liveScript.replace(TOKEN, "PortalPastedToken999")).toString("base64");
    const drifted = await host.read(urn, created.id, refreshed.properties);
    expectNoSecret(drifted);
    expect(JSON.stringify(drifted)).not.toContain("PortalPastedToken999");
    expect(decoded((drifted.inputs!.document as Props).scriptContent)).toContain(
      secretFingerprint("PortalPastedToken999"),
    );
    expect((await host.diff(urn, created.id, drifted.properties, checked.inputs)).changes).toBe("some");
    const updated = await host.update(urn, created.id, drifted.properties, checked.inputs);
    expectNoSecret(updated);
    expect(decoded(emulator.state.get(COLLECTIONS.deviceManagementScripts, created.id)!.scriptContent)).toContain(
      `'${TOKEN}'`,
    );

    await host.delete(urn, created.id, updated);
    expect(emulator.state.get(COLLECTIONS.deviceManagementScripts, created.id)).toBeUndefined();
  });

  it("an apply without the variable stops with an error naming the policy file and the field, and changes nothing", async () => {
    host = await newHost({ WSLPOLICY_TEST_LANDSCAPE_KEY: LANDSCAPE_KEY });
    const obj = objectNamed("ubuntu-provisioning");
    const urn = urnOf(obj);
    const checked = await host.check(urn, {}, news(obj));
    expect(checked.failures).toEqual([]);
    expect(decoded((checked.inputs.document as Props).scriptContent)).toContain("$ubuntuProToken = 'unresolved'");
    await expect(host.create(urn, checked.inputs)).rejects.toThrow(
      "inside/ubuntu-provisioning.ts: ubuntuPro.tokenFrom: the environment variable WSLPOLICY_TEST_PRO_TOKEN is not set; nothing was changed",
    );
    expect(emulator.log.writes()).toEqual([]);
    expect(emulator.state.list(COLLECTIONS.deviceManagementScripts)).toEqual([]);
  });

  it("an apply whose token differs from the one planned stops before writing", async () => {
    host = await newHost({ ...SECRETS, WSLPOLICY_TEST_PRO_TOKEN: "AnotherToken0000000" });
    const obj = objectNamed("ubuntu-provisioning");
    const urn = urnOf(obj);
    const planned = news(obj);
    const withPlannedFingerprint = {
      ...planned,
      document: {
        ...(planned.document as Props),
        scriptContent: Buffer.from(
          decoded((planned.document as Props).scriptContent).replace(
            "$ubuntuProToken = 'unresolved'",
            `$ubuntuProToken = '${secretFingerprint(TOKEN)}'`,
          ),
        ).toString("base64"),
      },
    };
    await expect(host.create(urn, withPlannedFingerprint)).rejects.toThrow(
      /holds a different value than when the change was planned/,
    );
    expect(emulator.log.writes()).toEqual([]);
  });
});
