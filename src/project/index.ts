// A policies directory built into the desired state (load, validate, compile), as every command needs it.
export * from "./build";
export { readPackagesIn } from "./packages";
export * from "./secrets";
