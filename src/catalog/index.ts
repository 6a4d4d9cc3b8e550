// The pinned Settings Catalog: definitions shipped with the package, and the typed view over them.
export { Catalog, pinnedCatalog, type SimpleValueType } from "./catalog";
export {
  DEFINITION_TYPES,
  definitionKind,
  type DefinitionKind,
  type SettingDefinition,
  type SettingOption,
} from "./definition";
export * as settingIds from "./setting-ids";
export {
  HYPERV_TEMPLATES,
  hyperVFirewallRulesTemplate,
  hyperVTemplate,
  windowsFirewallTemplate,
  type EndpointSecurityTemplate,
} from "./endpoint-security-templates";
