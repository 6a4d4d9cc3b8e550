// The same policies give byte-identical output: compiling twice, or with the files in another order.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, stableStringify } from "../../src/compile";
import type { LoadedPolicy } from "../../src/policy/model";
import { loadPolicyDirectory } from "../../src/policy/loader";

const ROOT = path.resolve(__dirname, "../..");

function bytes(policies: LoadedPolicy[]): string {
  const { desired, diagnostics } = compile(policies, { stack: "local" });
  return stableStringify({ desired, diagnostics });
}

/** A fixed permutation (no randomness in tests): reverse, then interleave halves. */
function shuffle<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  const half = Math.ceil(reversed.length / 2);
  const out: T[] = [];
  for (let i = 0; i < half; i++) {
    out.push(reversed[i]!);
    if (reversed[half + i] !== undefined) out.push(reversed[half + i]!);
  }
  return out;
}

describe("compiler determinism", () => {
  it("gives identical bytes when compiling the example policies twice", async () => {
    const { policies } = await loadPolicyDirectory(path.join(ROOT, "policies"));
    expect(bytes(policies)).toBe(bytes(policies));
  });

  it("gives identical bytes whatever the order of the input files", async () => {
    const { policies } = await loadPolicyDirectory(path.join(ROOT, "policies"));
    const extra = await loadPolicyDirectory(path.join(ROOT, "test/fixtures/compile/extra"));
    const all = [...policies, ...extra.policies];
    const shuffled = shuffle(all);
    expect(shuffled.map((p) => p.policy.id)).not.toEqual(all.map((p) => p.policy.id));
    expect(bytes(shuffled)).toBe(bytes(all));
    expect(bytes([...all].reverse())).toBe(bytes(all));
  });

  it("does not share mutable state between compiles (documents are fresh objects)", async () => {
    const { policies } = await loadPolicyDirectory(path.join(ROOT, "policies"));
    const first = compile(policies, { stack: "local" });
    const before = stableStringify(first.desired);
    (first.desired.objects[0]!.document as Record<string, unknown>).name = "changed";
    first.desired.objects[0]!.assignments.length = 0;
    expect(stableStringify(compile(policies, { stack: "local" }).desired)).toBe(before);
  });

  it("ends every stringified document with exactly one newline and indents by two spaces", () => {
    expect(stableStringify({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
