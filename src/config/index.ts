// Stack configuration (the `wslpolicy:` keys of stacks/Pulumi.<stack>.yaml) and where the package lives.
export * from "./stack-config";
export * from "./package-root";
