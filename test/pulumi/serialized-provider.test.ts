// The provider text Pulumi stores in state: small, capturing nothing but the object kind and a loader of
// the installed package, and loadable in a fresh plain-Node process the way the provider host loads it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ObjectKind } from "../../src/model";
import { compiledExamples, resourceInputs, serializedProviders, STACKS_DIR } from "./harness/fixtures";

const providers = serializedProviders();
const kinds = Object.keys(providers) as ObjectKind[];
/** The text stacks created by 0.1.0 hold in their state (see test/fixtures/provider-text/README.md). */
const textOf010 = JSON.parse(
  readFileSync(path.join(__dirname, "../fixtures/provider-text/0.1.0.json"), "utf8"),
) as Record<ObjectKind, string>;

describe("serialized provider text", () => {
  it.each(kinds)("%s stays under 4 KB and captures no schema, client, credential or absolute path", (kind) => {
    const { text, containsSecrets } = providers[kind];
    expect(text.length).toBeLessThan(4096);
    expect(containsSecrets).toBe(false);
    expect(text).toContain(`kind: "${kind}"`);
    expect(text).toContain('"wslpolicy/pulumi"');
    for (const forbidden of [
      "zod",
      "_parse",
      "createGraphClient",
      "TokenCredential",
      "AZURE_",
      "WSLPOLICY_EMULATOR_TOKEN",
      "/work/",
      "node_modules",
      "__vite_ssr",
    ]) {
      expect(text).not.toContain(forbidden);
    }
  });

  it("serializes deterministically: the text names no version or path of the package", () => {
    expect(serializedProviders()).toEqual(providers);
  });

  it.each([
    ["the current text", () => providers.configurationPolicy.text],
    ["the text of 0.1.0 already in existing stacks' state", () => textOf010.configurationPolicy],
  ])(
    "round-trips %s: a fresh process in stacks/ rebuilds it with require-from-string and its diff runs the installed code",
    async (_name, textOf) => {
      const desired = await compiledExamples("ci");
      const obj = desired.objects.find((o) => o.policyId === "wsl-off")!;
      expect(obj.kind).toBe("configurationPolicy");
      const olds = resourceInputs(obj, "ci", "https://localhost:1/");
      const doc = olds.document as { name: string };
      const news = { ...olds, document: { ...doc, name: `${doc.name} (renamed)` } };
      // What the host does (cmd/dynamic-provider getProvider): requireFromString(text).handler().
      const script = `
      const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
      const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const provider = requireFromString(input.text).handler();
      Promise.all([provider.diff("id", input.olds, input.olds), provider.diff("id", input.olds, input.news)])
        .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
      const out = execFileSync(process.execPath, ["-e", script], {
        cwd: STACKS_DIR,
        input: JSON.stringify({ text: textOf(), olds, news }),
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });
      const [same, renamed] = JSON.parse(out) as {
        changes: boolean;
        replaces: string[];
        detailedDiff: Record<string, unknown>;
      }[];
      expect(same).toMatchObject({ changes: false, replaces: [] });
      expect(renamed).toMatchObject({
        changes: true,
        replaces: [],
        detailedDiff: { "document.name": { kind: "update" } },
      });
    },
  );
});
