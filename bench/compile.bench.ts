// validate + compile of 1,000 generated policy files (all five kinds) through `buildDesiredState`, the
// path `wslpolicy validate` / `compile` take. Goal (issue 2): under 5 s on this machine.
// Each run stamps its files with a fresh nonce so no transform cache helps the cold pass. Also printed:
// a second pass over the same files, compile() alone, and loading with tsx's per-file transform.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { compile } from "../src/compile/index";
import { formatDiagnostic } from "../src/model/diagnostic";
import { loadPolicyDirectory } from "../src/policy/loader";
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
  const first = generate(`${process.pid}-${Date.now()}-a`);
  const second = generate(`${process.pid}-${Date.now()}-b`);
  try {
    const t0 = performance.now();
    const cold = await buildDesiredState({ policiesDir: first.policiesDir, stack: "bench" });
    const coldMs = performance.now() - t0;
    const errors = cold.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      throw new Error(`generated policies do not validate:\n${errors.slice(0, 10).map(formatDiagnostic).join("\n")}`);
    }
    const t1 = performance.now();
    const again = await buildDesiredState({ policiesDir: first.policiesDir, stack: "bench" });
    const againMs = performance.now() - t1;
    const t2 = performance.now();
    compile(again.policies, { stack: "bench" });
    const compileMs = performance.now() - t2;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const heapMb = process.memoryUsage().heapUsed / (1024 * 1024);
    // For comparison: the same load with tsx transforming file by file as each is required (fresh files,
    // so tsx's transform cache is cold too).
    const t3 = performance.now();
    const perFile = await loadPolicyDirectory(second.policiesDir, { batchTranspile: false });
    const perFileMs = performance.now() - t3;
    if (perFile.policies.length !== FILES) throw new Error(`per-file load found ${perFile.policies.length} policies`);

    const warnings = cold.diagnostics.length - errors.length;
    const perPolicy = (n: number) => `${(n / FILES).toFixed(2)} ms per policy`;
    process.stdout.write(
      `policy files:               ${FILES} (${cold.policies.length} policies, ${cold.desired.objects.length} objects, ${cold.desired.rings.length} rings, ${warnings} guardrail warnings)\n`,
    );
    process.stdout.write(
      `validate + compile (cold):  ${ms(coldMs)} total, ${perPolicy(coldMs)}  (goal < ${ms(GOAL_MS)}: ${coldMs < GOAL_MS ? "met" : "MISSED"})\n`,
    );
    process.stdout.write(`validate + compile (again): ${ms(againMs)} total, ${perPolicy(againMs)}\n`);
    process.stdout.write(`  of which compile():       ${ms(compileMs)}, ${perPolicy(compileMs)}\n`);
    process.stdout.write(
      `peak RSS:                   ${maxRssMb.toFixed(0)} MB (whole process); heap in use: ${heapMb.toFixed(0)} MB\n`,
    );
    process.stdout.write(
      `load only, per-file tsx:    ${ms(perFileMs)} (without the batched esbuild transpile, cold; for comparison)\n`,
    );
    process.stdout.write(
      `machine load average:       ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores (figures are noisy when others run)\n`,
    );
  } finally {
    rmSync(first.root, { recursive: true, force: true });
    rmSync(second.root, { recursive: true, force: true });
  }
}
