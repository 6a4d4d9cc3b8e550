// The renderers of the Plan/Drift model: text, markdown and json (render.ts picks one by format).
export { EMULATOR_NOTICE, summaryLine } from "./wording";
export * from "./render";
export * from "./script-status";
