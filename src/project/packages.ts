// Reads the MSI files policies name (I/O edge of the build): each must exist inside the policies
// directory and have the SHA-256 the policy pins — a mismatch is an error naming the file and the field,
// and stops the run before anything is compiled, let alone uploaded. What the MSI says (product code,
// version, publisher) goes to the compiler as PackageFacts.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Diagnostic, DiagnosticCode, PackageFacts } from "../model";
import { readMsiFile, sha256File } from "../package";
import type { LoadedPolicy, MsiPackage } from "../policy";

interface PackageUse {
  pkg: MsiPackage;
  file: string;
  /** Field path of the package object, e.g. `defenderWslPlugin.package`. */
  path: string;
}

function uses(policies: readonly LoadedPolicy[]): PackageUse[] {
  const out: PackageUse[] = [];
  for (const { policy, file, exportName } of policies) {
    if (policy.kind === "defenderPluginRollout") out.push({ pkg: policy.package, file, path: `${exportName}.package` });
    if (policy.kind === "wslCompliance" && policy.plugin)
      out.push({ pkg: policy.plugin, file, path: `${exportName}.plugin` });
  }
  return out;
}

/** Normalised policy-relative spelling, the key the compiler looks packages up by. */
export function packageKey(file: string): string {
  return file.trim().replace(/\\/g, "/");
}

export async function readPolicyPackages(
  policies: readonly LoadedPolicy[],
  policiesDir: string,
): Promise<{ packages: Map<string, PackageFacts>; diagnostics: Diagnostic[] }> {
  const packages = new Map<string, PackageFacts>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  for (const use of uses(policies)) {
    const key = packageKey(use.pkg.file);
    const abs = path.resolve(policiesDir, key);
    const error = (code: DiagnosticCode, field: string, message: string) =>
      diagnostics.push({ code, severity: "error", file: use.file, path: `${use.path}.${field}`, message });
    if (!existsSync(abs)) {
      error("package-missing", "file", `${key} does not exist in the policies directory (${abs})`);
      continue;
    }
    let actual = hashes.get(abs);
    if (actual === undefined) {
      actual = await sha256File(abs);
      hashes.set(abs, actual);
    }
    const expected = use.pkg.sha256.toLowerCase();
    if (actual !== expected) {
      error(
        "package-sha256-mismatch",
        "sha256",
        `${key} has SHA-256 ${actual}, not the ${expected} this policy pins; nothing is uploaded until the policy names the file that was reviewed`,
      );
      continue;
    }
    if (packages.has(key)) continue;
    try {
      packages.set(key, await packageFacts(abs, key, actual));
    } catch (e) {
      error("package-unreadable", "file", (e as Error).message);
    }
  }
  return { packages, diagnostics };
}

async function packageFacts(abs: string, key: string, sha256: string): Promise<PackageFacts> {
  const facts = await readMsiFile(abs, key);
  return {
    file: key,
    sha256,
    setupFile: path.basename(abs),
    productCode: facts.productCode,
    productVersion: facts.productVersion,
    ...(facts.upgradeCode ? { upgradeCode: facts.upgradeCode } : {}),
    publisher: facts.publisher,
    productName: facts.productName,
    packageType: facts.packageType,
    requiresReboot: facts.msiInfo.MsiRequiresReboot,
  };
}

/**
 * The MSIs in `dir` (`import --packages`), by lower-case file name, each named as a policy would name it:
 * relative to the policies directory, so `dir` must be inside it. A file that is not a readable MSI is an
 * error naming it.
 */
export async function readPackagesIn(dir: string, policiesDir: string): Promise<Map<string, PackageFacts>> {
  const rel = path.relative(policiesDir, dir);
  if (rel.startsWith("..") || path.isAbsolute(rel))
    throw new Error(
      `--packages ${dir}: must be inside the policies directory (${policiesDir}), where a policy names its MSI`,
    );
  if (!existsSync(dir)) throw new Error(`--packages ${dir}: no such directory`);
  const out = new Map<string, PackageFacts>();
  for (const name of readdirSync(dir).sort()) {
    if (!name.toLowerCase().endsWith(".msi")) continue;
    const abs = path.join(dir, name);
    const key = packageKey(path.relative(policiesDir, abs));
    out.set(name.toLowerCase(), await packageFacts(abs, key, await sha256File(abs)));
  }
  return out;
}
