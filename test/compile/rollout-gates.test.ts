// Ring gates: a ring with a gate is assigned only when the app's install counts pass it after the soak
// time; rings already assigned stay; a waiting ring holds the rings after it; the one-line reason is what
// plan prints. Percentages are of the devices reporting (installed, failed, pending, not installed), the
// gate recipe of getAppStatusOverviewReport-based tools; not-applicable devices are outside the rollout.
import { describe, expect, it } from "vitest";
import { evaluateRollout, gateRollouts, waitingLine, type AppInstallCounts } from "../../src/compile/rollout-gates";
import type { DesiredObject, DesiredState } from "../../src/model";

const gate = { minDevicesReporting: 10, minInstalledPercent: 95, maxFailedPercent: 2, soakHours: 24 };
const object: DesiredObject = {
  kind: "mobileApp",
  policyId: "plugin",
  resourceName: "plugin",
  displayName: "Plug-in",
  sourceFile: "plugin.ts",
  document: {},
  assignments: [
    { target: { kind: "ring", name: "Pilot" }, exclude: false, ring: "Pilot" },
    { target: { kind: "ring", name: "Early adopters" }, exclude: false, ring: "Early adopters" },
    { target: { kind: "ring", name: "All developers" }, exclude: false, ring: "All developers" },
    { target: { kind: "group", name: "Kiosk Devices" }, exclude: true },
  ],
  rollout: {
    rings: [
      { name: "Pilot", deadline: "2027-01-07T17:00:00Z" },
      { name: "Early adopters", deadline: "2027-01-14T17:00:00Z", gate },
      { name: "All developers", deadline: "2027-01-21T17:00:00Z", gate },
    ],
  },
};
const counts = (c: Partial<AppInstallCounts>): AppInstallCounts => ({
  installed: 0,
  failed: 0,
  pending: 0,
  notInstalled: 0,
  notApplicable: 0,
  ...c,
});
const AFTER_SOAK = Date.parse("2027-01-16T00:00:00Z");

describe("ring gates", () => {
  it("hold a ring while the ring before is below the installed percentage, saying so in one line", () => {
    const v = evaluateRollout(
      object,
      { counts: counts({ installed: 82, pending: 18 }), assigned: new Set(["Pilot", "Early adopters"]) },
      AFTER_SOAK,
    );
    expect(v.map((x) => x.state)).toEqual(["assigned", "assigned", "waits"]);
    expect(waitingLine(v[2]!)).toBe("ring 'All developers' waits: ring 'Early adopters' 82 % installed, needs 95 %");
  });

  it("open when every condition passes after the soak time", () => {
    const v = evaluateRollout(
      object,
      {
        counts: counts({ installed: 97, failed: 1, pending: 2, notApplicable: 40 }),
        assigned: new Set(["Pilot", "Early adopters"]),
      },
      AFTER_SOAK,
    );
    expect(v[2]).toMatchObject({ ring: "All developers", state: "assign" });
    expect(v[2]!.checks.every((c) => c.passed)).toBe(true);
  });

  it("wait out the soak time after the previous ring's deadline, whatever the counts", () => {
    const v = evaluateRollout(
      object,
      { counts: counts({ installed: 100 }), assigned: new Set(["Pilot"]) },
      Date.parse("2027-01-08T12:00:00Z"),
    );
    expect(waitingLine(v[1]!)).toBe("ring 'Early adopters' waits: ring 'Pilot' soaks until 2027-01-08T17:00:00.000Z");
    expect(v[2]).toMatchObject({ state: "waits", reason: "waits for ring 'Early adopters'" });
  });

  it("name every failed condition: too few devices, too many failures", () => {
    const v = evaluateRollout(
      object,
      { counts: counts({ installed: 5, failed: 1 }), assigned: new Set(["Pilot"]) },
      AFTER_SOAK,
    );
    expect(v[1]!.reason).toBe(
      "ring 'Pilot' 6 devices reporting, needs 10; ring 'Pilot' 83.3 % installed, needs 95 %; ring 'Pilot' 16.7 % failed, allows 2 %",
    );
  });

  it("keep a ring that is already assigned even when its gate would close now", () => {
    const v = evaluateRollout(
      object,
      { counts: counts({ installed: 1, failed: 50 }), assigned: new Set(["Pilot", "Early adopters"]) },
      AFTER_SOAK,
    );
    expect(v[1]!.state).toBe("assigned");
    expect(v[1]!.checks.some((c) => !c.passed)).toBe(true);
  });

  it("do not open on a ring assigned in the same run (its devices have not reported), nor without a report", () => {
    const fresh = evaluateRollout(object, { assigned: new Set() }, AFTER_SOAK);
    expect(fresh.map((x) => [x.state, x.reason])).toEqual([
      ["assign", undefined],
      ["waits", "ring 'Pilot' is assigned in this run; its devices have not reported yet"],
      ["waits", "waits for ring 'Early adopters'"],
    ]);
    expect(evaluateRollout(object, { assigned: new Set(["Pilot"]) }, AFTER_SOAK)[1]!.reason).toBe(
      "the app's install report could not be read",
    );
  });

  it("leave out the assignments of waiting rings, and only those", () => {
    const desired: DesiredState = { stack: "t", objects: [object], rings: [] };
    const gated = gateRollouts(
      desired,
      new Map([
        ["plugin", { counts: counts({ installed: 82, pending: 18 }), assigned: new Set(["Pilot", "Early adopters"]) }],
      ]),
      AFTER_SOAK,
    );
    expect(
      gated.desired.objects[0]!.assignments.map((a) => a.ring ?? `${a.target.kind}${a.exclude ? " (exclude)" : ""}`),
    ).toEqual(["Pilot", "Early adopters", "group (exclude)"]);
    expect(gated.verdicts.get("plugin")!.map((v) => v.state)).toEqual(["assigned", "assigned", "waits"]);
  });
});
