// The one walk over Settings Catalog settings (src/intune/setting-paths.ts): the normaliser's paths and
// values, and the device node two policies collide on. Where the old normaliser and the old compiler
// flattening disagreed, these cases pin the rule now shared.
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { isComparableLeaf, leafDisplay, walkSettings, type WalkedSetting } from "../../src/intune";

const VM = settingIds.hyperVVm;
const R = settingIds.hyperVRule;
const G = "#microsoft.graph.deviceManagementConfiguration";

const choice = (id: string, value: string, children: unknown[] = []) => ({
  "@odata.type": `${G}ChoiceSettingInstance`,
  settingDefinitionId: id,
  choiceSettingValue: { value, children },
});
const text = (id: string, value: string) => ({
  "@odata.type": `${G}SimpleSettingInstance`,
  settingDefinitionId: id,
  simpleSettingValue: { "@odata.type": `${G}StringSettingValue`, value },
});
const groups = (id: string, entries: unknown[][]) => ({
  "@odata.type": `${G}GroupSettingCollectionInstance`,
  settingDefinitionId: id,
  groupSettingCollectionValue: entries.map((children) => ({ children })),
});
const request = (...instances: unknown[]) => instances.map((settingInstance) => ({ settingInstance }));
const byPath = (walked: readonly WalkedSetting[]) =>
  Object.fromEntries(walked.map((w) => [w.path, { node: w.node, value: w.leaf.value }]));

const inbound = VM.profile("public").defaultInboundAction;
const vmEntry = (target: string, action: string) => [
  choice(VM.target, target),
  choice(inbound, `${inbound}_${action}`),
];
const rule = (name: string, action: "0" | "1") => [text(R.name, name), choice(R.action, `${R.action}_${action}`)];

describe("walkSettings", () => {
  it("puts a choice child under its parent's path, but on its own node (choice parents do not move a CSP node)", () => {
    const mode = settingIds.wsl.defaultNetworkingMode;
    const dropdown = settingIds.wsl.defaultNetworkingModeDropdown;
    expect(byPath(walkSettings(request(choice(mode, `${mode}_1`, [choice(dropdown, `${dropdown}_3`)]))))).toEqual({
      [mode]: { node: mode, value: `${mode}_1` },
      [`${mode}/${dropdown}`]: { node: dropdown, value: `${dropdown}_3` },
    });
  });

  it("reads the request form and Graph's GET form (ids, upper-case option ids) the same way", () => {
    const id = settingIds.wsl.allowWsl;
    const get = [{ id: "0", settingInstance: choice(id.toUpperCase(), `${id}_1`.toUpperCase()) }];
    expect(walkSettings(get)).toEqual(walkSettings(request(choice(id, `${id}_1`))));
  });

  it("keys a Hyper-V VM settings entry's node by its VM creator target: one CSP node per VM creator", () => {
    const walked = walkSettings(
      request(groups(VM.group, [vmEntry(VM.targetWsl, "1"), vmEntry(`${VM.target}_other`, "0")])),
    );
    const nodes = walked.filter((w) => w.leaf.definitionId === inbound).map((w) => w.node);
    expect(nodes.sort()).toEqual([
      `${VM.group}[${VM.target}_other]/${inbound}`,
      `${VM.group}[${VM.targetWsl}]/${inbound}`,
    ]);
    // the path (what a diff shows) stays the normaliser's: entries without names are numbered by content
    expect(walked.filter((w) => w.leaf.definitionId === inbound).map((w) => w.path)).toEqual([
      `${VM.group}[0]/${inbound}`,
      `${VM.group}[1]/${inbound}`,
    ]);
  });

  it("gives firewall rules no shared node, named or not: each rule is its own CSP instance", () => {
    const named = walkSettings(request(groups(R.group, [rule("SSH", "1"), rule("RDP", "0")])));
    expect(named.find((w) => w.path === `${R.group}[SSH]/${R.action}`)?.leaf.value).toBe(`${R.action}_1`);
    const sameName = walkSettings(request(groups(R.group, [rule("SSH", "1"), rule("SSH", "0")])));
    expect(sameName.map((w) => w.path)).toContain(`${R.group}[0]/${R.action}`);
    expect([...named, ...sameName].filter((w) => w.node !== undefined)).toEqual([]);
  });

  it("hashes a secret's plaintext, never compares it across policies and never shows it", () => {
    const secret = {
      "@odata.type": `${G}SimpleSettingInstance`,
      settingDefinitionId: "vendor_secret_setting",
      simpleSettingValue: { "@odata.type": `${G}SecretSettingValue`, value: "hunter2", valueState: "notEncrypted" },
    };
    const [leaf] = walkSettings(request(secret)).map((w) => w.leaf);
    expect(leaf).toMatchObject({ type: "secret", value: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(isComparableLeaf(leaf!)).toBe(false);
    expect(leafDisplay(leaf)).toBe("(secret)");
    expect(JSON.stringify(leaf)).not.toContain("hunter2");
  });
});
