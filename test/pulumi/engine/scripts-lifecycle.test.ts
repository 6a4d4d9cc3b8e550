// `pulumi preview`, `up`, `destroy` of a stack with the two script kinds, one of them carrying an Ubuntu
// Pro token from the environment, through the engine stand-in (engine.ts: the program from Pulumi.yaml,
// the real dynamic-provider host, state kept between runs). The token reaches the emulator's tenant in the
// script body only; the state file and the run logs hold its fingerprint; a rotated token is an update; an
// up without the variable fails naming the policy file and field, and writes nothing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../src/emulator";
import type { GraphClient } from "../../../src/graph";
import { secretFingerprint } from "../../../src/intune";
import { COLLECTIONS, type TenantSnapshot } from "../../../src/model";
import { runningEmulatorClient } from "../../../src/tenant/connect";
import { destroy, preview, up, type EngineOptions, type RunResult } from "./engine";
import { resolveProject } from "./project";

const ROOT = path.resolve(__dirname, "../../..");
const DEMO_SEED = JSON.parse(readFileSync(path.join(ROOT, "seeds", "demo-tenant.json"), "utf8")) as TenantSnapshot;
const TOKEN = "C1PROtoken0123456789abcdef";
const DYNAMIC = "pulumi-nodejs:dynamic/wslpolicy:";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const POLICY = `import { distroProvisioning, group, wslUserSettings } from "wslpolicy";

export const provisioning = distroProvisioning({
  id: "ubuntu-pro",
  displayName: "WSL - Ubuntu Pro attach",
  defaultUser: { name: "dev" },
  ubuntuPro: { tokenFrom: { env: "WSLPOLICY_TEST_PRO_TOKEN" } },
  assignments: { include: [group("Developer Workstations")] },
});

export const settings = wslUserSettings({
  id: "wsl-user-settings",
  displayName: "WSL - user settings",
  dnsTunneling: true,
  assignments: { include: [group("Developer Workstations")] },
});
`;

let emulator: RunningEmulator;
let graph: GraphClient;
let work: string;
let policies: string;

function options(token: string | undefined): EngineOptions {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
    ...(token ? { WSLPOLICY_TEST_PRO_TOKEN: token } : {}),
  };
  return {
    launch: resolveProject(ROOT),
    stack: "local",
    env,
    config: { "wslpolicy:graphEndpoint": emulator.baseUrl, "wslpolicy:policies": policies },
    statePath: path.join(work, "state.json"),
    graph,
  };
}

const ok = (result: RunResult) => expect(result.error ?? "", result.log.join("\n")).toBe("");
const liveScript = () =>
  Buffer.from(
    String(
      emulator.state.list(COLLECTIONS.deviceManagementScripts).find((s) => s.displayName === "WSL - Ubuntu Pro attach")
        ?.scriptContent,
    ),
    "base64",
  ).toString("utf8");
const changed = (result: RunResult) =>
  result.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`);

beforeEach(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-engine-scripts-"));
  policies = path.join(work, "policies");
  mkdirSync(policies);
  writeFileSync(path.join(policies, "inside-wsl.ts"), POLICY);
  emulator = await startEmulator({ seed: DEMO_SEED, timeScale: 0.01 });
  const env = {
    WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
    WSLPOLICY_EMULATOR_CA: emulator.caFile,
    WSLPOLICY_EMULATOR_TIME_SCALE: "0.01",
  };
  graph = runningEmulatorClient(emulator.baseUrl, env, { where: "the engine stand-in" });
});

afterEach(async () => {
  await graph.close();
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("a stack with a platform script and a remediation", () => {
  it("up creates both with the token in the script only; state and logs hold its fingerprint; a clean preview writes nothing", async () => {
    const created = await up(options(TOKEN));
    ok(created);
    expect(changed(created)).toEqual(["create azuread", "create ubuntu-pro", "create wsl-user-settings"]);
    expect(created.steps.filter((s) => s.urn.includes(DYNAMIC)).map((s) => s.urn.split("::")[2])).toEqual([
      `${DYNAMIC}PlatformScript`,
      `${DYNAMIC}Remediation`,
    ]);
    expect(liveScript()).toContain(`$ubuntuProToken = '${TOKEN}'`);
    const state = readFileSync(path.join(work, "state.json"), "utf8");
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(Buffer.from(TOKEN).toString("base64"));
    expect(
      Buffer.from(
        JSON.parse(state).resources.find((r: { urn: string }) => r.urn.endsWith("::ubuntu-pro")).outputs.document
          .scriptContent,
        "base64",
      ).toString("utf8"),
    ).toContain(secretFingerprint(TOKEN));
    expect(created.log.join("\n")).not.toContain(TOKEN);

    const writes = emulator.log.writes().length;
    const again = await preview(options(TOKEN));
    ok(again);
    expect(changed(again)).toEqual([]);
    expect(emulator.log.writes().length).toBe(writes);

    // the token is rotated in the environment: an update of that one script, the new token sent
    const rotated = "RotatedToken9876543210zz";
    const rotate = await up(options(rotated));
    ok(rotate);
    expect(changed(rotate)).toEqual(["update ubuntu-pro"]);
    expect(liveScript()).toContain(`$ubuntuProToken = '${rotated}'`);
    expect(readFileSync(path.join(work, "state.json"), "utf8")).not.toContain(rotated);

    ok(await destroy(options(rotated)));
    expect(
      emulator.state
        .list(COLLECTIONS.deviceManagementScripts)
        .filter((s) => s.displayName === "WSL - Ubuntu Pro attach"),
    ).toEqual([]);
    expect(
      emulator.state.list(COLLECTIONS.deviceHealthScripts).filter((s) => s.displayName === "WSL - user settings"),
    ).toEqual([]);
  });

  it("up without the variable fails naming the policy file and field, and creates no script", async () => {
    const result = await up(options(undefined));
    expect(result.error ?? result.log.join("\n")).toMatch(
      /inside-wsl\.ts: ubuntuPro\.tokenFrom: the environment variable WSLPOLICY_TEST_PRO_TOKEN is not set; nothing was changed/,
    );
    expect(
      emulator.state
        .list(COLLECTIONS.deviceManagementScripts)
        .filter((s) => s.displayName === "WSL - Ubuntu Pro attach"),
    ).toEqual([]);
  });
});
