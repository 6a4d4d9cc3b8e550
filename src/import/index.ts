// The import stage: tenant objects → policy files (import-tenant.ts).
export * from "./import-tenant";
