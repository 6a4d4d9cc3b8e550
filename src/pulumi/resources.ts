// The Intune objects as Pulumi resources: one dynamic resource class per kind, each backed by the shared
// provider object of that kind (providers.ts). Type tokens are `pulumi-nodejs:dynamic/wslpolicy:<Type>`,
// so URNs and the CrossGuard pack can tell them apart (docs/pulumi.md).
import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "../config";
import type { AssignmentIntent, JsonObject, ObjectKind } from "../model";
import { providers } from "./providers";
import { KINDS } from "../kinds";
import { RESOURCE_MODULE } from "./resource-inputs";

export interface IntuneObjectArgs {
  stack: pulumi.Input<string>;
  policyId: pulumi.Input<string>;
  tenant: pulumi.Input<string>;
  cloud?: pulumi.Input<CloudName>;
  graphEndpoint: pulumi.Input<string>;
  adoptId?: pulumi.Input<string>;
  policy: pulumi.Input<{ sourceFile: string; intents: AssignmentIntent[]; provides?: "intuneWslPlugin" }>;
  /** The compiled Graph document in state form (state-form.ts). */
  document: pulumi.Input<JsonObject>;
  /** Assignment bodies by set key, with real group ids (state-form.ts). */
  assignments: pulumi.Input<Record<string, pulumi.Input<JsonObject>>>;
  /** Win32 apps: the MSI to upload as content (resource-inputs.ts). */
  content?: pulumi.Input<{ msi: string; sha256: string }>;
}

/** An Intune object wslpolicy manages: the Graph document plus its full assignment list. */
export class IntuneObject extends pulumi.dynamic.Resource {
  // `declare`, never `!`: with ES2022 class fields `!` would reset the outputs after super() (https://www.typescriptlang.org/tsconfig/#useDefineForClassFields).
  declare readonly kind: pulumi.Output<ObjectKind>;
  declare readonly stack: pulumi.Output<string>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly document: pulumi.Output<JsonObject>;
  declare readonly assignments: pulumi.Output<Record<string, JsonObject>>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(kind: ObjectKind, name: string, args: IntuneObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers[kind], name, { kind, adopted: undefined, ...args }, opts, RESOURCE_MODULE, KINDS[kind].pulumiType);
  }
}
