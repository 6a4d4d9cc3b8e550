// The read path and snapshot files check a tenant object by object in place (no second copy of a large
// tenant): the result and the issues are those of the whole-document schema.
import { describe, expect, it } from "vitest";
import { syntheticTenant } from "../../src/emulator/synthetic-tenant";
import { COLLECTIONS, parseSnapshotInPlace, tenantSnapshotSchema } from "../../src/model";

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("parseSnapshotInPlace", () => {
  it("gives what the whole-document parse gives (defaults such as a missing `children: []` included)", () => {
    const tenant = copy(syntheticTenant({ policies: 5, settings: 3 })) as Record<string, unknown>;
    const setting = (
      tenant[COLLECTIONS.configurationPolicies] as {
        settings: { settingInstance: { choiceSettingValue: Record<string, unknown> } }[];
      }[]
    )[0]!.settings[0]!;
    delete setting.settingInstance.choiceSettingValue.children;
    delete tenant[COLLECTIONS.mobileApps];
    tenant["deviceManagement/somethingElse"] = [{ kept: true }];
    const whole = tenantSnapshotSchema.parse(copy(tenant));
    const inPlace = parseSnapshotInPlace(tenant);
    expect(inPlace).toEqual({ success: true, data: whole });
    // in place: the caller's object is the result, with no copy of it
    expect(inPlace.success && inPlace.data).toBe(tenant);
  });

  it("reports the issues of the whole-document parse, with their paths", () => {
    const bad = () => ({
      [COLLECTIONS.configurationPolicies]: [{ id: "a", name: "A" }, { id: 7 }],
      [COLLECTIONS.groups]: "not a list",
    });
    const whole = tenantSnapshotSchema.safeParse(bad());
    const inPlace = parseSnapshotInPlace(bad());
    expect(whole.success).toBe(false);
    expect(inPlace.success).toBe(false);
    if (whole.success || inPlace.success) return;
    expect(inPlace.issues).toEqual(whole.error.issues.map((i) => ({ path: i.path, message: i.message })));
    expect(inPlace.issues.length).toBeGreaterThan(1);
  });
});
