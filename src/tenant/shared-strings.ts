// One copy of each repeated string in what a read keeps. JSON.parse gives every string value of every
// response its own copy, and a tenant repeats the same few thousand strings hundreds of thousands of times
// (each setting's `@odata.type`, definition id and choice value, each assignment's target type and group
// id): at 10,000 policies × 20 settings those copies were about a third of the snapshot's heap (issue 15).
// Strings are immutable, so sharing one copy changes no value the plan or a snapshot file sees.

/** Strings longer than this are rarely repeated (scripts, descriptions) and are left as they are. */
const MAX_SHARED_LENGTH = 256;

export type SharedStrings = Map<string, string>;

/** Replaces, in place, every string in `value` (at any depth) by the first equal one `table` has seen. */
export function shareStrings<T>(value: T, table: SharedStrings): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = shareValue(value[i], table);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = shareValue(record[key], table);
  }
  return value;
}

function shareValue(value: unknown, table: SharedStrings): unknown {
  if (typeof value !== "string")
    return typeof value === "object" && value !== null ? shareStrings(value, table) : value;
  if (value.length > MAX_SHARED_LENGTH) return value;
  const seen = table.get(value);
  if (seen !== undefined) return seen;
  table.set(value, value);
  return value;
}
