// Tenant state: the demo seed loads unchanged (a real export must round-trip), reads of seeded objects
// look like the export, portal-style mutations, and the state file (written atomically, loaded at start).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator";
import { COLLECTIONS, isOwnedBy, tenantSnapshotSchema, type TenantSnapshot } from "../../src/model";
import { policyBody, POLICIES, start, WSL, type TestEmulator } from "./helpers";

const demo = JSON.parse(readFileSync(path.join(__dirname, "../../seeds/demo-tenant.json"), "utf8")) as TenantSnapshot;
const stripAnnotations = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !k.includes("@odata.context")));

describe("the demo tenant seed", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await start({ seed: demo, throttling: { enabled: false } });
  });
  afterAll(async () => emu.stop());

  it("is a valid tenant snapshot", () => {
    expect(tenantSnapshotSchema.safeParse(demo).success).toBe(true);
  });

  it("round-trips: snapshot → seed → snapshot is unchanged", async () => {
    expect(emu.state.snapshot()).toEqual(demo);
    const again = await startEmulator({ seed: emu.state.snapshot() });
    try {
      expect(again.state.snapshot()).toEqual(demo);
    } finally {
      await again.stop();
    }
  });

  it("serves seeded policies as exported: the GET with $expand equals the seed object", async () => {
    for (const seeded of demo[COLLECTIONS.configurationPolicies].slice(0, 5)) {
      const res = await emu.call("GET", `${POLICIES}/${seeded.id}?$expand=settings,assignments`);
      expect(stripAnnotations(res.body)).toEqual(stripAnnotations(seeded as Record<string, unknown>));
    }
  });

  it("holds what docs/demo-organisation.md describes", () => {
    const groups = demo[COLLECTIONS.groups];
    for (const name of [
      "All Windows Workstations",
      "Developer Workstations",
      "Kiosk Devices",
      "Platform Engineering",
    ]) {
      expect(groups.filter((g) => g.displayName === name)).toHaveLength(1);
    }
    expect(groups.filter((g) => g.displayName === "Contractors")).toHaveLength(2);
    expect(groups.some((g) => g.displayName.startsWith("WSL Ring"))).toBe(false);
    expect(demo[COLLECTIONS.assignmentFilters].map((f) => f.displayName)).toEqual(["Windows 11 corporate"]);

    const policies = demo[COLLECTIONS.configurationPolicies];
    expect(policies.length).toBeGreaterThanOrEqual(34);
    const legacy = policies.find((p) => p.name === "Win - WSL - Legacy developer exceptions")!;
    expect(legacy.description).not.toContain("[wslpolicy:");
    expect(legacy.assignments![0]!.target["@odata.type"]).toBe("#microsoft.graph.allDevicesAssignmentTarget");
    const firewall = policies.find((p) => p.name === "Win - ES - Windows Firewall - Baseline")!;
    expect(firewall.templateReference).toMatchObject({
      templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
      templateFamily: "endpointSecurityFirewall",
    });
    expect(firewall.technologies).toBe("mdm,microsoftSense");
    const wslOff = policies.find((p) => isOwnedBy(p.description, "local", "wsl-off"))!;
    expect(wslOff.settings![0]!.settingInstance.choiceSettingValue!.value).toBe(`${WSL}allowwsl_1`);
    expect(policies.filter((p) => isOwnedBy(p.description, "local", "wsl-legacy-pilot"))).toHaveLength(1);
    expect(demo[COLLECTIONS.compliancePolicies].length).toBeGreaterThan(0);
    expect(demo[COLLECTIONS.mobileApps].length).toBeGreaterThan(0);
  });

  it("finds both groups named Contractors, with doubled quotes and percent-encoding handled", async () => {
    const res = await emu.call(
      "GET",
      `v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Contractors'")}&$select=id,displayName`,
    );
    expect(res.body.value).toHaveLength(2);
    expect(Object.keys(res.body.value[0]).sort()).toEqual(["displayName", "id"]);
    const created = await emu.call("POST", "v1.0/groups", {
      displayName: "O'Brien's devices",
      mailEnabled: false,
      mailNickname: "obriens",
      securityEnabled: true,
    });
    expect(created.status).toBe(201);
    const quoted = await emu.call(
      "GET",
      `v1.0/groups?$filter=${encodeURIComponent("displayName eq 'O''Brien''s devices'")}`,
    );
    expect(quoted.body.value.map((g: { id: string }) => g.id)).toEqual([created.body.id]);
  });
});

describe("portal-style mutations", () => {
  it("update a policy in place and bump lastModifiedDateTime; delete objects", async () => {
    const emu = await start({ throttling: { enabled: false } });
    try {
      const created = await emu.call("POST", POLICIES, policyBody("portal target"));
      emu.state.updateConfigurationPolicy(created.body.id, (p) => {
        p.name = "renamed in the portal";
      });
      const after = await emu.call("GET", `${POLICIES}/${created.body.id}`);
      expect(after.body.name).toBe("renamed in the portal");
      expect(after.body.lastModifiedDateTime > created.body.lastModifiedDateTime).toBe(true);
      emu.state.deleteObject(COLLECTIONS.configurationPolicies, created.body.id);
      expect((await emu.call("GET", `${POLICIES}/${created.body.id}`)).status).toBe(404);
    } finally {
      await emu.stop();
    }
  });
});

describe("state file", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "emu-state-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("persists every write and is loaded at the next start, taking precedence over the seed", async () => {
    const file = path.join(dir, "state.json");
    const first = await start({ stateFile: file, seed: demo, throttling: { enabled: false } });
    const created = await first.call("POST", POLICIES, policyBody("survives restarts"));
    await first.stop();
    const onDisk = JSON.parse(readFileSync(file, "utf8")) as TenantSnapshot;
    expect(tenantSnapshotSchema.safeParse(onDisk).success).toBe(true);
    expect(onDisk[COLLECTIONS.configurationPolicies].some((p) => p.id === created.body.id)).toBe(true);

    const second = await start({
      stateFile: file,
      seed: { ...demo, [COLLECTIONS.configurationPolicies]: [] },
      throttling: { enabled: false },
    });
    try {
      expect((await second.call("GET", `${POLICIES}/${created.body.id}`)).body.name).toBe("survives restarts");
      expect(second.state.snapshot()[COLLECTIONS.configurationPolicies]).toHaveLength(
        demo[COLLECTIONS.configurationPolicies].length + 1,
      );
    } finally {
      await second.stop();
    }
  });

  it("writes atomically: a new file is renamed over the old one and no temp file is left behind", async () => {
    const file = path.join(dir, "atomic.json");
    const emu = await start({ stateFile: file, throttling: { enabled: false } });
    try {
      await emu.call("POST", POLICIES, policyBody("one"));
      const inode = statSync(file).ino;
      await emu.call("POST", POLICIES, policyBody("two"));
      expect(statSync(file).ino).not.toBe(inode);
      expect(readdirSync(dir).filter((f) => f.startsWith("atomic.json"))).toEqual(["atomic.json"]);
      expect(JSON.parse(readFileSync(file, "utf8"))[COLLECTIONS.configurationPolicies]).toHaveLength(2);
    } finally {
      await emu.stop();
    }
  });

  it("refuses a state file that is not a tenant snapshot, naming the file and the field", async () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ [COLLECTIONS.groups]: [{ id: "x" }] }));
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/bad\.json.*groups\.0\.displayName/);
  });
});
