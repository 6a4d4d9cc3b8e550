// The one test for "a JSON object" (not null, not an array) that every stage uses on Graph payloads.

export function isRecord<T = unknown>(value: unknown): value is Record<string, T> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON object not yet checked against a schema: a Graph payload, a tenant object, Pulumi props. Checked
 * shapes are zod types; JSON built by the tool is `JsonObject`.
 */
export type UnknownRecord = Record<string, unknown>;
