// Test helpers for the published package: `npm pack` of this repository, and an install of the tarball
// into a new platform repo with no network. The install is a real `npm ci --offline` of a lockfile made
// from this repository's own package-lock.json: the tarball as the one dependency, and every non-dev
// package of this repository's tree at the same place, version and integrity. npm then takes each
// package from its cache (filled by the `npm ci` of this repository) exactly as an install from the
// registry would lay it out. Install scripts are skipped (`--ignore-scripts`): none of the package's
// dependencies needs one to work (esbuild's only checks the platform binary that its optional
// @esbuild/<platform> package brings), and one could reach for the network.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const REPO_ROOT = path.resolve(__dirname, "../..");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell), with the environment given. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function npm(args: readonly string[], cwd: string): Run {
  const r = run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (exit ${r.status}) in ${cwd}:\n${r.stderr}`);
  return r;
}

const packResultSchema = z
  .array(
    z.object({
      filename: z.string(),
      size: z.number(),
      unpackedSize: z.number(),
      files: z.array(z.object({ path: z.string() })),
    }),
  )
  .length(1);
export type PackResult = z.infer<typeof packResultSchema>[number] & { tarball: string };

/** `npm pack` of this repository into `dest` (runs the `prepack` build). */
export function packRepository(dest: string): PackResult {
  const r = npm(["pack", "--json", "--pack-destination", dest], REPO_ROOT);
  // Anything a lifecycle script prints to stdout comes before the JSON.
  const [result] = packResultSchema.parse(JSON.parse(r.stdout.slice(Math.max(0, r.stdout.search(/^\[/m)))));
  return { ...result!, tarball: path.join(dest, result!.filename) };
}

const lockSchema = z.looseObject({
  packages: z.record(
    z.string(),
    z.looseObject({
      version: z.string().optional(),
      dev: z.boolean().optional(),
      dependencies: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

/**
 * Installs `tarball` into `dir` (which has no package.json yet) as `npm install <tarball>` would, from
 * the npm cache only. Leaves dir/package.json depending on the tarball, the lockfile and node_modules.
 */
export function installOffline(tarball: string, dir: string): void {
  const lock = lockSchema.parse(JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")));
  const self = lock.packages[""];
  if (!self) throw new Error("package-lock.json has no root package");
  const spec = `file:${path.relative(dir, tarball).split(path.sep).join("/")}`;
  const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
  const packages: Record<string, unknown> = {
    "": { name: "platform", version: "0.0.0", dependencies: { wslpolicy: spec } },
    "node_modules/wslpolicy": { ...self, resolved: spec, integrity, devDependencies: undefined, name: undefined },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key !== "" && entry.dev !== true) packages[key] = entry;
  }
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: "platform", version: "0.0.0", private: true, dependencies: { wslpolicy: spec } }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(dir, "package-lock.json"),
    `${JSON.stringify({ name: "platform", version: "0.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  try {
    npm(["ci", "--offline", "--ignore-scripts"], dir);
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nThe install takes every package from the npm cache; run \`npm ci\` in this repository once to fill it.`,
    );
  }
}
