// The Pulumi layer of wslpolicy (`wslpolicy/pulumi`): the Intune dynamic resources, the ring groups and the
// program that declares a whole stack. The dynamic-provider host loads `operations` from here (providers.ts).
import * as operations from "./operations";

export { operations };
export * from "./resource-inputs";
export * from "./state-form";
export { providers } from "./providers";
export { IntuneObject, type IntuneObjectArgs } from "./resources";
