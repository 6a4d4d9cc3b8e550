// A small OData `$filter` parser and evaluator covering the forms real clients send to the Intune and
// groups endpoints: eq/ne/gt/ge/lt/le, `has` on flag enums,
// `in (…)`, contains/startswith/endswith, isof, not/and/or and parentheses, property paths with `/`.
// String comparisons are case-insensitive, as on the directory and Intune services.
import { badRequest } from "./errors";

type Literal = string | number | boolean | null;
type Node =
  | { t: "cmp"; op: string; left: Operand; right: Operand }
  | { t: "in"; left: Operand; list: Literal[] }
  | { t: "fn"; name: string; args: Operand[] }
  | { t: "not"; e: Node }
  | { t: "and" | "or"; a: Node; b: Node };
type Operand = { t: "prop"; path: string[] } | { t: "lit"; v: Literal } | { t: "call"; node: Node };

interface Token {
  k: "str" | "num" | "id" | "(" | ")" | ",";
  v: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      out.push({ k: c, v: c });
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw badRequest(`Invalid filter clause: unterminated string literal in '${src}'.`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i];
        i++;
      }
      out.push({ k: "str", v: s });
    } else if (/[-0-9]/.test(c) && /^-?\d/.test(src.slice(i))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ k: "num", v: m[0] });
      i += m[0].length;
    } else {
      const m = /^[A-Za-z_@#.$][A-Za-z0-9_@#./$]*/.exec(src.slice(i));
      if (!m) throw badRequest(`Invalid filter clause: syntax error at position ${i} in '${src}'.`);
      out.push({ k: "id", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "has"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith", "isof", "tolower", "toupper"]);

class Parser {
  private i = 0;
  /** Every property path the filter names (first segment checked against the entity type). */
  readonly properties: string[][] = [];
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
  ) {}

  parse(): Node {
    const e = this.or();
    if (this.i < this.toks.length) this.fail();
    return e;
  }

  private fail(): never {
    throw badRequest(`Invalid filter clause: syntax error at position ${this.i} in '${this.src}'.`);
  }
  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t?.k === "id" && t.v.toLowerCase() === w;
  }
  private expect(k: Token["k"]): Token {
    const t = this.toks[this.i];
    if (!t || t.k !== k) this.fail();
    this.i++;
    return t;
  }

  private or(): Node {
    let a = this.and();
    while (this.isWord("or")) {
      this.i++;
      a = { t: "or", a, b: this.and() };
    }
    return a;
  }
  private and(): Node {
    let a = this.unary();
    while (this.isWord("and")) {
      this.i++;
      a = { t: "and", a, b: this.unary() };
    }
    return a;
  }
  private unary(): Node {
    if (this.isWord("not")) {
      this.i++;
      return { t: "not", e: this.unary() };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const t = this.peek();
    if (t?.k === "(") {
      this.i++;
      const e = this.or();
      this.expect(")");
      return e;
    }
    const left = this.operand();
    const opTok = this.peek();
    if (opTok?.k === "id" && COMPARISONS.has(opTok.v.toLowerCase())) {
      this.i++;
      return { t: "cmp", op: opTok.v.toLowerCase(), left, right: this.operand() };
    }
    if (opTok?.k === "id" && opTok.v.toLowerCase() === "in") {
      this.i++;
      this.expect("(");
      const list: Literal[] = [];
      while (this.peek()?.k !== ")") {
        const o = this.operand();
        if (o.t !== "lit") this.fail();
        list.push(o.v);
        if (this.peek()?.k === ",") this.i++;
      }
      this.expect(")");
      return { t: "in", left, list };
    }
    if (left.t === "call") return left.node;
    this.fail();
  }
  private operand(): Operand {
    const t = this.peek();
    if (!t) this.fail();
    this.i++;
    if (t.k === "str") return { t: "lit", v: t.v };
    if (t.k === "num") return { t: "lit", v: Number(t.v) };
    if (t.k !== "id") this.fail();
    const low = t.v.toLowerCase();
    if (low === "true" || low === "false") return { t: "lit", v: low === "true" };
    if (low === "null") return { t: "lit", v: null };
    if (this.peek()?.k === "(" && FUNCTIONS.has(low)) {
      this.i++;
      const args: Operand[] = [];
      while (this.peek()?.k !== ")") {
        args.push(this.operand());
        if (this.peek()?.k === ",") this.i++;
      }
      this.expect(")");
      return { t: "call", node: { t: "fn", name: low, args } };
    }
    const path = t.v.split("/");
    this.properties.push(path);
    return { t: "prop", path };
  }
}

export type FilterPredicate = (item: Record<string, unknown>) => boolean;

/** The type a filter's properties must belong to: OData refuses a property the type does not declare. */
export interface FilterType {
  name: string;
  properties: readonly string[];
}

export function parseFilter(src: string, type?: FilterType): FilterPredicate {
  const parser = new Parser(tokenize(src), src);
  const node = parser.parse();
  for (const [first] of parser.properties) {
    if (type && first !== undefined && !type.properties.includes(first)) {
      throw badRequest(`Could not find a property named '${first}' on type '${type.name}'.`);
    }
  }
  return (item) => truthy(evalNode(node, item));
}

function truthy(v: unknown): boolean {
  return v === true;
}

/** The value at a property path (`a/b` split on `/`), or undefined where the path leaves the object. */
export function resolve(item: unknown, path: string[]): unknown {
  let cur: unknown = item;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function value(o: Operand, item: Record<string, unknown>): unknown {
  if (o.t === "lit") return o.v;
  if (o.t === "prop") return resolve(item, o.path);
  return evalNode(o.node, item);
}

/** Strings compare case-insensitively, as on the directory and Intune services. */
export const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);

function evalNode(n: Node, item: Record<string, unknown>): unknown {
  switch (n.t) {
    case "and":
      return truthy(evalNode(n.a, item)) && truthy(evalNode(n.b, item));
    case "or":
      return truthy(evalNode(n.a, item)) || truthy(evalNode(n.b, item));
    case "not":
      return !truthy(evalNode(n.e, item));
    case "in": {
      const v = norm(value(n.left, item));
      return n.list.some((x) => norm(x) === v);
    }
    case "cmp": {
      const l = value(n.left, item);
      const r = value(n.right, item);
      if (n.op === "has") {
        // flags enums are comma-separated strings
        return (
          typeof l === "string" &&
          typeof r === "string" &&
          l
            .toLowerCase()
            .split(",")
            .map((s) => s.trim())
            .includes(r.toLowerCase())
        );
      }
      const a = norm(l ?? null);
      const b = norm(r ?? null);
      switch (n.op) {
        case "eq":
          return Array.isArray(a) ? false : a === b;
        case "ne":
          return a !== b;
        case "gt":
          return a !== null && b !== null && (a as number) > (b as number);
        case "ge":
          return a !== null && b !== null && (a as number) >= (b as number);
        case "lt":
          return a !== null && b !== null && (a as number) < (b as number);
        case "le":
          return a !== null && b !== null && (a as number) <= (b as number);
      }
      return false;
    }
    case "fn": {
      const args = n.args.map((a) => value(a, item));
      const [x, y] = args;
      switch (n.name) {
        case "contains":
          return typeof x === "string" && typeof y === "string" && x.toLowerCase().includes(y.toLowerCase());
        case "startswith":
          return typeof x === "string" && typeof y === "string" && x.toLowerCase().startsWith(y.toLowerCase());
        case "endswith":
          return typeof x === "string" && typeof y === "string" && x.toLowerCase().endsWith(y.toLowerCase());
        case "tolower":
          return typeof x === "string" ? x.toLowerCase() : x;
        case "toupper":
          return typeof x === "string" ? x.toUpperCase() : x;
        case "isof": {
          const type = args.length === 1 ? x : y;
          const own = item["@odata.type"];
          return (
            typeof type === "string" &&
            typeof own === "string" &&
            own.replace(/^#/, "").toLowerCase() === type.replace(/^#/, "").toLowerCase()
          );
        }
      }
      return false;
    }
  }
}
