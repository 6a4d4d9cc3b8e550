// The dynamic-provider objects Pulumi serializes into state (the `__provider` input and output).
//
// Whatever these closures capture is frozen into state at the first `up` and is what `refresh` and
// `destroy` run later (the dynamic-provider host rebuilds the provider from the state's `__provider`,
// @pulumi/pulumi cmd/dynamic-provider `getProvider`), so they capture nothing but the object kind and one
// tiny loader: every call requires the *installed* wslpolicy package in the provider host and delegates to
// `operations` there. Zod schemas, Graph clients and credentials are never captured (a captured zod schema
// does not serialize; credentials must never reach state). The text names no version or path, so a
// package upgrade is a dependency bump: the next `refresh`/`destroy` runs the code the repo now has.
//
// Upgrades (docs/platform-repo.md, "Upgrading wslpolicy"): state written by 0.1.0 holds a loader that registers tsx
// from the package's dependencies and then requires `wslpolicy/pulumi`; it keeps working because the package keeps
// `tsx` as a dependency and keeps the `wslpolicy/package.json` and `wslpolicy/pulumi` exports
// (test/fixtures/provider-text/0.1.0.json is that text, loaded by the tests).
import type * as pulumi from "@pulumi/pulumi";
import { OBJECT_KINDS, type ObjectKind } from "../kinds";
import type * as Operations from "./operations";

/**
 * Loads the installed wslpolicy package inside the dynamic-provider host, a plain `node` process the
 * engine starts in the program's directory. Resolved from there (the platform repo's node_modules, or
 * the package itself through its `exports` self-reference in the wslpolicy repository), `wslpolicy/pulumi`
 * is the compiled JavaScript of an installed package, or the TypeScript sources through tsx in a
 * checkout of the repository (package entry/load.js decides; nothing here needs to).
 */
function installedWslpolicy(): typeof Operations {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy requires keep the serialized text small */
  const nodeModule = require("node:module") as typeof import("node:module");
  const nodePath = require("node:path") as typeof import("node:path");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const fromProgram = nodeModule.createRequire(nodePath.join(process.cwd(), "wslpolicy-provider.js"));
  return (fromProgram("wslpolicy/pulumi") as { operations: typeof Operations }).operations;
}

// Method bodies stay one-liners: everything real happens in ./operations.ts of the installed package.
function providerFor(kind: ObjectKind): pulumi.dynamic.ResourceProvider {
  return {
    check: (olds, news) => installedWslpolicy().check(kind, olds, news),
    diff: (id, olds, news) => installedWslpolicy().diff(kind, id, olds, news),
    create: (inputs) => installedWslpolicy().create(kind, inputs),
    read: (id, props) => installedWslpolicy().read(kind, id, props),
    update: (id, olds, news) => installedWslpolicy().update(kind, id, olds, news),
    delete: (id, props) => installedWslpolicy().remove(kind, id, props),
  };
}

/**
 * One shared provider object per kind: the SDK serializes once per provider object (a WeakMap cache in @pulumi/pulumi
 * dynamic/index.js).
 */
export const providers = Object.fromEntries(OBJECT_KINDS.map((kind) => [kind, providerFor(kind)])) as Readonly<
  Record<ObjectKind, pulumi.dynamic.ResourceProvider>
>;
