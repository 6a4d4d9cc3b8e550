// Sharing repeated strings in what a read keeps (src/tenant/shared-strings.ts, issue 15): the data stays
// equal to what Graph sent, at every depth, and the table ends with one entry per distinct short string.
import { describe, expect, it } from "vitest";
import { shareStrings, type SharedStrings } from "../../src/tenant/shared-strings";
import { syntheticPolicy } from "../../src/emulator/synthetic-tenant";

describe("shareStrings", () => {
  it("changes no value of a policy with its settings and assignments", () => {
    const policies = [syntheticPolicy(0, 20), syntheticPolicy(1, 20)];
    const before = structuredClone(policies);
    const table: SharedStrings = new Map();
    expect(shareStrings(policies, table)).toBe(policies);
    expect(policies).toEqual(before);
  });

  it("keeps one entry per distinct string across objects and depths, numbers and nulls untouched", () => {
    const table: SharedStrings = new Map();
    const a = { type: "#microsoft.graph.x", nested: { list: ["v", "v", 1, null, true] } };
    const b = { type: "#microsoft.graph.x", other: [{ deep: [["v"]] }] };
    shareStrings(a, table);
    shareStrings(b, table);
    expect([...table.keys()].sort()).toEqual(["#microsoft.graph.x", "v"]);
    expect(a.nested.list).toEqual(["v", "v", 1, null, true]);
    expect(b.other).toEqual([{ deep: [["v"]] }]);
  });

  it("leaves long strings (scripts, long descriptions) out of the table", () => {
    const table: SharedStrings = new Map();
    const script = "x".repeat(10_000);
    const doc = { scriptContent: script, name: "short" };
    shareStrings(doc, table);
    expect(doc.scriptContent).toBe(script);
    expect([...table.keys()]).toEqual(["short"]);
  });
});
