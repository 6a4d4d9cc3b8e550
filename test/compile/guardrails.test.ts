// Each built-in guardrail fires when its condition holds and stays quiet otherwise; severities come
// from the stack config ("off" disables a rule). Rules read compiled state only.
import { describe, expect, it } from "vitest";
import { GUARDRAIL_RULES, runGuardrails } from "../../src/compile";
import { compileAll, DEFENDER_MSI, rings } from "./helpers";

const group = (name: string) => ({ kind: "group", name });
const wsl = (
  id: string,
  values: Record<string, unknown>,
  assignments: Record<string, unknown> = { include: [rings.pilot] },
) => ({ kind: "wslPolicy", id, displayName: id, ...values, assignments });
const plugin = (targets: unknown[]) => ({
  kind: "defenderPluginRollout",
  id: "plugin",
  displayName: "Plug-in",
  package: DEFENDER_MSI,
  rings: targets.map((target) => ({ target })),
});
const fired = (inputs: Record<string, unknown>[], rule: string) =>
  compileAll(inputs).diagnostics.filter((d) => d.rule === rule);

describe("guardrail rules", () => {
  it("each has an id, a one-line rationale and a default severity", () => {
    expect(GUARDRAIL_RULES.map((r) => r.id)).toEqual([
      "wsl1-not-disabled",
      "public-inbound-allow",
      "broad-assignment",
      "wsl-without-defender",
      "compliance-without-wsl-plugin",
    ]);
    for (const r of GUARDRAIL_RULES) {
      expect(r.rationale).toMatch(/^[^\n]{20,200}$/);
      expect(["error", "warning"]).toContain(r.defaultSeverity);
    }
  });

  it("wsl1-not-disabled: fires when WSL is allowed (enabled or not configured) but WSL1 is not disabled", () => {
    expect(fired([wsl("a", { wsl: true }), plugin([rings.pilot])], "wsl1-not-disabled")).toEqual([
      expect.objectContaining({ file: "a.ts", path: "policy.wsl1", code: "guardrail", severity: "warning" }),
    ]);
    expect(
      fired([wsl("a", { debugShell: false, wsl1: true }), plugin([rings.pilot])], "wsl1-not-disabled"),
    ).toHaveLength(1);
    expect(fired([wsl("a", { wsl: true, wsl1: false }), plugin([rings.pilot])], "wsl1-not-disabled")).toEqual([]);
    expect(fired([wsl("a", { wsl: false })], "wsl1-not-disabled")).toEqual([]);
  });

  it("public-inbound-allow: fires on a default inbound Allow on the Hyper-V public profile only", () => {
    const fw = (profile: string, inbound: string) => ({
      kind: "hyperVFirewall",
      id: "fw",
      displayName: "fw",
      profiles: { [profile]: { enabled: true, defaultInbound: inbound } },
      assignments: { include: [rings.pilot] },
    });
    expect(fired([fw("public", "allow")], "public-inbound-allow")).toEqual([
      expect.objectContaining({ code: "guardrail", severity: "error", path: "policy.profiles.public.defaultInbound" }),
    ]);
    expect(fired([fw("public", "block")], "public-inbound-allow")).toEqual([]);
    expect(fired([fw("private", "allow")], "public-inbound-allow")).toEqual([]);
  });

  it("broad-assignment: fires on all devices / all users without broad: true, for every kind", () => {
    const distros = (assignments: Record<string, unknown>) => ({
      kind: "wslCompliance",
      id: "d",
      displayName: "d",
      distributions: [{ distribution: "Ubuntu" }],
      assignments,
    });
    expect(fired([distros({ include: [group("G"), { kind: "allUsers" }] })], "broad-assignment")).toEqual([
      expect.objectContaining({ path: "policy.assignments.include[1]", message: expect.stringContaining("all users") }),
    ]);
    expect(
      fired(
        [distros({ include: [{ target: { kind: "allDevices" }, filter: { name: "F", mode: "include" } }] })],
        "broad-assignment",
      ),
    ).toHaveLength(1);
    expect(fired([distros({ include: [{ kind: "allDevices" }], broad: true })], "broad-assignment")).toEqual([]);
    expect(fired([distros({ include: [group("G")] })], "broad-assignment")).toEqual([]);
  });

  it("carries the broad acknowledgement into the compiled intent", () => {
    const { desired } = compileAll([
      {
        kind: "wslCompliance",
        id: "d",
        displayName: "d",
        distributions: [{ distribution: "Ubuntu" }],
        assignments: { include: [{ kind: "allDevices" }, group("G")], broad: true },
      },
    ]);
    expect(desired.objects[0]!.assignments).toEqual([
      { target: { kind: "allDevices" }, exclude: false, broad: true },
      { target: { kind: "group", name: "G" }, exclude: false },
    ]);
  });

  it("wsl-without-defender: fires for a WSL-allowed target no plug-in rollout covers", () => {
    expect(fired([wsl("a", { wsl1: false })], "wsl-without-defender")).toEqual([
      expect.objectContaining({
        path: "policy.assignments.include[0]",
        message: expect.stringContaining('group "WSL Ring 1 - Pilot"'),
      }),
    ]);
    expect(fired([wsl("a", { wsl1: false }), plugin([rings.early])], "wsl-without-defender")).toHaveLength(1);
    expect(fired([wsl("a", { wsl1: false }), plugin([rings.pilot])], "wsl-without-defender")).toEqual([]);
    expect(fired([wsl("a", { wsl: false })], "wsl-without-defender")).toEqual([]);
  });

  it("wsl-without-defender: a plug-in on all devices covers every group, but not a group it excludes", () => {
    const allDevicesPlugin = {
      ...plugin([rings.pilot]),
      assignments: { include: [{ kind: "allDevices" }], exclude: [group("Ops")], broad: true },
    };
    expect(
      fired([wsl("a", { wsl1: false }, { include: [group("Devs")] }), allDevicesPlugin], "wsl-without-defender"),
    ).toEqual([]);
    expect(
      fired([wsl("a", { wsl1: false }, { include: [group("Ops")] }), allDevicesPlugin], "wsl-without-defender"),
    ).toHaveLength(1);
  });

  it("applies the stack's severity: off disables, warning and error override the default", () => {
    const inputs = [wsl("a", { wsl: true })];
    const rules = (guardrails: Record<string, "error" | "warning" | "off">) =>
      compileAll(inputs, { guardrails }).diagnostics.map((d) => `${d.rule}:${d.severity}`);
    expect(rules({})).toEqual(["wsl-without-defender:warning", "wsl1-not-disabled:warning"]);
    expect(rules({ "wsl1-not-disabled": "error", "wsl-without-defender": "off" })).toEqual(["wsl1-not-disabled:error"]);
    expect(rules({ "wsl1-not-disabled": "off", "wsl-without-defender": "off" })).toEqual([]);
  });

  it("reports an unknown rule id in the stack's guardrails as an error on the stack file", () => {
    const { diagnostics } = compileAll([wsl("a", { wsl: false })], { guardrails: { "wsl1-disabled": "off" } });
    expect(diagnostics).toEqual([
      {
        code: "guardrail-unknown",
        severity: "error",
        file: "stacks/Pulumi.test.yaml",
        path: "config.wslpolicy:guardrails.wsl1-disabled",
        message: "unknown guardrail rule 'wsl1-disabled'",
      },
    ]);
  });

  it("runs on compiled state alone (as the Pulumi policy pack does)", () => {
    const { desired } = compileAll([wsl("a", { wsl: true })], {
      guardrails: { "wsl1-not-disabled": "off", "wsl-without-defender": "off" },
    });
    expect(runGuardrails(desired, { "wsl-without-defender": "off" }).map((d) => [d.rule, d.file, d.path])).toEqual([
      ["wsl1-not-disabled", "a.ts", "wsl1"],
    ]);
  });
});
