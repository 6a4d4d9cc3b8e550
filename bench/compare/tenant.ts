// The benchmark's tenants. Unmanaged: N settings-catalog policies as Graph stores them (S settings with
// ids, A group assignments each, server fields), a tenth of them WSL policies (the WSL choices of the
// catalog), the rest other settings, over G groups. Managed: the same number of wslPolicy files in a
// scratch project, compiled, and the tenant holding exactly what an apply of them would have written
// (marker, settings, assignments), so plan reads, diffs and checks conflicts on every one.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { choiceSetting, groupId, policyId, WSL, WSL_CHOICES } from "../../src/emulator/synthetic-tenant";
import { directoryFrom, resolveAssignments } from "../../src/intune";
import {
  COLLECTIONS,
  emptySnapshot,
  ODATA,
  type DesiredObject,
  type JsonObject,
  type TenantSnapshot,
} from "../../src/model";
import { buildDesiredState } from "../../src/project/build";

export interface TenantSize {
  policies: number;
  settings: number;
  assignments: number;
  groups: number;
}

const SERVER_FIELDS = {
  roleScopeTagIds: ["0"],
  createdDateTime: "2026-01-08T08:35:01.3474232Z",
  lastModifiedDateTime: "2026-01-08T08:35:01.3474232Z",
  creationSource: null,
  priorityMetaData: null,
  templateReference: {
    templateId: "",
    templateFamily: "none",
    templateDisplayName: null,
    templateDisplayVersion: null,
  },
};

function groups(n: number) {
  return Array.from({ length: n }, (_, g) => ({
    id: groupId(g),
    displayName: `Bench Group ${g}`,
    description: null,
    groupTypes: [],
    membershipRule: null,
    securityEnabled: true,
    mailEnabled: false,
  }));
}

function assignment(policy: string, group: string, exclude = false) {
  return {
    id: `${policy}_${group}`,
    source: "direct",
    sourceId: policy,
    target: {
      "@odata.type": exclude ? ODATA.exclusionGroupTarget : ODATA.groupTarget,
      groupId: group,
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
    },
  };
}

export function unmanagedTenant(size: TenantSize): TenantSnapshot {
  const snapshot = emptySnapshot();
  (snapshot as Record<string, unknown[]>)[COLLECTIONS.configurationPolicies] = Array.from(
    { length: size.policies },
    (_, i) => {
      const id = policyId(i);
      const wsl = i % 10 === 0;
      const settings = Array.from({ length: size.settings }, (_, s) => {
        const name =
          wsl && s < WSL_CHOICES.length
            ? `${WSL}${WSL_CHOICES[s]}`
            : `device_vendor_msft_policy_config_bench~policy~setting_${s}`;
        return choiceSetting(name, `${name}_${(i + s) % 2}`, String(s));
      });
      return {
        id,
        name: `${wsl ? "WSL" : "Baseline"} policy ${i}`,
        description: "",
        platforms: "windows10",
        technologies: "mdm",
        settingCount: settings.length,
        ...SERVER_FIELDS,
        settings,
        assignments: Array.from({ length: size.assignments }, (_, a) =>
          assignment(id, groupId((i * size.assignments + a) % size.groups)),
        ),
      };
    },
  );
  (snapshot as Record<string, unknown[]>)[COLLECTIONS.groups] = groups(size.groups);
  return snapshot;
}

/**
 * A wslPolicy file for policy i. Its values vary with the group it targets, not with i: policies on the
 * same group agree (validate refuses contradicting overlaps), policies on different groups differ.
 */
function wslPolicySource(i: number, size: TenantSize): string {
  const g = (i * size.assignments) % size.groups;
  const include = `group("Bench Group ${g}")`;
  const exclude =
    size.assignments > 1 ? `, exclude: [group("Bench Group ${(i * size.assignments + 1) % size.groups}")]` : "";
  return `import { group, wslPolicy } from "wslpolicy";
export const policy = wslPolicy({
  id: "bench-${i}", displayName: "Bench WSL ${i}", description: "WSL for bench group ${i}",
  wsl: true, wsl1: false, inboxWsl: ${g % 3 === 0}, debugShell: false, diskMount: ${g % 2 === 0},
  wslconfig: { customKernel: false, kernelCommandLine: false, networkingMode: ${g % 5 === 0}, firewall: false },
  assignments: { include: [${include}]${exclude} },
});
`;
}

export interface ManagedProject {
  root: string;
  policiesDir: string;
  objects: DesiredObject[];
  tenant: TenantSnapshot;
  cleanup(): void;
}

/** The tenant an apply of `objects` leaves: documents with ids, setting ids, server fields, resolved assignments. */
export function appliedTenant(objects: readonly DesiredObject[], groupCount: number): TenantSnapshot {
  const snapshot = emptySnapshot();
  const g = groups(groupCount);
  const directory = directoryFrom(g);
  (snapshot as Record<string, unknown[]>)[COLLECTIONS.configurationPolicies] = objects.map((obj, i) => {
    const id = policyId(i);
    const { resolved, unresolved } = resolveAssignments(obj.kind, obj.assignments, directory);
    if (unresolved.length > 0) throw new Error(`bench policy ${obj.policyId}: unresolved assignment targets`);
    const settings = ((obj.document.settings ?? []) as JsonObject[]).map((s, k) => ({ id: String(k), ...s }));
    return {
      ...obj.document,
      id,
      settingCount: settings.length,
      ...SERVER_FIELDS,
      settings,
      assignments: resolved.map((r, k) => ({ id: `${id}_${k}`, source: "direct", sourceId: id, ...r.body })),
    };
  });
  (snapshot as Record<string, unknown[]>)[COLLECTIONS.groups] = g;
  return snapshot;
}

/** A scratch project (node_modules/wslpolicy → this package) with `size.policies` wslPolicy files, compiled. */
export async function managedProject(size: TenantSize, stack: string, repoRoot: string): Promise<ManagedProject> {
  const root = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-bench-managed-"));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    mkdirSync(path.join(root, "node_modules"));
    symlinkSync(repoRoot, path.join(root, "node_modules", "wslpolicy"), "dir");
    const policiesDir = path.join(root, "policies");
    mkdirSync(policiesDir);
    for (let i = 0; i < size.policies; i++)
      writeFileSync(path.join(policiesDir, `bench-${i}.ts`), wslPolicySource(i, size));
    const built = await buildDesiredState({ policiesDir, stack });
    if (!built.ok)
      throw new Error(
        `the generated bench policies do not build: ${built.diagnostics.find((d) => d.severity === "error")?.message}`,
      );
    const objects = built.desired.objects;
    return { root, policiesDir, objects, tenant: appliedTenant(objects, size.groups), cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** A scratch project whose policies directory is empty: plan reads and analyses an unmanaged tenant. */
export function emptyProject(): { root: string; policiesDir: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), "wslpolicy-bench-unmanaged-"));
  const policiesDir = path.join(root, "policies");
  mkdirSync(policiesDir);
  return { root, policiesDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
