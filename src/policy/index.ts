// The policy language: the authoring functions, the zod schemas that are the types of policy files, and
// their error messages. The loader (loader.ts) is this stage's file-system edge and is imported by path.
export * from "./builders";
export * from "./model";
export * from "./compliance-rules";
export * from "./targets";
export * from "./issues";
