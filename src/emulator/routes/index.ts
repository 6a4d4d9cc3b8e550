// Every route the emulator serves (all-routes.ts).
export * from "./all-routes";
