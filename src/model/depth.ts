// A bound on how deeply data read from outside (a snapshot file, a tenant's answers) may nest. The schemas
// and the normaliser recurse into nested settings, and without a bound a hostile document ends the run
// with "Maximum call stack size exceeded" instead of an error naming where it went wrong (issue 12).
// The check itself walks with an explicit stack, so it cannot overflow.

/** Real documents nest under 20 levels (the demo tenant: 18; a Hyper-V firewall policy: 16). */
export const MAX_DOCUMENT_DEPTH = 100;

/** The path of the first value nested deeper than `max` levels, or undefined when there is none. */
export function tooDeepAt(value: unknown, max: number = MAX_DOCUMENT_DEPTH): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (path.length >= max) return path;
    if (Array.isArray(current)) current.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else for (const [k, v] of Object.entries(current)) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}

/** `a.b[0].c`, for messages. */
export function formatDataPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(root)";
}
