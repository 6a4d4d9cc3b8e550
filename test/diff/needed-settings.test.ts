// What of the tenant's settings a plan keeps while reading: all of what it manages or adopts, and of the
// policies it leaves alone only the settings on a device node its own policies set (the only ones that can
// conflict). The plan computed on a tenant read that way is the plan of the whole tenant.
import { describe, expect, it } from "vitest";
import { computePlan, declaredNodes, neededSettings } from "../../src/diff";
import { COLLECTIONS, type DesiredState, type TenantSnapshot, type UnknownRecord } from "../../src/model";
import { clone, desiredPolicy, getResponse, requestBody } from "./fixtures";

const REALTIME = "device_vendor_msft_policy_config_defender_allowrealtimemonitoring";
const OTHER = "device_vendor_msft_policy_config_wsl_allowwsl1";

function choice(definition: string, option: string): UnknownRecord {
  return {
    id: "0",
    settingInstance: {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
      settingDefinitionId: definition,
      choiceSettingValue: { value: `${definition}_${option}`, children: [] },
    },
  };
}

function desired(objects = [desiredPolicy()]): DesiredState {
  return { stack: "local", objects, rings: [] };
}

/** A portal-made policy: no marker, its own id. */
function portal(id: string, settings: UnknownRecord[]): UnknownRecord {
  return {
    id,
    name: `Portal ${id}`,
    description: "",
    settings,
    assignments: [{ id: "a", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
  };
}

describe("neededSettings", () => {
  it("keeps every setting of an object that carries this stack's marker", () => {
    const keep = neededSettings(desired());
    expect(keep("configurationPolicy", getResponse())).toBeUndefined();
  });

  it("keeps every setting of an object a policy adopts by id, whatever its marker", () => {
    const adopting = { ...desiredPolicy(), adoptId: "AAAA-1" };
    const keep = neededSettings(desired([adopting]));
    expect(keep("configurationPolicy", { id: "aaaa-1", description: "" })).toBeUndefined();
    // the same id in another kind is another object
    expect(keep("compliancePolicy", { id: "aaaa-1", description: "" })).toBeTypeOf("function");
  });

  it("of a policy left alone keeps only the settings on nodes the stack's policies set", () => {
    const keep = neededSettings(desired())("configurationPolicy", portal("p1", []))!;
    expect(keep(choice(REALTIME, "0"))).toBe(true);
    expect(keep(choice(OTHER, "1"))).toBe(false);
    // another stack's marker is a policy left alone too
    const other = neededSettings(desired())("configurationPolicy", {
      id: "p2",
      description: "[wslpolicy:prod/defender-av]",
    });
    expect(other?.(choice(OTHER, "1"))).toBe(false);
  });

  it("keeps no setting of a policy left alone when the stack declares no settings", () => {
    const keep = neededSettings(desired([]))("configurationPolicy", portal("p1", []))!;
    expect(keep(choice(REALTIME, "0"))).toBe(false);
    expect(declaredNodes(desired([])).size).toBe(0);
  });

  it("a plan of the tenant with the unneeded settings dropped equals the plan of the whole tenant", () => {
    const live = (): TenantSnapshot =>
      ({
        [COLLECTIONS.configurationPolicies]: [
          getResponse(),
          portal("p1", [choice(REALTIME, "0"), choice(OTHER, "1")]),
          portal("p2", [choice(OTHER, "0")]),
        ],
        [COLLECTIONS.groups]: [],
        [COLLECTIONS.assignmentFilters]: [],
      }) as unknown as TenantSnapshot;
    const state = desired([desiredPolicy(clone(requestBody()))]);
    const input = { desired: state, tenant: { kind: "snapshot", label: "t", tenantId: null, endpoint: null } } as const;
    const whole = computePlan({ ...input, live: live() });

    const dropped = live();
    const keep = neededSettings(state);
    for (const p of dropped[COLLECTIONS.configurationPolicies] as UnknownRecord[]) {
      const k = keep("configurationPolicy", p);
      if (k) p.settings = (p.settings as unknown[]).filter(k);
    }
    const policies = dropped[COLLECTIONS.configurationPolicies] as UnknownRecord[];
    expect(policies.map((p) => (p.settings as unknown[]).length)).toEqual([4, 1, 0]);
    expect(whole.conflicts).toHaveLength(1);
    expect(computePlan({ ...input, live: dropped })).toEqual(whole);
  });
});
