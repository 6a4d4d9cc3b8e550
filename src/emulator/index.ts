// The local Graph emulator (start.ts starts it; see README.md).
export { FaultInjector, type FaultRule, type FaultKind } from "./faults";
export { parseFaultRules, faultFileSchema } from "./fault-file";
export { ADMIN_FAULTS_PATH } from "./server";
export { RequestLog, type RequestLogEntry, type RequestLogFilter } from "./request-log";
export { EmulatorState, type InstallState, INTERNAL_KEY } from "./state";
export { setScriptDeviceState, type ScriptDeviceStateInput } from "./routes/script-run-states";
export { ALL_ROLES } from "./auth";
export { LIMITS, IDENTITY_LIMITS, type ThrottleLimits } from "./throttling";
export { MAX_BATCH_REQUESTS } from "./batch";
export * from "./start";
