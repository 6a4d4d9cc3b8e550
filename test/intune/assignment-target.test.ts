// One set key per assignment: the compiler's resolved key, the normaliser's key (plan and provider diff
// paths) and the Pulumi state key are the same string for every kind, apps included. Before, apps got
// `|<intent>` appended in the compiler and the state form but not in the normaliser, so a provider diff
// path named a key the state did not have.
import { describe, expect, it } from "vitest";
import { diffObject } from "../../src/diff/diff-object";
import { normaliseAssignment } from "../../src/diff/normalise";
import { directoryFrom, parseAssignmentTarget, resolveAssignments } from "../../src/intune";
import { OBJECT_KINDS } from "../../src/kinds";
import { ODATA, type AssignmentIntent, type JsonObject } from "../../src/model";
import { assignmentKey, toStateAssignments } from "../../src/pulumi/state-form";

const GROUP = "1e7c1d3f-2a2b-4d66-8b1f-4e2d5c8f9a02";
const FILTER = "7e3c7d9f-8a8b-4dcc-8b7f-ae8dbc4f5a08";
const directory = directoryFrom(
  [{ id: GROUP, displayName: "Developer Workstations" }],
  [{ id: FILTER, displayName: "Windows 11 corporate" }],
);
const intents: AssignmentIntent[] = [
  {
    target: { kind: "group", name: "Developer Workstations" },
    exclude: false,
    filter: { name: "Windows 11 corporate", mode: "include" },
    app: { intent: "available" },
  },
  { target: { kind: "allDevices" }, exclude: false, broad: true },
  { target: { kind: "groupId", id: GROUP.toUpperCase() }, exclude: true },
];

describe("the assignment set key", () => {
  it.each(OBJECT_KINDS)("is the same in the compiler, the normaliser and the state form (%s)", (kind) => {
    const resolved = resolveAssignments(kind, intents, directory).resolved;
    expect(resolved).toHaveLength(3);
    for (const r of resolved) {
      expect(normaliseAssignment(r.body)?.key).toBe(r.key);
      expect(assignmentKey(r.body)).toBe(r.key);
    }
    expect(Object.keys(toStateAssignments(resolved.map((r) => r.body)))).toEqual(resolved.map((r) => r.key).sort());
  });

  it("leaves the app install intent out: one group has one assignment per app, whose intent may change", () => {
    const [app] = resolveAssignments("mobileApp", intents.slice(0, 1), directory).resolved;
    expect(app!.key).toBe(`include|group:${GROUP}|filter:include:${FILTER}`);
    const required = { ...app!.body, intent: "required" };
    const document = { "@odata.type": ODATA.win32LobApp, displayName: "App", description: "d" };
    const change = diffObject(
      {
        kind: "mobileApp",
        policyId: "app",
        resourceName: "app",
        displayName: "App",
        sourceFile: "app.ts",
        document,
        assignments: [],
      },
      { ...document, id: "x", assignments: [app!.body] },
      { directory, stack: "s", resolvedAssignments: [required] },
    );
    expect(change.assignments.map((a) => [a.key, a.change])).toEqual([[app!.key, "changed"]]);
  });

  it("reads Graph's no-filter spellings and virtual group ids as the same target", () => {
    const plain = parseAssignmentTarget({ "@odata.type": ODATA.groupTarget, groupId: GROUP })!.key;
    for (const filter of [
      {},
      { deviceAndAppManagementAssignmentFilterType: "none" },
      {
        deviceAndAppManagementAssignmentFilterId: "00000000-0000-0000-0000-000000000000",
        deviceAndAppManagementAssignmentFilterType: "include",
      },
    ]) {
      expect(
        parseAssignmentTarget({
          "@odata.type": `#${ODATA.groupTarget.slice(1)}`,
          groupId: GROUP.toUpperCase(),
          ...filter,
        } as JsonObject)!.key,
      ).toBe(plain);
    }
    expect(
      parseAssignmentTarget({
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId: "adadadad-808e-44e2-905a-0b7873a8a531",
      })!.target,
    ).toBe("group");
    expect(
      parseAssignmentTarget({
        "@odata.type": "#microsoft.graph.someNewTarget",
        groupId: "adadadad-808e-44e2-905a-0b7873a8a531",
      })!.key,
    ).toBe("include|allDevices");
    expect(() => assignmentKey({ target: { "@odata.type": "#microsoft.graph.someNewTarget" } })).toThrow(
      /unsupported target type/,
    );
  });
});
