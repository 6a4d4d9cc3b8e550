// Shared data model at the bottom of the pipeline: Graph document schemas, the tenant snapshot format,
// the compiler's desired state and the ownership marker. Every stage imports from here; this imports
// nothing of the project.
export * from "./odata";
export * from "./graph-documents";
export * from "./script-documents";
export * from "./snapshot";
export * from "./marker";
export * from "./desired-state";
export * from "./diagnostic";
export * from "./guid";
export * from "./order";
export * from "./records";
export * from "./tenant-ref";
export * from "./printable";
export * from "./depth";
export * from "./package-facts";
export * from "./intune-services";
