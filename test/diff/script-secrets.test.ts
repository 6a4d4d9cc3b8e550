// Secrets named by a policy (`ubuntuPro.tokenFrom`, `landscape.registrationKeyFrom`) never appear in a
// plan (text, markdown, JSON), a tenant snapshot or a compiled document: the live script holds the token
// (Intune returns script content on a read by id,
// learn.microsoft.com/graph/api/intune-devices-devicemanagementscript-get?view=graph-rest-beta), and the
// plan compares its SHA-256 fingerprint with the fingerprint of the environment's value.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile";
import { computePlan } from "../../src/diff/plan";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { GraphClient } from "../../src/graph";
import { insertSecrets, mapScriptFields, secretFingerprint } from "../../src/intune";
import { kindSpec } from "../../src/kinds";
import type { DesiredState, TenantSnapshot } from "../../src/model";
import { SECRET_NOT_SET, withSecretFingerprints } from "../../src/project";
import { renderReport } from "../../src/report";
import { distroProvisioning, group } from "../../src";
import { readTenant } from "../../src/tenant";
import { loaded } from "../compile/helpers";
import { applyAll, clientFor, groupsSeed } from "./emulator-tenant";

const TOKEN = "C1PROtoken0123456789abcdef";
const ENV = { PRO_TOKEN: TOKEN };
const TENANT = { kind: "emulator", label: "emulator", tenantId: null, endpoint: null } as const;

const compiled = compile(
  [
    loaded(
      distroProvisioning({
        id: "ubuntu-pro",
        displayName: "WSL - Ubuntu Pro attach",
        ubuntuPro: { tokenFrom: { env: "PRO_TOKEN" } },
        assignments: { include: [group("Developer Workstations")] },
      }),
    ),
  ],
  { stack: "prod" },
);

/** What an apply sends: the document with the environment's secrets in it. */
function asSent(desired: DesiredState, env: Record<string, string>): DesiredState {
  const objects = desired.objects.map((o) => ({
    ...o,
    document: mapScriptFields(o.document, kindSpec(o.kind).scriptContent ?? [], (t) =>
      insertSecrets(t, env, o.sourceFile),
    ),
  }));
  return { ...desired, objects };
}

function expectNoToken(text: string, token = TOKEN): void {
  expect(text).not.toContain(token);
  expect(text).not.toContain(Buffer.from(token).toString("base64"));
  for (const m of text.matchAll(/([A-Za-z0-9+/]{40,}={0,2})/g))
    expect(Buffer.from(m[1]!, "base64").toString("utf8")).not.toContain(token);
}

const reports = (plan: ReturnType<typeof computePlan>) =>
  (["text", "markdown", "json"] as const).map((f) => renderReport(plan, f, { color: false })).join("\n");

let emulator: RunningEmulator;
let graph: GraphClient;
let snapshot: TenantSnapshot;
beforeAll(async () => {
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  emulator = await startEmulator({ seed: groupsSeed(), throttling: { enabled: false } });
  graph = clientFor(emulator);
  await applyAll(graph, asSent(compiled.desired, ENV), groupsSeed(), emulator);
  snapshot = await readTenant(graph);
});
afterAll(async () => {
  await graph.close();
  await emulator.stop();
});

describe("an Ubuntu Pro token read from the environment", () => {
  it("is in no compiled document: compile writes the slot unresolved", () => {
    expectNoToken(JSON.stringify(compiled));
    const script = Buffer.from(String(compiled.desired.objects[0]!.document.scriptContent), "base64").toString("utf8");
    expect(script).toContain("$ubuntuProToken = 'unresolved' # wslpolicy-secret env:PRO_TOKEN ubuntuPro.tokenFrom");
  });

  it("is in the tenant (what Intune stores), but a snapshot read back holds only its fingerprint", () => {
    const stored = emulator.state.snapshot()["deviceManagement/deviceManagementScripts"][0]!;
    expect(Buffer.from(String(stored.scriptContent), "base64").toString("utf8")).toContain(`'${TOKEN}'`);
    expectNoToken(JSON.stringify(snapshot));
    const read = Buffer.from(String(snapshot["deviceManagement/deviceManagementScripts"][0]!.scriptContent), "base64");
    expect(read.toString("utf8")).toContain(`$ubuntuProToken = '${secretFingerprint(TOKEN)}'`);
  });

  it("plans unchanged against the tenant it was applied to; no report format shows it", () => {
    const { desired, diagnostics } = withSecretFingerprints(compiled.desired, ENV);
    expect(diagnostics).toEqual([]);
    const plan = computePlan({ desired, live: snapshot, tenant: TENANT });
    expect(plan.changes.map((c) => c.action)).toEqual(["unchanged"]);
    expectNoToken(reports(plan));
  });

  it("a rotated token is an update shown as two fingerprints, never as either token", () => {
    const rotated = "RotatedToken9876543210zz";
    const { desired } = withSecretFingerprints(compiled.desired, { PRO_TOKEN: rotated });
    const plan = computePlan({ desired, live: snapshot, tenant: TENANT });
    expect(plan.changes.map((c) => c.action)).toEqual(["update"]);
    expect(plan.changes[0]!.properties.map((p) => p.field)).toEqual(["scriptContent"]);
    const text = reports(plan);
    expect(text).toMatch(/sha256:[0-9a-f]{64}/);
    expectNoToken(text);
    expectNoToken(text, rotated);
  });

  it("without the variable the plan says the secret cannot be compared, naming the file and field", () => {
    const { desired, diagnostics } = withSecretFingerprints(compiled.desired, {});
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "secret-not-set",
        severity: "warning",
        file: "ubuntu-pro.ts",
        path: "ubuntu-pro.ubuntuPro.tokenFrom",
        rule: SECRET_NOT_SET,
        message: expect.stringContaining("PRO_TOKEN is not set here"),
      }),
    ]);
    const plan = computePlan({ desired, live: snapshot, tenant: TENANT });
    expect(plan.changes.map((c) => c.action)).toEqual(["update"]);
    expectNoToken(reports(plan));
  });
});
