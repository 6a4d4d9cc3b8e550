#!/usr/bin/env node
// The `wslpolicy` command. The package ships TypeScript and runs it through tsx, so a clean
// clone works without a build step and policy files (TypeScript) load the same way.
require("tsx/cjs");
require("../src/cli/main.ts").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`wslpolicy: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
