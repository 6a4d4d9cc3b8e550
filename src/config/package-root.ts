// Where the running wslpolicy package is and which version it is: the files it ships beside its code
// (seeds/, templates/) are found from here, the same in a checkout (src/) and when installed (dist/).
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The package root: this file is src/config/ or dist/config/ under it. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** A file shipped in the package, by its `/`-separated path from the package root. */
export function packageFile(relative: string): string {
  return path.join(PACKAGE_ROOT, ...relative.split("/"));
}

/** The version in the running package's package.json. */
export function packageVersion(): string {
  const file = packageFile("package.json");
  return z.object({ version: z.string().min(1) }).parse(JSON.parse(readFileSync(file, "utf8"))).version;
}
