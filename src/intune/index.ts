// Intune's own rules that every stage applies the same way: how assignment intents resolve to Graph
// bodies and compare as a set, when two target sets reach the same devices, how settings are addressed by
// path. Compile, diff, import and the Pulumi providers import them from here, not from each other.
export * from "./assignments";
export * from "./target-overlap";
export * from "./conflict-groups";
export * from "./setting-paths";
export * from "./assignment-target";
export * from "./defender-plugin";
export * from "./script-content";
export * from "./script-secrets";
