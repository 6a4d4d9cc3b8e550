// The inputs (and, with `adopted`, the outputs) of the Intune dynamic resources: plain JSON, so they
// survive the gRPC Struct round trip and can be read back from state by `read`/`delete` alone. They name
// the object (stack, policy id: the ownership marker), carry the compiled Graph document and the resolved
// assignment bodies, and the Graph endpoint. Never credentials: providers build those from the
// environment at call time (docs/pulumi.md, "What Pulumi stores"): Pulumi keeps inputs in state, and the
// dynamic-provider host does not accept secrets.
import type { CloudName } from "../config";
import { kindOfPulumiType, KINDS } from "../kinds";
import type { AssignmentIntent, DesiredObject, JsonObject, ObjectKind } from "../model";

export interface IntuneObjectInputs {
  kind: ObjectKind;
  stack: string;
  policyId: string;
  /** `emulator`, or the Entra tenant id the credential is for (stack config `wslpolicy:tenant`). */
  tenant: string;
  /**
   * The national cloud of the tenant (stack config `wslpolicy:cloud`): it picks the token authority and
   * scope. Absent in state written before it existed, which means `global`.
   */
  cloud?: CloudName;
  /** Graph base URL (stack config `wslpolicy:graphEndpoint`, or the cloud's Graph host). */
  graphEndpoint: string;
  /** An existing object the policy takes over instead of creating one (brownfield adoption). */
  adoptId?: string;
  /** The whole Graph document, in state form (see state-form.ts). */
  document: JsonObject;
  /**
   * What the policy file said, for the CrossGuard pack (policy-pack/) to rebuild the desired state and run
   * the guardrails: the assignment intents (ring, exclusion, `broad`) that the bodies no longer show.
   * Not compared by `diff`: it never changes the Graph object.
   */
  policy: { sourceFile: string; intents: AssignmentIntent[]; provides?: "intuneWslPlugin" };
  /** Assignment bodies by set key (see state-form.ts), with real group ids. */
  assignments: Record<string, JsonObject>;
  /**
   * Win32 apps: the MSI (absolute path) whose package must be the committed content, pinned by SHA-256.
   * Not compared by `diff`: a new file shows as the document's `notes` changing.
   */
  content?: { msi: string; sha256: string };
}

export interface IntuneObjectOutputs extends IntuneObjectInputs {
  /** True when create took over an existing object (marker or `adoptId`) instead of creating one. */
  adopted: boolean;
}

/** Keys of the inputs a provider accepts; anything else in `news` is a program bug. */
export const INPUT_KEYS = [
  "kind",
  "stack",
  "policyId",
  "tenant",
  "cloud",
  "graphEndpoint",
  "adoptId",
  "policy",
  "document",
  "assignments",
  "content",
] as const;

/** Property names the engine adds to dynamic inputs and outputs. */
export const PROVIDER_KEY = "__provider";

/** Type tokens: `pulumi-nodejs:dynamic/wslpolicy:<Type>` (docs/pulumi.md), readable in URNs and policy packs. */
export const RESOURCE_MODULE = "wslpolicy";
const TOKEN_PREFIX = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:`;
export function resourceTypeToken(kind: ObjectKind): string {
  return `${TOKEN_PREFIX}${KINDS[kind].pulumiType}`;
}
export function kindOfTypeToken(type: string): ObjectKind | undefined {
  return type.startsWith(TOKEN_PREFIX) ? kindOfPulumiType(type.slice(TOKEN_PREFIX.length)) : undefined;
}

/** The `policy` input: what the policy file said that the Graph bodies no longer show (see `IntuneObjectInputs`). */
export function policyRecord(obj: DesiredObject): IntuneObjectInputs["policy"] {
  return { sourceFile: obj.sourceFile, intents: obj.assignments, ...(obj.provides ? { provides: obj.provides } : {}) };
}
