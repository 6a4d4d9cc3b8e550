#!/usr/bin/env node
// The `wslpolicy` command. The package ships TypeScript and runs it through tsx, so a clean
// clone works without a build step and policy files (TypeScript) load the same way.
// The CLI decides its own exit: once the command is done and its output flushed, the process ends with
// the command's code, whatever timers or handles are still open (docs/security.md).
require("tsx/cjs");
const exitWhenFlushed = (code) => {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
};
require("../src/cli/main.ts").main(process.argv).then(exitWhenFlushed, (err) => {
  process.stderr.write(`wslpolicy: ${err && err.message ? err.message : String(err)}\n`);
  exitWhenFlushed(1);
});
