// Test helper: a throwaway policies directory outside the repository, laid out like a platform repo that
// installed wslpolicy (node_modules/wslpolicy → this package), so policy files import "wslpolicy" for real.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

export interface PolicyWorkspace {
  /** The project root (holds node_modules/ and policies/). */
  root: string;
  /** The policies directory. */
  policiesDir: string;
  /** Writes (or overwrites) a file under policies/. */
  write(file: string, text: string): void;
  cleanup(): void;
}

export function makePolicyWorkspace(files: Record<string, string> = {}): PolicyWorkspace {
  const root = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-test-"));
  mkdirSync(path.join(root, "node_modules"));
  symlinkSync(REPO_ROOT, path.join(root, "node_modules", "wslpolicy"), "dir");
  const policiesDir = path.join(root, "policies");
  mkdirSync(policiesDir);
  const write = (file: string, text: string) => {
    const target = path.join(policiesDir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  for (const [file, text] of Object.entries(files)) write(file, text);
  return { root, policiesDir, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
