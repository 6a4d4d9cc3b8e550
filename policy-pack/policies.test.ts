// The CrossGuard pack runs the same guardrails as `wslpolicy validate`, on resource inputs shaped exactly
// like the ones stacks/index.ts declares. Calls `validateStack` directly (never constructs a PolicyPack).
import type { PolicyResource } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import { settingIds } from "../src/catalog";
import { runGuardrails } from "../src/compile/guardrails";
import type { DesiredState } from "../src/model";
import { resourceTypeToken } from "../src/pulumi/resource-inputs";
import { compiledExamples, resourceInputs } from "../test/pulumi/harness/fixtures";
import { desiredStateOf, policies } from "./policies";

let desired: DesiredState;
beforeAll(async () => {
  desired = await compiledExamples("ci");
});

function resourcesOf(state: DesiredState): PolicyResource[] {
  return state.objects.map((o) => {
    const urn = `urn:pulumi:ci::wslpolicy::${resourceTypeToken(o.kind)}::${o.resourceName}`;
    return {
      type: resourceTypeToken(o.kind),
      name: o.resourceName,
      urn,
      props: resourceInputs(o, "ci", "https://graph.microsoft.com/"),
    } as unknown as PolicyResource;
  });
}

function violations(state: DesiredState): { policy: string; message: string; urn?: string }[] {
  const out: { policy: string; message: string; urn?: string }[] = [];
  const resources = [
    ...resourcesOf(state),
    {
      type: "azuread:index/group:Group",
      name: "ring-x",
      urn: "urn:x",
      props: { displayName: "x" },
    } as unknown as PolicyResource,
  ];
  for (const policy of policies) {
    void policy.validateStack({ resources, getConfig: () => ({}) } as never, (message: string, urn?: string) =>
      out.push({ policy: policy.name, message, ...(urn ? { urn } : {}) }),
    );
  }
  return out;
}

describe("policy-pack", () => {
  it("rebuilds from resource inputs the same desired objects the compiler produced", () => {
    const rebuilt = desiredStateOf(resourcesOf(desired));
    expect(rebuilt.objects.map((o) => [o.policyId, o.kind, o.assignments])).toEqual(
      desired.objects.map((o) => [o.policyId, o.kind, o.assignments]),
    );
  });

  it("reports exactly what `validate`'s guardrails report on the example policies", () => {
    const expected = runGuardrails(desired)
      .map((d) => d.rule)
      .sort();
    expect(
      violations(desired)
        .map((v) => v.policy.replace(/^wslpolicy-/, ""))
        .sort(),
    ).toEqual(expected);
  });

  it("flags a WSL policy that leaves WSL1 allowed, against that policy's resource", () => {
    const wsl1 = settingIds.wsl.allowWsl1;
    const broken = structuredClone(desired);
    const developers = broken.objects.find((o) => o.policyId === "wsl-developers")!;
    const settings = developers.document.settings as {
      settingInstance: { settingDefinitionId: string; choiceSettingValue: { value: string } };
    }[];
    settings.find((s) => s.settingInstance.settingDefinitionId === wsl1)!.settingInstance.choiceSettingValue.value =
      `${wsl1}_1`;
    const found = violations(broken).filter((v) => v.policy === "wslpolicy-wsl1-not-disabled");
    expect(found).toHaveLength(1);
    expect(found[0]!.urn).toMatch(/::wsl-developers$/);
    expect(found[0]!.message).toMatch(/^wsl-developers\.ts: /);
    expect(runGuardrails(broken).filter((d) => d.rule === "wsl1-not-disabled")).toHaveLength(1);
  });

  it("maps default severities to enforcement levels", () => {
    for (const p of policies) expect(["mandatory", "advisory"]).toContain(p.enforcementLevel);
  });
});
