#!/usr/bin/env node
// The `wslpolicy` command: the compiled CLI when installed, the TypeScript sources through tsx in a
// checkout of the repository (entry/load.js decides).
// The CLI decides its own exit: once the command is done and its output flushed, the process ends with
// the command's code, whatever timers or handles are still open (docs/security.md).
const exitWhenFlushed = (code) => {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
};
require("../entry/load")("cli/main")
  .main(process.argv)
  .then(exitWhenFlushed, (err) => {
    process.stderr.write(`wslpolicy: ${err && err.message ? err.message : String(err)}\n`);
    exitWhenFlushed(1);
  });
