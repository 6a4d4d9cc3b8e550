// Turns zod issues into field-level findings a policy author can act on: a path like
// `firewall.rules[1].protocol` and a message saying what was expected and what was found. Schema-level
// messages (written in model.ts / targets.ts) win; `policyErrorMap` only fills in zod's generic ones.
import type { z } from "zod";

export interface FieldIssue {
  /** Segments below the export, e.g. `["rules", 1, "protocol"]`. */
  path: PropertyKey[];
  message: string;
}

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

// The error map cannot attach data to an issue, only a message; for unknown keys it records the keys the
// object does accept in the message, under this prefix, and `flattenIssues` turns that into a suggestion.
const ALLOWED_KEYS_PREFIX = "allowed keys: ";

/** Per-parse zod error map: readable messages for zod's built-in checks (custom schema messages win). */
export function policyErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `is required (expected ${expectedPhrase(issue.expected)})`;
      return `expected ${expectedPhrase(issue.expected)}, got ${describeValue(issue.input)}`;
    case "invalid_value": {
      const values = issue.values.map(quote);
      if (values.length === 1) return `must be ${values[0]}, got ${describeValue(issue.input)}`;
      return `must be one of ${values.join(", ")}; got ${describeValue(issue.input)}`;
    }
    case "too_small":
      return sizeMessage("at least", issue.origin, issue.minimum, issue.inclusive ?? true, issue.input);
    case "too_big":
      return sizeMessage("at most", issue.origin, issue.maximum, issue.inclusive ?? true, issue.input);
    case "invalid_format":
      if (issue.format === "regex")
        return `${describeValue(issue.input)} does not have the expected format ${String(issue.pattern ?? "")}`.trim();
      return `must be a valid ${issue.format}, got ${describeValue(issue.input)}`;
    case "unrecognized_keys": {
      const shape = shapeKeys(issue.inst);
      return shape ? `${ALLOWED_KEYS_PREFIX}${shape.join(", ")}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Flattens issues (splitting unknown keys, resolving unions to the branch the author meant). */
export function flattenIssues(issues: readonly Issue[], base: PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const push = (fi: FieldIssue) => {
    const key = `${formatPath(fi.path)}\u0000${fi.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(fi);
  };
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const allowed = issue.message.startsWith(ALLOWED_KEYS_PREFIX)
        ? issue.message.slice(ALLOWED_KEYS_PREFIX.length).split(", ")
        : [];
      for (const key of issue.keys) push({ path: [...path, key], message: unknownKeyMessage(key, allowed) });
    } else if (issue.code === "invalid_union") {
      for (const fi of resolveUnion(issue, path)) push(fi);
    } else {
      push({ path, message: issue.message });
    }
  }
  return out;
}

/** `rules[1].protocol`: dots between keys, brackets around indices. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return quote(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  return "an object";
}

function quote(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : String(value);
}

function expectedPhrase(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "an integer";
    case "boolean":
      return "true or false";
    case "object":
      return "an object";
    case "array":
      return "an array";
    default:
      return expected;
  }
}

function sizeMessage(
  bound: "at least" | "at most",
  origin: string,
  limit: number | bigint,
  inclusive: boolean,
  input: unknown,
): string {
  const n = Number(limit);
  switch (origin) {
    case "string":
      if (bound === "at least" && n === 1) return "must not be empty";
      return `must be ${bound} ${n} characters long`;
    case "array":
    case "set":
      if (bound === "at least") return `needs at least ${n} item${n === 1 ? "" : "s"}`;
      return `allows at most ${n} item${n === 1 ? "" : "s"}`;
    default: {
      const phrase = inclusive ? `${bound} ${n}` : bound === "at least" ? `greater than ${n}` : `less than ${n}`;
      return `must be ${phrase}, got ${describeValue(input)}`;
    }
  }
}

function shapeKeys(inst: unknown): string[] | undefined {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : undefined;
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closest(key, allowed);
  if (suggestion) return `unknown key '${key}' (did you mean '${suggestion}'?)`;
  return allowed.length > 0 ? `unknown key '${key}' (expected one of: ${allowed.join(", ")})` : `unknown key '${key}'`;
}

function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= Math.max(1, Math.floor(name.length / 4)) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

// ---- unions ---------------------------------------------------------------------------------------

type UnionIssue = Extract<Issue, { code: "invalid_union" }>;

/**
 * A union failed. Targets are unions of `{ kind: ... }` objects: report the errors of the branch whose
 * `kind` matched (the one the author meant); when no branch accepts the kind, say which kinds are allowed.
 */
function resolveUnion(issue: UnionIssue, path: PropertyKey[]): FieldIssue[] {
  const branches = issue.errors;
  const meant = branches.filter((b) => !kindMismatch(b));
  if (meant.length > 0 && meant.length < branches.length) return flattenIssues(meant[0] ?? [], path);
  const kinds = [...new Set(branches.flatMap(expectedKinds))];
  if (kinds.length > 0) {
    const input = issue.input as { kind?: unknown } | undefined;
    const got =
      input !== null && typeof input === "object" && "kind" in input
        ? `kind ${describeValue(input.kind)}`
        : describeValue(issue.input);
    return [{ path, message: `expected a target of kind ${kinds.map(quote).join(", ")}; got ${got}` }];
  }
  if (issue.message !== "Invalid input") return [{ path, message: issue.message }];
  const alternatives = [...new Set(branches.flatMap((b) => flattenIssues(b, []).map((fi) => fi.message)))];
  return [{ path, message: alternatives.join("; or ") || "does not match any accepted form" }];
}

function kindMismatch(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) =>
      (i.code === "invalid_value" && i.path.length === 1 && i.path[0] === "kind") ||
      (i.code === "unrecognized_keys" && i.path.length === 0 && i.keys.includes("kind")) ||
      (i.code === "invalid_union" && i.path.length === 0 && i.errors.every(kindMismatch)),
  );
}

function expectedKinds(branch: readonly Issue[]): string[] {
  return branch.flatMap((i) => {
    if (i.code === "invalid_value" && i.path.length === 1 && i.path[0] === "kind") return i.values.map(String);
    if (i.code === "invalid_union" && i.path.length === 0) return i.errors.flatMap(expectedKinds);
    return [];
  });
}
