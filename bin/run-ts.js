#!/usr/bin/env node
// Runs a TypeScript entry point of this repository (benchmarks, scripts) through tsx.
require("tsx/cjs");
const path = require("node:path");
const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: run-ts.js FILE.ts [args]\n");
  process.exit(1);
}
process.argv.splice(2, 1);
require(path.resolve(entry));
