// validate + compile of 1,000 generated policy files (all five kinds) through `buildDesiredState`, the
// path `wslpolicy validate` / `compile` take. Goal (issue 2): under 5 s on this machine.
// Each run stamps its files with a fresh nonce so tsx's transform cache is cold for the first pass; the
// second pass over the same files shows the warm figure (what a repeated CLI run sees).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { compile } from "../src/compile/index";
import { formatDiagnostic } from "../src/model/diagnostic";
import { buildDesiredState } from "../src/project/build";

const FILES = 1000;
const GOAL_MS = 5000;
const REPO_ROOT = path.resolve(__dirname, "..");

function policySource(i: number, nonce: string): string {
  const id = `bench-${String(i).padStart(4, "0")}`;
  const target = `group("Bench Devices ${i}")`;
  const head = `// generated for the compile benchmark, run ${nonce}\n`;
  switch (i % 5) {
    case 0:
      return `${head}import { group, wslPolicy } from "wslpolicy";
export const policy = wslPolicy({
  id: "${id}", displayName: "Bench WSL ${i}", description: "WSL locked down for bench group ${i}",
  wsl: true, wsl1: false, inboxWsl: false, debugShell: false, diskMount: ${i % 2 === 0},
  wslconfig: { customKernel: false, kernelCommandLine: false, networkingMode: false, firewall: false },
  defaultNetworkingMode: "${["nat", "mirrored", "virtioProxy", "none"][i % 4]}",
  assignments: { include: [${target}], exclude: [group("Kiosk Devices")] },
});
`;
    case 1:
      return `${head}import { group, hyperVFirewall } from "wslpolicy";
const profile = { enabled: true, defaultInbound: "block", defaultOutbound: "allow", allowLocalPolicyMerge: false } as const;
export const policy = hyperVFirewall({
  id: "${id}", displayName: "Bench firewall ${i}", description: "Hyper-V firewall for bench group ${i}",
  profiles: { domain: profile, private: profile, public: profile },
  loopback: false, hostPolicyMerge: true,
  rules: [
    { name: "SSH ${i}", direction: "in", action: "allow", protocol: "tcp", localPorts: ["22"], remoteAddresses: ["10.0.0.0/8"] },
    { name: "Dev ${i}", direction: "in", action: "allow", protocol: 6, localPorts: ["${3000 + (i % 100)}-3100"], profiles: ["private"] },
  ],
  assignments: { include: [${target}] },
});
`;
    case 2:
      return `${head}import { group, wslCompliance } from "wslpolicy";
export const policy = wslCompliance({
  id: "${id}", displayName: "Bench distros ${i}",
  distributions: [{ distribution: "Ubuntu", minimumOSVersion: "22.04" }, { distribution: "Debian", minimumOSVersion: "12" }],
  assignments: { include: [${target}] },
});
`;
    case 3:
      return `${head}import { group, settingsCatalogPolicy } from "wslpolicy";
export const policy = settingsCatalogPolicy({
  id: "${id}", displayName: "Bench raw settings ${i}",
  settings: [{ id: "device_vendor_msft_policy_config_wslv1~policy~wsl_allowdebugshell", value: "device_vendor_msft_policy_config_wslv1~policy~wsl_allowdebugshell_0" }],
  assignments: { include: [${target}] },
});
`;
    default:
      return `${head}import { defenderPluginRollout, ring } from "wslpolicy";
export const policy = defenderPluginRollout({
  id: "${id}", displayName: "Bench Defender plug-in ${i}",
  package: { fileName: "DefenderPlugin-x64-0.24.426.1.msi", version: "0.24.426.1" },
  rings: [
    { target: ring({ name: "Bench Ring ${i}a", rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:B${i}A")' }), start: "2027-01-05T08:00:00Z", deadline: "2027-01-07T17:00:00Z" },
    { target: ring({ name: "Bench Ring ${i}b", rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:B${i}B")' }), start: "2027-01-12T08:00:00Z" },
  ],
});
`;
  }
}

/** A scratch platform repo: node_modules/wslpolicy → this package, and FILES policy files (some in subfolders). */
function generate(nonce: string): { root: string; policiesDir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-bench-"));
  mkdirSync(path.join(root, "node_modules"));
  symlinkSync(REPO_ROOT, path.join(root, "node_modules", "wslpolicy"), "dir");
  const policiesDir = path.join(root, "policies");
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(policiesDir, `team-${i % 10}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `policy-${String(i).padStart(4, "0")}.ts`), policySource(i, nonce));
  }
  return { root, policiesDir };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

export async function run(): Promise<void> {
  const nonce = `${process.pid}-${Date.now()}`;
  const { root, policiesDir } = generate(nonce);
  try {
    const t0 = performance.now();
    const cold = await buildDesiredState({ policiesDir, stack: "bench" });
    const coldMs = performance.now() - t0;
    const errors = cold.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      throw new Error(`generated policies do not validate:\n${errors.slice(0, 10).map(formatDiagnostic).join("\n")}`);
    }
    const t1 = performance.now();
    const warm = await buildDesiredState({ policiesDir, stack: "bench" });
    const warmMs = performance.now() - t1;
    const t2 = performance.now();
    compile(warm.policies, { stack: "bench" });
    const compileMs = performance.now() - t2;
    const warnings = cold.diagnostics.length - errors.length;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const heapMb = process.memoryUsage().heapUsed / (1024 * 1024);

    process.stdout.write(`policy files:            ${FILES} (${cold.policies.length} policies, ${cold.desired.objects.length} objects, ${cold.desired.rings.length} rings, ${warnings} warnings)\n`);
    process.stdout.write(`validate + compile, cold: ${ms(coldMs)} total, ${(coldMs / FILES).toFixed(2)} ms per policy  (goal < ${ms(GOAL_MS)}: ${coldMs < GOAL_MS ? "met" : "MISSED"})\n`);
    process.stdout.write(`validate + compile, warm: ${ms(warmMs)} total, ${(warmMs / FILES).toFixed(2)} ms per policy  (tsx transform cache hit)\n`);
    process.stdout.write(`  of which compile():     ${ms(compileMs)} (${(compileMs / FILES).toFixed(2)} ms per policy)\n`);
    process.stdout.write(`peak RSS:                ${maxRssMb.toFixed(0)} MB (whole process); heap in use after: ${heapMb.toFixed(0)} MB\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
