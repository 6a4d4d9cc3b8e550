// The renderers: every report names the tenant (plainly the emulator when it is), puts the summary,
// risks and conflicts before the per-object detail, escapes what it quotes, and ends with the Graph
// request count. An errored plan never reads as "no changes".
import { describe, expect, it } from "vitest";
import { settingIds } from "../../src/catalog";
import { computePlan } from "../../src/diff/plan";
import type { Plan } from "../../src/diff/plan-schema";
import { COLLECTIONS, emptySnapshot, type DesiredState, type JsonObject } from "../../src/model";
import { renderMarkdown, renderReport, renderText } from "../../src/report";

const RING = "4b0f4a6c-5d5e-4a99-9e4c-7b5a8f1c2d05";
const choice = (id: string, option: string) => ({
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: id,
    choiceSettingValue: { value: `${id}_${option}`, children: [] },
  },
});
const document = (name: string, option: string, marker = ""): JsonObject => ({
  name,
  description: marker,
  platforms: "windows10",
  technologies: "mdm",
  settings: [choice(settingIds.wsl.allowWsl1, option)],
});

function samplePlan(
  tenant: Plan["tenant"] = {
    kind: "emulator",
    label: "local Graph emulator (localhost:1)",
    tenantId: "e",
    endpoint: "https://localhost:1/",
  },
): Plan {
  const desired: DesiredState = {
    stack: "local",
    rings: [],
    objects: [
      {
        kind: "configurationPolicy",
        policyId: "devs",
        resourceName: "devs",
        displayName: "Devs | pipes",
        sourceFile: "devs.ts",
        document: document("Devs | pipes", "1", "[wslpolicy:local/devs]"),
        assignments: [{ target: { kind: "groupId", id: RING }, exclude: false }],
      },
    ],
  };
  const live = emptySnapshot();
  live[COLLECTIONS.groups] = [{ id: RING, displayName: "WSL Ring 1 - Pilot" }];
  live[COLLECTIONS.configurationPolicies] = [
    {
      ...(document("Devs | pipes", "0", "[wslpolicy:local/devs]") as {
        name: string;
        platforms: string;
        technologies: string;
      }),
      id: "a",
      assignments: [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: RING } }],
    },
    {
      ...(document("Portal <b>", "0") as { name: string; platforms: string; technologies: string }),
      id: "p",
      assignments: [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
    },
  ];
  return computePlan({ desired, live, tenant, requestCount: 42 });
}

describe("report renderers", () => {
  const plan = samplePlan();

  it("say plainly when the tenant is the emulator, and end with the request count", () => {
    for (const format of ["text", "markdown"] as const) {
      const out = renderReport(plan, format);
      expect(out).toContain("local Graph emulator — not a real tenant");
      expect(out.trimEnd().split("\n").at(-1)).toContain("Graph requests: 42.");
    }
    expect(JSON.parse(renderReport(plan, "json"))).toMatchObject({ tenant: { kind: "emulator" }, graphRequests: 42 });
  });

  it("a real tenant is named without the emulator notice", () => {
    const real = renderText(
      samplePlan({
        kind: "graph",
        label: "tenant 1b2c3d4e… (graph.microsoft.com)",
        tenantId: "1b2c3d4e",
        endpoint: "https://graph.microsoft.com/",
      }),
    );
    expect(real).toContain("Tenant: tenant 1b2c3d4e… (graph.microsoft.com)");
    expect(real).not.toContain("emulator");
  });

  it("text: plain unless colour is asked for", () => {
    // eslint-disable-next-line no-control-regex -- ANSI escapes
    const ansi = /\u001b\[/;
    expect(renderText(plan)).not.toMatch(ansi);
    expect(renderText(plan, { color: true })).toMatch(ansi);
    expect(renderText(plan)).toContain("~ Allow WSL1: Disabled → Enabled");
  });

  it("markdown: one-line summary first, risks and conflicts before a collapsible section per object", () => {
    const md = renderMarkdown(plan);
    const lines = md.split("\n");
    expect(lines[1]).toMatch(/^### wslpolicy · Plan: 0 to create, 1 to update/);
    const at = (s: string) => md.indexOf(s);
    expect(at("#### ⚠️ Risks")).toBeGreaterThan(0);
    expect(at("#### ⚠️ Risks")).toBeLessThan(at("#### ⚔️ Conflicts"));
    expect(at("#### ⚔️ Conflicts")).toBeLessThan(at("<details>"));
    expect(md).toContain("| Allow WSL1 | Disabled | Enabled |");
    expect(md).toContain("Devs \\| pipes");
    expect(md).toContain("Portal &lt;b&gt;");
    // Inside <summary> (HTML, not a table) a pipe is plain text: an escape would show as a backslash.
    expect(md).toMatch(/<summary>.* — Devs \| pipes \(configurationPolicy\)<\/summary>/);
    expect(md.match(/<details>/g)).toHaveLength(1);
  });

  it("a conflict names both sides of where the policies meet: our group ∩ the other policy's all devices", () => {
    expect(plan.conflicts.map((k) => k.overlaps)).toEqual([[['group "WSL Ring 1 - Pilot"', "all devices"]]]);
    expect(renderText(plan)).toContain('      overlap certain: group "WSL Ring 1 - Pilot" ∩ all devices\n');
    expect(renderMarkdown(plan)).toContain('| certain: group "WSL Ring 1 - Pilot" ∩ all devices |');
  });

  it("several places of one conflict read one per line; a possible overlap lists the groups", () => {
    const [k] = plan.conflicts;
    const rings = ["Ring 1", "Ring 2"].map((r) => [`group "${r}"`, "all devices"]);
    const several: Plan = { ...plan, conflicts: [{ ...k!, targets: rings.map(([t]) => t!), overlaps: rings }] };
    expect(renderText(several)).toContain(
      '      overlap certain:\n        group "Ring 1" ∩ all devices\n        group "Ring 2" ∩ all devices\n',
    );
    expect(renderMarkdown(several)).toContain(
      '| certain:<br>group "Ring 1" ∩ all devices<br>group "Ring 2" ∩ all devices |',
    );
    const possible: Plan = {
      ...plan,
      conflicts: [{ ...k!, overlap: "possible", targets: ['group "A"', 'group "B"'], overlaps: [] }],
    };
    expect(renderText(possible)).toContain('      overlap possible: group "A"; group "B"\n');
    expect(renderMarkdown(possible)).toContain('| possible: group "A"; group "B" |');
  });

  it("an errored plan says it failed, never 'no changes'", () => {
    const failed: Plan = {
      ...plan,
      errors: ['devs.ts: devs: cannot resolve include group "X": not found'],
      changes: [],
      summary: { ...plan.summary, update: 0, hasChanges: false },
    };
    for (const format of ["text", "markdown"] as const) {
      const out = renderReport(failed, format);
      expect(out).toMatch(/Plan failed: 1 error/);
      expect(out).not.toMatch(/No changes/);
    }
  });
});
