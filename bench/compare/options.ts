// The comparison benchmark's settings: flags after `npm run bench --` (or BENCH_* environment variables),
// with the defaults (2,000 policies × 20 settings × 2 assignments, 500 groups, 30 ms per round
// trip, real time) and a quick mode a reviewer can run in about a minute.

export interface BenchOptions {
  policies: number;
  settings: number;
  assignments: number;
  groups: number;
  /** Real milliseconds of network round trip per HTTP request, before time scaling. */
  latencyMs: number;
  /** 1 = real time. Below 1 both the throttling windows and the latency shrink by it. */
  timeScale: number;
  /** Objects created, updated and deleted through the providers per tenant. */
  applyObjects: number;
  /** Provider operations the bench runs at once, as the engine does with `pulumi up --parallel`. */
  parallel: number;
  /** Sizes of the scaling table (our plan only). */
  scaling: number[];
  peers: boolean;
  managed: boolean;
  apply: boolean;
  out: string;
  quick: boolean;
}

const FULL: BenchOptions = {
  policies: 2000,
  settings: 20,
  assignments: 2,
  groups: 500,
  latencyMs: 30,
  timeScale: 1,
  applyObjects: 200,
  parallel: 16,
  scaling: [100, 950, 1900, 5000, 10000],
  peers: true,
  managed: true,
  apply: true,
  out: "bench/results/latest.json",
  quick: false,
};

/** About a minute: small sizes, and time ×0.1 (windows of 2 s, 3 ms round trips; the report says so). */
const QUICK: Partial<BenchOptions> = {
  policies: 300,
  groups: 50,
  applyObjects: 60,
  timeScale: 0.1,
  scaling: [100, 1000],
  quick: true,
  out: "bench/results/quick.json",
};

const NUMBER_FLAGS = [
  "policies",
  "settings",
  "assignments",
  "groups",
  "latencyMs",
  "timeScale",
  "applyObjects",
  "parallel",
] as const;
const FLAG_NAMES: Record<string, keyof BenchOptions> = {
  "--policies": "policies",
  "--settings": "settings",
  "--assignments": "assignments",
  "--groups": "groups",
  "--latency": "latencyMs",
  "--time-scale": "timeScale",
  "--apply-objects": "applyObjects",
  "--parallel": "parallel",
  "--scaling": "scaling",
  "--out": "out",
};

const USAGE = `npm run bench -- [--quick] [--policies N] [--settings N] [--assignments N] [--groups N] [--latency MS]
  [--time-scale X] [--apply-objects N] [--parallel N] [--scaling 100,1000,...] [--no-peers] [--no-managed]
  [--no-apply] [--no-scaling] [--out FILE]   (also BENCH_POLICIES, BENCH_LATENCY, …)`;

/** Options from `argv` (flags) over BENCH_* variables over the defaults; throws with the usage on a bad value. */
export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = argv.includes("--quick") || env.BENCH_QUICK === "1";
  const opts: BenchOptions = { ...FULL, ...(quick ? QUICK : {}) };
  const set = (key: keyof BenchOptions, text: string, from: string) => {
    if (key === "out") opts.out = text;
    else if (key === "scaling") opts.scaling = text.split(",").map((n) => positive(n, from));
    else if ((NUMBER_FLAGS as readonly string[]).includes(key))
      (opts as unknown as Record<string, number>)[key] = positive(text, from);
  };
  for (const [flag, key] of Object.entries(FLAG_NAMES)) {
    const name = `BENCH_${flag.slice(2).replace(/-/g, "_").toUpperCase()}`;
    const v = env[name];
    if (v !== undefined && v !== "") set(key, v, name);
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") continue;
    if (a === "--no-peers") opts.peers = false;
    else if (a === "--no-managed") opts.managed = false;
    else if (a === "--no-apply") opts.apply = false;
    else if (a === "--no-scaling") opts.scaling = [];
    else if (FLAG_NAMES[a] && argv[i + 1] !== undefined) set(FLAG_NAMES[a], argv[++i]!, a);
    else throw new Error(`unknown or incomplete option '${a}'\n${USAGE}`);
  }
  if (opts.timeScale > 1) throw new Error(`--time-scale must be at most 1 (got ${opts.timeScale})\n${USAGE}`);
  return opts;
}

function positive(text: string, from: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${from}: '${text}' is not a positive number\n${USAGE}`);
  return n;
}
