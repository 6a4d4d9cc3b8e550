// Stack configuration: the `wslpolicy:` keys of stacks/Pulumi.<stack>.yaml.
export * from "./stack-config";
