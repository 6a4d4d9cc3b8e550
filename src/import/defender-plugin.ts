// The two Win32 apps wslpolicy deploys, as import meets them in a tenant: the Microsoft Defender for
// Endpoint plug-in for WSL (recognised by src/intune/defender-plugin.ts) and the Intune WSL plug-in. Their
// policies pin an MSI file by SHA-256 and read product code, version and publisher from it, and a tenant
// holds neither the file nor its hash: the Defender plug-in is imported when the MSI its `setupFilePath`
// names is at hand (`import --packages DIR`), the inverse of src/compile/defender-plugin.ts — one ring per
// required group assignment, with its install window when it has one (a "required, as soon as possible"
// assignment is a ring without start or deadline). Otherwise both are listed as skipped with the reason.
import { byText, isRecord, type MobileApp, type PackageFacts, type UnknownRecord } from "../model";
import { classifyTarget, groupExpr, includeEntry, type GroupNames } from "./assignments";
import type { SourceValue } from "./source-text";
import type { IntentResult } from "./wsl-intent";

/** An MSI the import was given (`file` as a policy names it, relative to the policies directory). */
export type ImportPackage = PackageFacts;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** Any app that looks WSL-related (so skipping it deserves a note). */
export function looksWslRelated(app: MobileApp): boolean {
  const doc = app as Readonly<UnknownRecord>;
  return [app.displayName, str(doc.setupFilePath), str(doc.fileName)].some(
    (s) => s !== undefined && /wsl|defenderplugin/i.test(s),
  );
}

/** The Intune WSL plug-in (MicrosoftDocs/memdocs compliance/wsl.md names the app "Intune WSL Plugin"). */
export function isIntuneWslPlugin(app: MobileApp): boolean {
  return /intune\s*wsl\s*plug-?in/i.test(
    `${app.displayName} ${str((app as Readonly<UnknownRecord>).setupFilePath) ?? ""}`,
  );
}

export const DEFENDER_IMPORT_REASON =
  "a defenderPluginRollout names its MSI file and that file's SHA-256, which the tenant does not hold: put the MSI (the app's setup file) under the policies directory and pass its folder with --packages DIR, or write the policy by hand (wslpolicy package inspect prints the SHA-256) with adopt set to this app's id";

export const INTUNE_WSL_PLUGIN_REASON =
  "the Intune WSL plug-in is deployed by the `plugin` of the wslCompliance policies that need it (by MSI file and SHA-256), not imported on its own";

const obj = (v: unknown): Readonly<UnknownRecord> | undefined => (isRecord(v) ? v : undefined);

/** The MSI a Defender plug-in app installs, by its `setupFilePath`, among the packages import was given. */
export function packageOf(app: MobileApp, packages: ReadonlyMap<string, ImportPackage>): ImportPackage | undefined {
  const setup = str((app as Readonly<UnknownRecord>).setupFilePath);
  return setup ? packages.get(setup.toLowerCase()) : undefined;
}

/** The `defenderPluginRollout` fields of a Defender plug-in app whose MSI is `pkg`. */
export function defenderRolloutFields(app: MobileApp, names: GroupNames, pkg: ImportPackage): IntentResult {
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
    if (t.kind === "group" && !t.filter) {
      const ring: { [key: string]: SourceValue } = { target: groupExpr(t.groupId, names) };
      const start = str(window?.startDateTime);
      const deadline = str(window?.deadlineDateTime);
      if (window) localTime.add(window.useLocalTime === true);
      if (start) ring.start = start;
      if (deadline) ring.deadline = deadline;
      // Rings in the order they open: by start, then deadline ("as soon as possible" first), then name.
      rings.push({ sort: `${start ?? ""}|${deadline ?? ""}|${names.get(t.groupId) ?? t.groupId}`, value: ring });
    } else {
      if (t.kind !== "group") broad = true;
      include.push(includeEntry(t, names));
    }
  }
  if (rings.length === 0)
    return { ok: false, reason: "it has no required assignment to a group, so there are no rings to describe" };
  if (notifications.size > 1)
    return {
      ok: false,
      reason: `its assignments use different notification settings (${[...notifications].sort().join(", ")}); a rollout has one`,
    };
  if (localTime.size > 1) return { ok: false, reason: "its rings mix local and UTC install times; a rollout uses one" };

  const fields: { [key: string]: SourceValue } = {
    package: { file: pkg.file, sha256: pkg.sha256 },
    notifications: [...notifications][0] ?? "showAll",
  };
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
