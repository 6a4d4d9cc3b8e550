// A Win32 app that is the Microsoft Defender for Endpoint plug-in for WSL → the `defenderPluginRollout`
// intent fields, the inverse of src/compile/defender-plugin.ts:
// the MSI from `setupFilePath`, the version, the product code of a product-code detection rule (or the
// MSI information Intune fills in), and one ring per required group assignment that has an install window
// (`installTimeSettings` start/deadline). Required assignments without a window stay plain includes.
import { defenderPluginRolloutSchema } from "../policy";
import { classifyTarget, groupExpr, includeEntry, type GroupNames } from "./assignments";
import type { SourceValue } from "./source-text";
import type { IntentResult } from "./wsl-intent";
import { byText, isRecord, type MobileApp, type UnknownRecord } from "../model";
import { DEFENDER_PLUGIN_MSI } from "../intune";

/** The package fields as the policy schema checks them: a live value that would not validate is not written. */
const PACKAGE = defenderPluginRolloutSchema.shape.package.shape;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const obj = (v: unknown): Readonly<UnknownRecord> | undefined => (isRecord(v) ? v : undefined);

/** Any app that looks WSL-related (so skipping it deserves a note). */
export function looksWslRelated(app: MobileApp): boolean {
  const doc = app as Readonly<UnknownRecord>;
  return [app.displayName, str(doc.setupFilePath), str(doc.fileName)].some(
    (s) => s !== undefined && /wsl|defenderplugin/i.test(s),
  );
}

function productCode(doc: Readonly<UnknownRecord>): string | undefined {
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  for (const r of rules) {
    const rule = obj(r);
    if (rule && /productcoderule/i.test(str(rule["@odata.type"]) ?? "") && str(rule.productCode))
      return str(rule.productCode);
  }
  return str(obj(doc.msiInformation)?.productCode);
}

export function defenderRolloutFields(app: MobileApp, names: GroupNames): IntentResult {
  const doc = app as Readonly<UnknownRecord>;
  const setup = str(doc.setupFilePath);
  const m = setup ? DEFENDER_PLUGIN_MSI.exec(setup) : null;
  if (!setup || !m)
    return {
      ok: false,
      reason: `its setup file ${setup ? `'${setup}'` : "(none)"} is not a DefenderPlugin-x64-<version>.msi, so the package cannot be described`,
    };
  const displayVersion = str(doc.displayVersion);
  const version = displayVersion && PACKAGE.version.safeParse(displayVersion).success ? displayVersion : m[1]!;
  const pkg: { [key: string]: SourceValue } = { fileName: setup, version };
  const code = productCode(doc);
  if (code && PACKAGE.productCode.safeParse(code).success) pkg.productCode = code;
  const publisher = str(doc.publisher);
  if (publisher && publisher !== "Microsoft Corporation") pkg.publisher = publisher;

  const rings: { sort: string; value: SourceValue }[] = [];
  const include: SourceValue[] = [];
  const exclude: SourceValue[] = [];
  const notifications = new Set<string>();
  const localTime = new Set<boolean>();
  let broad = false;
  for (const a of app.assignments ?? []) {
    const t = classifyTarget(a.target);
    if (t.kind === "unsupported") return { ok: false, reason: t.reason };
    if (t.mode === "exclude" && t.kind === "group") {
      exclude.push(groupExpr(t.groupId, names));
      continue;
    }
    if (a.intent !== "required")
      return { ok: false, reason: `it has an '${a.intent}' assignment; a rollout only makes required assignments` };
    const settings = obj(a.settings);
    const n = str(settings?.notifications);
    if (n) notifications.add(n);
    const window = obj(settings?.installTimeSettings);
    if (window && t.kind === "group" && !t.filter) {
      localTime.add(window.useLocalTime === true);
      const ring: { [key: string]: SourceValue } = { target: groupExpr(t.groupId, names) };
      const start = str(window.startDateTime);
      const deadline = str(window.deadlineDateTime);
      if (start) ring.start = start;
      if (deadline) ring.deadline = deadline;
      rings.push({ sort: `${start ?? ""}|${deadline ?? ""}|${names.get(t.groupId) ?? t.groupId}`, value: ring });
    } else {
      if (t.kind !== "group") broad = true;
      include.push(includeEntry(t, names));
    }
  }
  if (rings.length === 0)
    return {
      ok: false,
      reason: "no required group assignment has an install window, so there are no rings to describe",
    };
  if (notifications.size > 1)
    return {
      ok: false,
      reason: `its assignments use different notification settings (${[...notifications].sort().join(", ")}); a rollout has one`,
    };
  if (localTime.size > 1) return { ok: false, reason: "its rings mix local and UTC install times; a rollout uses one" };

  const fields: { [key: string]: SourceValue } = { package: pkg, notifications: [...notifications][0] ?? "showAll" };
  if (localTime.has(true)) fields.useLocalTime = true;
  fields.rings = rings.sort(byText((x) => x.sort)).map((r) => r.value);
  if (include.length || exclude.length) {
    const assignments: { [key: string]: SourceValue } = { include };
    if (exclude.length) assignments.exclude = exclude;
    if (broad) assignments.broad = true;
    fields.assignments = assignments;
  }
  return { ok: true, fields };
}
