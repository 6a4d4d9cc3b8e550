// Which rings of a rollout are assigned: a ring with a health gate waits until the app's install report
// passes it (after the previous ring's deadline plus the soak time), and a ring that is already assigned
// in the tenant stays assigned (a gate stops the rollout from advancing; it never pulls a ring back, which
// would flap as later rings' devices join the same app-wide counts). The counts are the app's, from
// getAppStatusOverviewReport, which has no per-group breakdown: a gate on ring N sees every ring assigned
// so far. `plan` and the Pulumi program both filter the desired assignments through here, so `pulumi up`
// declares exactly the rings `plan` shows. Pure: the report counts and the clock are inputs.
import {
  COLLECTIONS,
  isOwnedBy,
  type DesiredObject,
  type DesiredState,
  type RingGate,
  type TenantSnapshot,
} from "../model";

/** Device counts of getAppStatusOverviewReport (columns mapped by Schema name). */
export interface AppInstallCounts {
  installed: number;
  failed: number;
  pending: number;
  notInstalled: number;
  notApplicable: number;
}

export interface GateCheck {
  condition: keyof RingGate;
  passed: boolean;
  /** "82 % installed, needs 95 %" */
  text: string;
}

export interface RingVerdict {
  ring: string;
  /** `assigned`: in the tenant already; `assign`: assigned by this run; `waits`: held back. */
  state: "assigned" | "assign" | "waits";
  /** Why it waits ("ring 'Early adopters' 82 % installed, needs 95 %"). */
  reason?: string;
  checks: GateCheck[];
}

export interface RolloutInput {
  /** Undefined when the app is not in the tenant (or no report could be read). */
  counts?: AppInstallCounts;
  /** Ring names assigned in the tenant now. */
  assigned: ReadonlySet<string>;
}

const pct = (x: number) => `${Math.round(x * 10) / 10} %`;

/** Devices that report a state the gate judges (not-applicable devices are out of the rollout). */
export function reporting(c: AppInstallCounts): number {
  return c.installed + c.failed + c.pending + c.notInstalled;
}

function checks(
  gate: RingGate,
  prev: string,
  prevDeadline: string | undefined,
  counts: AppInstallCounts,
  now: number,
): GateCheck[] {
  const out: GateCheck[] = [];
  const n = reporting(counts);
  const share = (k: number) => (n === 0 ? 0 : (100 * k) / n);
  if (gate.soakHours !== undefined && prevDeadline !== undefined) {
    const until = Date.parse(prevDeadline) + gate.soakHours * 3_600_000;
    out.push({
      condition: "soakHours",
      passed: now >= until,
      text:
        now >= until
          ? `ring '${prev}' soaked ${gate.soakHours} h after its deadline`
          : `ring '${prev}' soaks until ${new Date(until).toISOString()}`,
    });
  }
  if (gate.minDevicesReporting !== undefined) {
    out.push({
      condition: "minDevicesReporting",
      passed: n >= gate.minDevicesReporting,
      text: `ring '${prev}' ${n} devices reporting, needs ${gate.minDevicesReporting}`,
    });
  }
  if (gate.minInstalledPercent !== undefined) {
    const v = share(counts.installed);
    out.push({
      condition: "minInstalledPercent",
      passed: n > 0 && v >= gate.minInstalledPercent,
      text: `ring '${prev}' ${pct(v)} installed, needs ${pct(gate.minInstalledPercent)}`,
    });
  }
  if (gate.maxFailedPercent !== undefined) {
    const v = share(counts.failed);
    out.push({
      condition: "maxFailedPercent",
      passed: v <= gate.maxFailedPercent,
      text: `ring '${prev}' ${pct(v)} failed, allows ${pct(gate.maxFailedPercent)}`,
    });
  }
  return out;
}

