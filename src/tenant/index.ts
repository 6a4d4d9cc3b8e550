// The tenant stage: read the live state a plan needs (Graph or emulator) into a snapshot, read and write
// snapshot files, open the tenant a stack names, and write managed objects. Built on src/graph/.
export * from "./read";
export * from "./snapshot-file";
export * from "./connect";
export * from "./writer";
export * from "./storage-client";
export * from "./app-upload";
export * from "./app-content-sync";
export * from "./app-status-report";
export * from "./script-runs";
