// Benchmark runner (`npm run bench`): runs every bench/*.bench.ts in name order. Each exports
// `run(): Promise<void>` and prints its own figures; benchmarks measure, they do not assert timings.
import { readdirSync } from "node:fs";
import path from "node:path";

interface Bench {
  run(): Promise<void>;
}

async function runAll(): Promise<number> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  let failed = 0;
  for (const file of files) {
    process.stdout.write(`\n== ${file} ==\n`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bench = require(path.join(__dirname, file)) as Partial<Bench>;
      if (typeof bench.run !== "function") throw new Error("does not export run()");
      await bench.run();
    } catch (err) {
      failed++;
      process.stderr.write(`${file} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
  }
  process.stdout.write(`\n${files.length - failed}/${files.length} benchmarks completed\n`);
  return failed === 0 ? 0 : 1;
}

runAll().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