/** The verdict for every ring of `object`'s rollout, in ring order. */
export function evaluateRollout(object: DesiredObject, input: RolloutInput, now: number): RingVerdict[] {
  const rings = object.rollout?.rings ?? [];
  const verdicts: RingVerdict[] = [];
  rings.forEach((ring, i) => {
    const prev = i > 0 ? rings[i - 1]! : undefined;
    const before = verdicts[i - 1];
    const evaluated =
      ring.gate && prev && input.counts ? checks(ring.gate, prev.name, prev.deadline, input.counts, now) : [];
    if (input.assigned.has(ring.name)) {
      verdicts.push({ ring: ring.name, state: "assigned", checks: evaluated });
      return;
    }
    if (!ring.gate || !prev || !before) {
      if (before?.state === "waits")
        verdicts.push({ ring: ring.name, state: "waits", reason: `waits for ring '${before.ring}'`, checks: [] });
      else verdicts.push({ ring: ring.name, state: "assign", checks: [] });
      return;
    }
    let reason: string | undefined;
    if (before.state === "waits") reason = `waits for ring '${before.ring}'`;
    else if (before.state === "assign")
      reason = `ring '${before.ring}' is assigned in this run; its devices have not reported yet`;
    else if (!input.counts) reason = "the app's install report could not be read";
    else {
      const failed = evaluated.filter((c) => !c.passed);
      if (failed.length) reason = failed.map((c) => c.text).join("; ");
    }
    verdicts.push(
      reason
        ? { ring: ring.name, state: "waits", reason, checks: evaluated }
        : { ring: ring.name, state: "assign", checks: evaluated },
    );
  });
  return verdicts;
}

/** The one line plan prints for a waiting ring. */
export function waitingLine(v: RingVerdict): string {
  return `ring '${v.ring}' waits: ${v.reason ?? ""}`;
}

/** The live app a rollout object stands for: adopted by id, or carrying this stack's marker. */
export function liveAppOf(
  object: DesiredObject,
  stack: string,
  snapshot: TenantSnapshot,
): { id?: string; assignments?: unknown[] } | undefined {
  return snapshot[COLLECTIONS.mobileApps].find((a) =>
    object.adoptId ? String(a.id).toLowerCase() === object.adoptId : isOwnedBy(a.description, stack, object.policyId),
  );
}

/** Ring names whose groups the live app is assigned to (include assignments), by group display name. */
export function assignedRings(object: DesiredObject, stack: string, snapshot: TenantSnapshot): Set<string> {
  const app = liveAppOf(object, stack, snapshot);
  const names = new Map(snapshot[COLLECTIONS.groups].map((g) => [String(g.id).toLowerCase(), g.displayName]));
  const rings = new Set((object.rollout?.rings ?? []).map((r) => r.name));
  const out = new Set<string>();
  for (const a of app?.assignments ?? []) {
    const target = (a as { target?: { "@odata.type"?: string; groupId?: string } }).target;
    if (!target?.groupId || /exclusion/i.test(target["@odata.type"] ?? "")) continue;
    const id = target.groupId.toLowerCase();
    const name = names.get(id);
    if (name && rings.has(name)) out.add(name);
    else if (rings.has(id)) out.add(id);
  }
  return out;
}

export interface GatedState {
  desired: DesiredState;
  verdicts: Map<string, RingVerdict[]>;
}

/** The desired state with the assignments of waiting rings left out, and every rollout's verdicts. */
export function gateRollouts(
  desired: DesiredState,
  inputs: ReadonlyMap<string, RolloutInput>,
  now: number,
): GatedState {
  const verdicts = new Map<string, RingVerdict[]>();
  const objects = desired.objects.map((o) => {
    if (!o.rollout || !o.rollout.rings.some((r) => r.gate)) return o;
    const v = evaluateRollout(o, inputs.get(o.policyId) ?? { assigned: new Set() }, now);
    verdicts.set(o.policyId, v);
    const waiting = new Set(v.filter((x) => x.state === "waits").map((x) => x.ring));
    return waiting.size
      ? { ...o, assignments: o.assignments.filter((a) => a.ring === undefined || !waiting.has(a.ring)) }
      : o;
  });
  return { desired: { ...desired, objects }, verdicts };
}
