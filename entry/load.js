// Which copy of wslpolicy an entry point (the `exports` of package.json, the `wslpolicy` bin) runs.
// A checkout of the repository has src/ and runs its TypeScript sources through tsx, with no build
// step; the published package has no src/ and runs the JavaScript compiled into dist/ by `prepack`.
// Deciding by src/ rather than by dist/ means a stale dist/ left in a checkout by `npm pack` is never run.
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const fromSources = existsSync(path.join(root, "src", "index.ts"));

/** Requires `<entry>` (e.g. "pulumi/index") of the copy this package runs. */
module.exports = function load(entry) {
  if (!fromSources) return require(path.join(root, "dist", `${entry}.js`));
  // Any `.ts` hook already installed (tsx under the CLI, the policy loader's own) is used as is.
  if (!(".ts" in require.extensions)) require("tsx/cjs");
  return require(path.join(root, "src", `${entry}.ts`));
};
