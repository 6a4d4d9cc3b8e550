// The CrossGuard policies: the same guardrail rules `wslpolicy validate` runs (src/compile/guardrails.ts),
// applied to the inputs of the wslpolicy Intune resources, so `pulumi preview --policy-pack policy-pack`
// enforces them too. Some rules look across objects (`wsl-without-defender` needs the Defender plug-in
// rollout beside the WSL policies), so they run as stack policies on the DesiredState rebuilt from every
// wslpolicy resource of the stack (documents from their state form, assignment intents from
// `policy.intents`), and each finding is reported against the resource of its policy. Rules with default
// severity "error" are mandatory, "warning" advisory. Exported as data: index.ts wraps them in a
// PolicyPack; tests call `validateStack` directly.
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { GUARDRAIL_RULES, type GuardrailRule } from "../src/compile/guardrails";
import type { AssignmentIntent, DesiredObject, DesiredState, JsonObject } from "../src/model";
import { kindOfTypeToken } from "../src/pulumi/resource-inputs";
import { toGraphDocument } from "../src/pulumi/state-form";

/** The desired object one wslpolicy resource stands for, or undefined for any other resource. */
export function desiredObjectOf(
  resource: Pick<ResourceValidationArgs | PolicyResource, "type" | "name" | "props">,
): { stack: string; object: DesiredObject } | undefined {
  const kind = kindOfTypeToken(resource.type);
  if (!kind) return undefined;
  const props = resource.props as {
    stack?: string;
    policyId?: string;
    adoptId?: string;
    document?: JsonObject;
    policy?: { sourceFile?: string; intents?: AssignmentIntent[]; provides?: "intuneWslPlugin" };
  };
  const document = toGraphDocument(kind, props.document ?? {});
  const displayName =
    typeof document.name === "string"
      ? document.name
      : typeof document.displayName === "string"
        ? document.displayName
        : resource.name;
  return {
    stack: props.stack ?? "",
    object: {
      kind,
      policyId: props.policyId ?? resource.name,
      resourceName: resource.name,
      displayName,
      sourceFile: props.policy?.sourceFile ?? "",
      ...(props.adoptId ? { adoptId: props.adoptId } : {}),
      document,
      assignments: props.policy?.intents ?? [],
      ...(props.policy?.provides ? { provides: props.policy.provides } : {}),
    },
  };
}

/** The stack's desired state, rebuilt from its wslpolicy resources. */
export function desiredStateOf(resources: readonly Pick<PolicyResource, "type" | "name" | "props">[]): DesiredState {
  return stateOf(resources.flatMap((r) => desiredObjectOf(r) ?? []));
}

function stateOf(found: readonly { stack: string; object: DesiredObject }[]): DesiredState {
  return { stack: found[0]?.stack ?? "", objects: found.map((r) => r.object), rings: [] };
}

function policyFor(rule: GuardrailRule): StackValidationPolicy {
  return {
    name: `wslpolicy-${rule.id}`,
    description: rule.rationale,
    enforcementLevel: rule.defaultSeverity === "error" ? "mandatory" : "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      // Each resource is rebuilt once, and remembered with its URN to report findings against.
      const found = args.resources.flatMap((r) => {
        const d = desiredObjectOf(r);
        return d ? [{ ...d, urn: r.urn }] : [];
      });
      const byPolicy = new Map(found.map((f) => [f.object.policyId, f]));
      for (const finding of rule.check(stateOf(found))) {
        const owner = byPolicy.get(finding.policyId);
        const file = owner?.object.sourceFile;
        reportViolation(
          `${file ? `${file}: ` : ""}${finding.path ? `${finding.path}: ` : ""}${finding.message}`,
          owner?.urn,
        );
      }
    },
  };
}

export const policies: StackValidationPolicy[] = GUARDRAIL_RULES.map(policyFor);
