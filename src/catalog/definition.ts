// The shape of a pinned Settings Catalog definition (Graph `deviceManagementConfigurationSettingDefinition`
// and its subtypes), as stored in ./definitions. Only the fields the compiler, validator and reports use
// are typed; the files keep everything Graph returned.
import { z } from "zod";

export const DEFINITION_TYPES = {
  choice: "#microsoft.graph.deviceManagementConfigurationChoiceSettingDefinition",
  choiceCollection: "#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionDefinition",
  simple: "#microsoft.graph.deviceManagementConfigurationSimpleSettingDefinition",
  simpleCollection: "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionDefinition",
  groupCollection: "#microsoft.graph.deviceManagementConfigurationSettingGroupCollectionDefinition",
} as const;

export type DefinitionKind = keyof typeof DEFINITION_TYPES;

const dependency = z.object({ dependedOnBy: z.string(), required: z.boolean() });

export const settingDefinitionSchema = z.looseObject({
  "@odata.type": z.enum(Object.values(DEFINITION_TYPES) as [string, ...string[]]),
  id: z.string(),
  name: z.string(),
  // null on the two `…_firewallrulename` instance-name definitions in the real data
  displayName: z.string().nullable(),
  description: z.string().optional(),
  categoryId: z.string(),
  baseUri: z.string(),
  offsetUri: z.string(),
  rootDefinitionId: z.string(),
  defaultOptionId: z.string().optional(),
  applicability: z.looseObject({ platform: z.string(), technologies: z.string() }),
  dependedOnBy: z.array(dependency).optional(),
  options: z
    .array(z.object({ itemId: z.string(), displayName: z.string(), dependedOnBy: z.array(dependency).optional() }))
    .optional(),
});

export type SettingDefinition = z.infer<typeof settingDefinitionSchema>;
export type SettingOption = NonNullable<SettingDefinition["options"]>[number];

export function definitionKind(def: SettingDefinition): DefinitionKind {
  for (const [kind, type] of Object.entries(DEFINITION_TYPES)) {
    if (def["@odata.type"] === type) return kind as DefinitionKind;
  }
  throw new Error(`unknown definition type ${def["@odata.type"]} for ${def.id}`);
}
