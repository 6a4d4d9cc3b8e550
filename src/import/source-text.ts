// Renders an imported policy as TypeScript source, formatted like the hand-written files in policies/:
// two-space indent, unquoted keys, double-quoted strings, short lists and small objects on one line.
// Deterministic: the same value always renders to the same bytes (keys keep the order they were built in).

/** A value that renders as code (`group("Kiosk Devices")`, `allDevices`) and stands for `value` when validated. */
export class Expr {
  constructor(
    readonly code: string,
    readonly value: unknown,
  ) {}
}

/** Source values: JSON-like data with `Expr` leaves. `undefined` members are left out. */
export type SourceValue =
  string | number | boolean | null | undefined | Expr | SourceValue[] | { [key: string]: SourceValue };

/** The plain data a source value evaluates to (what the policy file's builder call receives). */
export function evaluate(value: SourceValue): unknown {
  if (value instanceof Expr) return value.value;
  if (Array.isArray(value)) return value.map(evaluate);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = evaluate(v);
    return out;
  }
  return value;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INLINE_WIDTH = 120;

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

function entries(value: { [key: string]: SourceValue }): [string, SourceValue][] {
  return Object.entries(value).filter((e): e is [string, SourceValue] => e[1] !== undefined);
}

function isContainer(value: SourceValue): value is SourceValue[] | { [key: string]: SourceValue } {
  return value !== null && typeof value === "object" && !(value instanceof Expr);
}

/** One-line form, or undefined when the value holds a nested container that has containers itself. */
function inline(value: SourceValue, depth = 0): string | undefined {
  if (value instanceof Expr) return value.code;
  if (!isContainer(value)) return value === undefined ? "undefined" : JSON.stringify(value);
  if (depth > 1) return undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = inline(item, depth + 1);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(", ")}]`;
  }
  for (const [k, v] of entries(value)) {
    const text = inline(v, depth + 1);
    if (text === undefined) return undefined;
    parts.push(`${key(k)}: ${text}`);
  }
  return parts.length ? `{ ${parts.join(", ")} }` : "{}";
}

/** Renders `value` starting at `indent` spaces; `forceBlock` keeps the top level multi-line. */
export function renderValue(value: SourceValue, indent = 0, forceBlock = false, prefixWidth = 0): string {
  const one = inline(value);
  if (one !== undefined && !(forceBlock && isContainer(value)) && indent + prefixWidth + one.length <= INLINE_WIDTH)
    return one;
  if (!isContainer(value)) return one ?? "undefined";
  const pad = " ".repeat(indent + 2);
  if (Array.isArray(value)) {
    const lines = value.map((item) => `${pad}${renderValue(item, indent + 2)},`);
    return `[\n${lines.join("\n")}\n${" ".repeat(indent)}]`;
  }
  const lines = entries(value).map(
    ([k, v]) => `${pad}${key(k)}: ${renderValue(v, indent + 2, false, key(k).length + 2)},`,
  );
  return `{\n${lines.join("\n")}\n${" ".repeat(indent)}}`;
}

/** A comment block, each line prefixed with `// `, wrapped at about 110 columns. */
export function commentLines(text: string, width = 110): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width - 3) {
        out.push(`// ${line}`);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line ? `// ${line}` : "//");
  }
  return out;
}

export interface PolicySourceInput {
  /** Header comment text (paragraphs separated by newlines). */
  header: string;
  /** Builder function the policy is made with (`wslPolicy`, …). */
  builder: string;
  exportName: string;
  /** The builder's argument. */
  body: { [key: string]: SourceValue };
}

/** Names the file imports from "wslpolicy": the builder plus every helper the body's expressions call. */
function importsOf(builder: string, body: SourceValue): string[] {
  const names = new Set<string>([builder]);
  const walk = (v: SourceValue) => {
    if (v instanceof Expr) {
      const m = /^([A-Za-z_$][A-Za-z0-9_$]*)/.exec(v.code);
      if (m) names.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isContainer(v)) Object.values(v).forEach(walk);
  };
  walk(body);
  return [...names].sort();
}

export function policySource(input: PolicySourceInput): string {
  const lines = [
    ...commentLines(input.header),
    `import { ${importsOf(input.builder, input.body).join(", ")} } from "wslpolicy";`,
    "",
    `export const ${input.exportName} = ${input.builder}(${renderValue(input.body, 0, true)});`,
  ];
  return `${lines.join("\n")}\n`;
}
