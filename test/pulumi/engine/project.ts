// How the Pulumi CLI turns a project directory into a program launch, without the CLI:
//   - Pulumi.yaml `main` → working directory and entry point, as `getPwdMain` does (pulumi/pulumi
//     pkg/engine/project.go): no main → (root, "."); a directory → (that directory, "."); a file → (the
//     file's directory, its base name);
//   - `runtime.options.nodeargs` → arguments before the run script, shell-split as the Node language host
//     does (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go);
//   - `stackConfigDir` + `Pulumi.<stack>.yaml` → the `PULUMI_CONFIG` JSON the program reads (values are
//     strings; objects and lists JSON-encoded, as the engine passes them).
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const projectFileSchema = z.looseObject({
  name: z.string().min(1),
  runtime: z.union([
    z.literal("nodejs"),
    z.looseObject({
      name: z.literal("nodejs"),
      options: z.looseObject({ nodeargs: z.string().optional(), typescript: z.boolean().optional() }).optional(),
    }),
  ]),
  main: z.string().optional(),
  stackConfigDir: z.string().optional(),
});

export interface ProgramLaunch {
  /** The directory holding Pulumi.yaml. */
  root: string;
  project: string;
  /** Working directory of the program and of every plugin the engine starts (the dynamic-provider host). */
  pwd: string;
  /** What the run script is given to run: "." or a file name relative to `pwd`. */
  entryPoint: string;
  nodeargs: string[];
  /** `runtime.options.typescript`; false means the language host does not register ts-node. */
  typescript: boolean;
  stackConfigDir: string;
}

/** `getPwdMain` of the Pulumi engine. */
export function getPwdMain(root: string, main: string | undefined): { pwd: string; main: string } {
  if (!main) return { pwd: root, main: "." };
  const full = path.isAbsolute(main) ? main : path.resolve(root, main);
  if (!existsSync(full)) throw new Error(`project 'main' could not be read: ${full}`);
  if (statSync(full).isDirectory()) return { pwd: full, main: "." };
  return { pwd: path.dirname(full), main: path.basename(full) };
}

/** A POSIX-shell-like split (quotes and backslashes), enough for `nodeargs`. */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in '${text}'`);
  if (started) out.push(current);
  return out;
}

export function resolveProject(root: string): ProgramLaunch {
  const file = path.join(root, "Pulumi.yaml");
  const project = projectFileSchema.parse(parseYaml(readFileSync(file, "utf8")));
  const { pwd, main } = getPwdMain(root, project.main);
  const options = typeof project.runtime === "string" ? {} : (project.runtime.options ?? {});
  return {
    root,
    project: project.name,
    pwd,
    entryPoint: main,
    nodeargs: options.nodeargs ? shellSplit(options.nodeargs) : [],
    typescript: options.typescript ?? true,
    stackConfigDir: path.resolve(root, project.stackConfigDir ?? "."),
  };
}

/** `PULUMI_CONFIG` of a stack: its stack file's `config:`, then `overrides` (as `pulumi config set` would). */
export function stackConfigEnv(
  launch: ProgramLaunch,
  stack: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const file = path.join(launch.stackConfigDir, `Pulumi.${stack}.yaml`);
  const doc = (existsSync(file) ? parseYaml(readFileSync(file, "utf8")) : {}) as {
    config?: Record<string, unknown>;
  } | null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    const name = key.includes(":") ? key : `${launch.project}:${key}`;
    out[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { ...out, ...overrides };
}
