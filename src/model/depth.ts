// A bound on how deeply data read from outside (a snapshot file, a tenant's answers) may nest. The schemas
// and the normaliser recurse into nested settings, and without a bound a hostile document ends the run
// with "Maximum call stack size exceeded" instead of an error naming where it went wrong (issue 12).
// The check itself walks with an explicit stack, so it cannot overflow.

/** Real documents nest under 20 levels (the demo tenant: 18; a Hyper-V firewall policy: 16). */
export const MAX_DOCUMENT_DEPTH = 100;

interface Frame {
  value: object;
  depth: number;
  key: string | number;
  parent: Frame | undefined;
}

/** The path of the first value nested deeper than `max` levels, or undefined when there is none. */
export function tooDeepAt(value: unknown, max: number = MAX_DOCUMENT_DEPTH): (string | number)[] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  // Each frame links to its parent, so the path is only built for the value that is too deep (a tenant
  // read checks every setting: copying a path per node was most of the check's time).
  const stack: Frame[] = [{ value, depth: 0, key: "", parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= max) return pathOf(frame);
    const current = frame.value as Record<string, unknown>;
    const depth = frame.depth + 1;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const v: unknown = current[i];
        if (v !== null && typeof v === "object") stack.push({ value: v, depth, key: i, parent: frame });
      }
    } else {
      for (const k of Object.keys(current)) {
        const v = current[k];
        if (v !== null && typeof v === "object") stack.push({ value: v, depth, key: k, parent: frame });
      }
    }
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.push(f.key);
  return path.reverse();
}

/** `a.b[0].c`, for messages. */
export function formatDataPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(root)";
}
