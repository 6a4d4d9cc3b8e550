// docs/plan-schema.md documents every field of the Plan schema, and its example is a valid Plan: the
// documentation cannot silently fall behind the contract scripts rely on.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  conflictSchema,
  objectChangeSchema,
  planSchema,
  riskSchema,
  settingChangeSchema,
} from "../../src/diff/plan-schema";

const doc = readFileSync(path.resolve(__dirname, "../../docs/plan-schema.md"), "utf8");

describe("docs/plan-schema.md", () => {
  it.each([
    ["Plan", planSchema],
    ["ObjectChange", objectChangeSchema],
    ["SettingChange", settingChangeSchema],
    ["Conflict", conflictSchema],
    ["Risk", riskSchema],
  ] as [string, z.ZodObject][])("names every field of %s", (_name, schema) => {
    for (const field of Object.keys(schema.shape)) expect(doc, field).toContain(`\`${field}\``);
  });

  it("its example is a valid Plan", () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)![1]!;
    expect(() => planSchema.parse(JSON.parse(example))).not.toThrow();
  });

  it("names every risk rule", () => {
    for (const rule of riskSchema.shape.rule.options) expect(doc).toContain(`\`${rule}\``);
  });
});
