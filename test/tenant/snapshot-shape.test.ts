// What admins usually have is one policy as Graph or IntuneManagement exported it (one GET by id, with
// `@odata.context` `…$metadata#deviceManagement/configurationPolicies(assignments(),settings())/$entity`:
// SkipToTheEndpoint/OpenIntuneBaseline WINDOWS/IntuneManagement/SettingsCatalog/*.json and
// …/CompliancePolicies/*.json). Such a file loads as a one-object tenant, a Graph list response loads as its
// collection, and a file of no known shape is refused with how to wrap it: never an empty tenant.
// Duplicate object ids are errors naming the id and the file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { COLLECTIONS } from "../../src/model";
import { readSnapshotFile } from "../../src/tenant";
import { REPO_ROOT } from "../policy/workspace";

const GRAPH = "https://graph.microsoft.com/beta/";
const OIB = readSnapshotFile(path.join(REPO_ROOT, "test/fixtures/real-shape/oib-wsl.json"));
const policy = OIB[COLLECTIONS.configurationPolicies][0]!;
const compliance = OIB[COLLECTIONS.compliancePolicies][0]!;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-shape-"));
});
const write = (name: string, data: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  return file;
};

describe("a single exported object", () => {
  it("a settings-catalog policy exported by IntuneManagement loads as a tenant holding that one policy", () => {
    const file = write("policy.json", {
      "@odata.context": `${GRAPH}$metadata#deviceManagement/configurationPolicies(assignments(),settings())/$entity`,
      ...policy,
    });
    const snapshot = readSnapshotFile(file);
    expect(snapshot[COLLECTIONS.configurationPolicies].map((p) => p.id)).toEqual([policy.id]);
    expect(snapshot[COLLECTIONS.configurationPolicies][0]!.settings).toEqual(policy.settings);
    expect(snapshot[COLLECTIONS.compliancePolicies]).toEqual([]);
  });

  it("a compliance policy is recognised by its @odata.type when it has no @odata.context", () => {
    const { ...bare } = compliance as Record<string, unknown>;
    delete bare["@odata.context"];
    const snapshot = readSnapshotFile(write("compliance.json", bare));
    expect(snapshot[COLLECTIONS.compliancePolicies].map((p) => p.id)).toEqual([compliance.id]);
  });

  it("a settings-catalog policy without annotations is recognised by its name, platforms and settings", () => {
    const { "@odata.type": _t, ...bare } = policy as Record<string, unknown>;
    const snapshot = readSnapshotFile(write("bare.json", bare));
    expect(snapshot[COLLECTIONS.configurationPolicies]).toHaveLength(1);
  });

  it("a Graph list response loads as its collection", () => {
    const file = write("list.json", {
      "@odata.context": `${GRAPH}$metadata#deviceManagement/configurationPolicies(settings())`,
      value: [policy],
    });
    expect(readSnapshotFile(file)[COLLECTIONS.configurationPolicies].map((p) => p.id)).toEqual([policy.id]);
  });

  it("an invalid single object names the file, the field and how it was read", () => {
    const { platforms: _p, ...broken } = policy as Record<string, unknown>;
    const file = write("broken.json", {
      "@odata.context": `${GRAPH}$metadata#deviceManagement/configurationPolicies/$entity`,
      ...broken,
    });
    expect(() => readSnapshotFile(file)).toThrow(
      `${file}: invalid tenant snapshot (read as one object of deviceManagement/configurationPolicies)`,
    );
    expect(() => readSnapshotFile(file)).toThrow("deviceManagement/configurationPolicies[0].platforms");
  });

  it("a file of no known shape is refused with how to wrap it, not read as an empty tenant", () => {
    const file = write("odd.json", { displayName: "Something", id: "x" });
    expect(() => readSnapshotFile(file)).toThrow(`${file}: not a tenant snapshot`);
    expect(() => readSnapshotFile(file)).toThrow(
      `wrap it in its collection: {"deviceManagement/configurationPolicies": [ <the object> ]}`,
    );
  });

  it("an empty object is still the empty tenant the format allows", () => {
    expect(readSnapshotFile(write("empty.json", {}))[COLLECTIONS.configurationPolicies]).toEqual([]);
  });
});

describe("duplicate object ids", () => {
  it("are an error naming the file, the id and both places, whatever the GUID case", () => {
    const file = write("twice.json", {
      [COLLECTIONS.configurationPolicies]: [policy, { ...policy, id: String(policy.id).toUpperCase() }],
    });
    expect(() => readSnapshotFile(file)).toThrow(file);
    expect(() => readSnapshotFile(file)).toThrow(
      `deviceManagement/configurationPolicies[1].id: duplicate object id '${String(policy.id).toUpperCase()}' (also deviceManagement/configurationPolicies[0])`,
    );
  });

  it("the same id in two collections is not a duplicate", () => {
    const file = write("two-kinds.json", {
      [COLLECTIONS.configurationPolicies]: [policy],
      [COLLECTIONS.compliancePolicies]: [{ ...compliance, id: policy.id }],
    });
    expect(readSnapshotFile(file)[COLLECTIONS.compliancePolicies]).toHaveLength(1);
  });
});
