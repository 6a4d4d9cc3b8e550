// The Graph client stage: one client (SDK + credential + budget + retries + $batch) for everything that
// reads or writes a tenant, and the errors it raises. `src/tenant/` builds on it.
export * from "./client";
export * from "./batch";
export * from "./budget";
export * from "./credentials";
export * from "./errors";
export * from "./retry";
