// Copies a value a policy file exported into plain data (strings, numbers, booleans, null, arrays and
// plain objects), the only thing that leaves the process policy files run in. Everything that could run
// code or never end while it is read is an error at its path instead: a getter or Proxy trap that throws,
// a function, a class instance, nesting deeper than the limit (which also catches cycles).

/** How deep an exported value may nest; real policies stay under 15 levels (settings with children and groups). */
export const MAX_POLICY_DEPTH = 64;

export type PlainData = string | number | boolean | null | undefined | PlainData[] | { [key: string]: PlainData };

export interface PlainDataProblem {
  /** Segments below the export, as zod issue paths are. */
  path: (string | number)[];
  message: string;
}

export type PlainDataResult = { ok: true; value: PlainData } | { ok: false; problem: PlainDataProblem };

class NotPlainData extends Error {
  constructor(
    readonly at: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** A copy of `value` as plain data, or the first path at which it is not. */
export function toPlainData(value: unknown, maxDepth: number = MAX_POLICY_DEPTH): PlainDataResult {
  try {
    return { ok: true, value: copy(value, [], maxDepth) };
  } catch (err) {
    if (err instanceof NotPlainData) return { ok: false, problem: { path: err.at, message: err.message } };
    return { ok: false, problem: { path: [], message: `reading it threw: ${describeError(err)}` } };
  }
}

function copy(value: unknown, at: (string | number)[], maxDepth: number): PlainData {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "function":
      throw new NotPlainData(at, "is a function; policy files must export data");
    case "bigint":
    case "symbol":
      throw new NotPlainData(at, `is a ${typeof value}; policy files must export data`);
  }
  if (value === null) return null;
  if (at.length >= maxDepth)
    throw new NotPlainData(at, `is nested deeper than ${maxDepth} levels (a cycle, or data that is not a policy)`);
  const source = value as object;
  if (guard(at, "checking whether it is an array", () => Array.isArray(source))) {
    const array = source as unknown[];
    const length = guard(at, "reading its length", () => array.length);
    const out: PlainData[] = [];
    for (let i = 0; i < length; i++)
      out.push(
        copy(
          guard([...at, i], "reading it", () => array[i]),
          [...at, i],
          maxDepth,
        ),
      );
    return out;
  }
  const proto = guard(at, "reading its prototype", () => Object.getPrototypeOf(source) as unknown);
  if (proto !== Object.prototype && proto !== null) {
    const name = guard(
      at,
      "reading its class",
      () => (source as { constructor?: { name?: unknown } }).constructor?.name,
    );
    throw new NotPlainData(
      at,
      `is a ${typeof name === "string" && name ? name : "class instance"}, not a plain object; policy files must export data`,
    );
  }
  const keys = guard(at, "listing its keys", () => Object.keys(source));
  const out: { [key: string]: PlainData } = {};
  for (const key of keys) {
    const child = guard([...at, key], "reading it", () => (source as Record<string, unknown>)[key]);
    out[key] = copy(child, [...at, key], maxDepth);
  }
  return out;
}

/** Runs one read of author code (a getter, a Proxy trap); a throw becomes an error at `at`. */
function guard<T>(at: (string | number)[], doing: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof NotPlainData) throw err;
    throw new NotPlainData(at, `${doing} threw: ${describeError(err)}`);
  }
}

function describeError(err: unknown): string {
  try {
    return err instanceof Error ? String(err.message) : String(err);
  } catch {
    return "a value that cannot be printed";
  }
}
