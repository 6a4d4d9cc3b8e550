// The one test for "a JSON object" (not null, not an array) that every stage uses on Graph payloads.

export function isRecord<T = unknown>(value: unknown): value is Record<string, T> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
