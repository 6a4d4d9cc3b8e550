// The dynamic-provider objects Pulumi serializes into state (the `__provider` input and output).
//
// Whatever these closures capture is frozen into state at the first `up` and is what `refresh` and
// `destroy` run later (research/pulumi.md §2.2), so they capture nothing but the object kind and one tiny
// loader: every call requires the *installed* wslpolicy package in the provider host and delegates to
// `operations` there. Zod schemas, Graph clients and credentials are never captured (§2.4: capturing a zod
// schema breaks serialization; credentials must never reach state, §2.5). The text stays identical across
// wslpolicy versions, so upgrading the package never shows up as a diff of `__provider` either.
import type * as pulumi from "@pulumi/pulumi";
import { OBJECT_KINDS, type ObjectKind } from "../kinds";
import type * as Operations from "./operations";

/**
 * Loads the installed wslpolicy package inside the dynamic-provider host. The host is a plain `node`
 * process started by the engine in the program's directory (stacks/), with no TypeScript support, so:
 * resolve the package from that directory (its `node_modules` chain, or the package itself through its
 * `exports` self-reference when the program lives in the wslpolicy repository), register tsx from the
 * package's own dependencies once, then require `wslpolicy/pulumi` (TypeScript sources).
 */
function installedWslpolicy(): typeof Operations {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy requires keep the serialized text small */
  const nodeModule = require("node:module") as typeof import("node:module");
  const nodePath = require("node:path") as typeof import("node:path");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const fromProgram = nodeModule.createRequire(nodePath.join(process.cwd(), "wslpolicy-provider.js"));
  const flags = globalThis as { wslpolicyTypeScriptLoader?: boolean };
  if (!flags.wslpolicyTypeScriptLoader) {
    nodeModule.createRequire(fromProgram.resolve("wslpolicy/package.json"))("tsx/cjs");
    flags.wslpolicyTypeScriptLoader = true;
  }
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

/** One shared provider object per kind: the SDK serializes once per provider object (research §2.2). */
export const providers = Object.fromEntries(OBJECT_KINDS.map((kind) => [kind, providerFor(kind)])) as Readonly<Record<ObjectKind, pulumi.dynamic.ResourceProvider>>;
