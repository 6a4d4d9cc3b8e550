#!/usr/bin/env node
// The `wslpolicy` command: the compiled CLI when installed, the TypeScript sources through tsx in a
// checkout of the repository (entry/load.js decides).
require("../entry/load")("cli/main").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`wslpolicy: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
