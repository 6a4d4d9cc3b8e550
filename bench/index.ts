// Benchmark runner (`npm run bench [-- NAME… OPTIONS…]`): runs every bench/*.bench.ts in name order, or
// those whose names start with a NAME given (`compare`, `compile`, `upload`). Each exports
// `run(options): Promise<void>` and prints its own figures; the other arguments are its options
// (bench/compare/options.ts). Benchmarks measure, they do not assert timings.
import { readdirSync } from "node:fs";
import path from "node:path";

interface Bench {
  run(options: string[]): Promise<void>;
}

async function runAll(): Promise<number> {
  const args = process.argv.slice(2);
  const all = readdirSync(__dirname).filter((f) => f.endsWith(".bench.ts"));
  const isName = (a: string) => !a.startsWith("-") && all.some((f) => f.startsWith(`${a}.`));
  const only = args.filter(isName);
  const options = args.filter((a) => !isName(a));
  const files = all.filter((f) => only.length === 0 || only.some((o) => f.startsWith(`${o}.`))).sort();
  let failed = 0;
  for (const file of files) {
    process.stdout.write(`\n== ${file} ==\n`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bench = require(path.join(__dirname, file)) as Partial<Bench>;
      if (typeof bench.run !== "function") throw new Error("does not export run()");
      await bench.run(options);
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
