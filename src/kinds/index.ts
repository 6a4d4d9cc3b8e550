// The object kinds wslpolicy manages, one descriptor each (see kind-spec.ts).
export * from "./kind-spec";
export * from "./kinds";
export { configurationPolicyKind } from "./configuration-policy";
export { compliancePolicyKind } from "./compliance-policy";
export { win32AppKind } from "./win32-app";
export { deviceManagementScriptKind } from "./device-management-script";
export { deviceHealthScriptKind } from "./device-health-script";
