// The diff stage: the one canonical normaliser, the object diff, conflicts with the tenant, risks, and the
// plan and drift documents (plan-schema.ts is their versioned contract).
export * from "./canonical-value";
export * from "./normalise";
export * from "./labels";
export * from "./diff-object";
export * from "./conflicts";
export * from "./risks";
export * from "./plan-schema";
export * from "./plan";
export * from "./needed-settings";
export * from "./drift";
