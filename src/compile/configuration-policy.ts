// The whole `deviceManagement/configurationPolicies` body for a plain Settings Catalog policy, ready for
// POST/PUT: no top-level `@odata.type`
// (one report of a 400 with it), `templateReference.templateId: ""` for a non-template policy, and the
// description carrying the ownership marker. A policy made from an Endpoint security template sends that
// template's id instead; the service fills in its family, display name and version.
import type { JsonObject } from "../model";

export interface ConfigurationPolicyInput {
  name: string;
  /** Description with the ownership marker already appended. */
  description: string;
  technologies: string;
  roleScopeTagIds: readonly string[];
  settings: JsonObject[];
  /** The Endpoint security template the policy is made from; none for a plain Settings Catalog policy. */
  templateId?: string;
}

export function configurationPolicyDocument(input: ConfigurationPolicyInput): JsonObject {
  return {
    name: input.name,
    description: input.description,
    platforms: "windows10",
    technologies: input.technologies,
    roleScopeTagIds: [...input.roleScopeTagIds],
    templateReference: { templateId: input.templateId ?? "" },
    settings: input.settings,
  };
}
