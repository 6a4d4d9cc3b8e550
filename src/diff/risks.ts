// Risks a reviewer must not miss, flagged on the change that causes them: WSL1 enabled, WSL allowed more
// widely, a Hyper-V firewall profile disabled or inbound allowed, loopback opened, an assignment widened
// to all devices/users, a managed object deleted, the Defender plug-in unassigned from a ring.
// Works on a change whose `before` is what is there now and `after` what there will be (plan), or
// `before` declared and `after` the tenant (drift, see ./drift). Pure.
import { DEFENDER_PLUGIN_KIND, isDefenderPlugin } from "../intune";
import { settingIds } from "../catalog";
import type { CanonicalObject } from "./normalise";
import type { ObjectChange, Risk, RiskRule, SettingChange } from "./plan-schema";

const WSL_ALLOW = settingIds.wsl.allowWsl;
const WSL1 = settingIds.wsl.allowWsl1;
const PROFILES = (["domain", "private", "public"] as const).map((p) => settingIds.hyperVVm.profile(p));
const PROFILE_ENABLE = new Set<string>(PROFILES.map((p) => p.enableFirewall));
const PROFILE_INBOUND = new Set<string>(PROFILES.map((p) => p.defaultInboundAction));
const LOOPBACK = settingIds.hyperVVm.enableLoopback;
const RULE_ACTION = settingIds.hyperVRule.action;
const RULE_DIRECTION = settingIds.hyperVRule.direction;

const enabled = (v: unknown) => typeof v === "string" && v.endsWith("_1");
const disabled = (v: unknown) => typeof v === "string" && v.endsWith("_0");

export interface RiskInput {
  change: ObjectChange;
  /** The object's settings after the change (desired in a plan; the tenant in drift). */
  after?: CanonicalObject;
  before?: CanonicalObject;
  mode: "plan" | "drift";
}

export function risksOf({ change, after, before, mode }: RiskInput): Risk[] {
  const out: Risk[] = [];
  const add = (rule: RiskRule, message: string) =>
    out.push({ rule, object: change.key, objectName: change.displayName, message });
  const gone = mode === "plan" ? change.action === "delete" : change.action === "create";

  if (gone && change.ownership !== "unmanaged") {
    add(
      "managed-object-deleted",
      mode === "plan"
        ? `deletes managed ${change.kind} "${change.displayName}"`
        : `managed ${change.kind} "${change.displayName}" was deleted outside wslpolicy (or never applied)`,
    );
  }

  for (const s of change.settings) settingRisks(s, add);

  const isPlugin = [after, before].some(
    (o) => o?.kind === DEFENDER_PLUGIN_KIND && isDefenderPlugin({ ...o.properties, name: o.name }),
  );
  // Assignment changes widen WSL when the policy allows it (more targets) or blocks it (fewer targets).
  const allowWsl = (after ?? before)?.settings[WSL_ALLOW]?.value;
  const widening: string[] = [];
  // An object that is gone has one risk, its deletion; its assignments going with it say nothing more.
  for (const a of gone ? [] : change.assignments) {
    if (a.change === "added" && a.mode === "include" && (a.target === "allDevices" || a.target === "allUsers")) {
      add("assignment-widened", `${a.label}: now applies to every ${a.target === "allDevices" ? "device" : "user"}`);
    }
    if (change.action !== "create" && change.action !== "delete") {
      const moreTargets =
        (a.change === "added" && a.mode === "include") || (a.change === "removed" && a.mode === "exclude");
      const fewerTargets =
        (a.change === "removed" && a.mode === "include") || (a.change === "added" && a.mode === "exclude");
      if ((enabled(allowWsl) && moreTargets) || (disabled(allowWsl) && fewerTargets))
        widening.push(`${a.label} ${a.change}`);
    }
    if (a.change === "removed" && a.mode === "include" && isPlugin) {
      add("defender-plugin-unassigned", `Defender plug-in for WSL no longer assigned: ${a.label}`);
    }
  }
  if (widening.length) {
    add(
      "wsl-allowed-more-widely",
      `WSL is ${enabled(allowWsl) ? "allowed for more" : "blocked for fewer"} devices: ${widening.join("; ")}`,
    );
  }
  return out;
}

function settingRisks(s: SettingChange, add: (rule: RiskRule, message: string) => void): void {
  const id = s.definitionId;
  const from = s.before ?? "Not configured";
  const to = s.after ?? "Not configured";
  if (id === WSL1 && enabled(s.afterValue) && !enabled(s.beforeValue))
    add(
      "wsl1-enabled",
      `${s.label}: ${from} → ${to} (WSL1 distributions bypass the Hyper-V firewall and Defender plug-in)`,
    );
  if (id === WSL_ALLOW && disabled(s.beforeValue) && !disabled(s.afterValue))
    add("wsl-allowed-more-widely", `${s.label}: ${from} → ${to}`);
  if (
    PROFILE_ENABLE.has(id) &&
    typeof s.afterValue === "string" &&
    s.afterValue.endsWith("_false") &&
    s.beforeValue !== s.afterValue
  ) {
    add("firewall-profile-disabled", `${s.label}: ${from} → ${to}`);
  }
  if (PROFILE_INBOUND.has(id) && disabled(s.afterValue) && !disabled(s.beforeValue))
    add("firewall-inbound-allowed", `${s.label}: ${from} → ${to}`);
  if (
    id === LOOPBACK &&
    typeof s.afterValue === "string" &&
    s.afterValue.endsWith("_true") &&
    s.beforeValue !== s.afterValue
  ) {
    add("loopback-opened", `${s.label}: ${from} → ${to}`);
  }
}

/** Inbound allow rules in the Hyper-V firewall rule set after the change that were not there before. */
export function inboundAllowRuleRisks(
  change: ObjectChange,
  after: CanonicalObject | undefined,
  before: CanonicalObject | undefined,
): Risk[] {
  const rules = (o: CanonicalObject | undefined) => {
    const out = new Map<string, { inbound: boolean; allow: boolean }>();
    for (const [path, leaf] of Object.entries(o?.settings ?? {})) {
      const m = /^(.*\[[^\]]+\])\/[^/]+$/.exec(path);
      if (!m || typeof leaf.value !== "string") continue;
      const entry = out.get(m[1]!) ?? { inbound: false, allow: false };
      if (leaf.definitionId === RULE_DIRECTION) entry.inbound = leaf.value.endsWith("_in");
      if (leaf.definitionId === RULE_ACTION) entry.allow = leaf.value.endsWith("_1");
      out.set(m[1]!, entry);
    }
    return out;
  };
  const now = rules(before);
  const out: Risk[] = [];
  for (const [entry, r] of rules(after)) {
    const was = now.get(entry);
    if (r.inbound && r.allow && !(was?.inbound && was.allow)) {
      const name = /\[([^\]]+)\]$/.exec(entry)?.[1] ?? entry;
      out.push({
        rule: "firewall-inbound-allowed",
        object: change.key,
        objectName: change.displayName,
        message: `Hyper-V firewall rule "${name}" allows inbound traffic to WSL`,
      });
    }
  }
  return out;
}
