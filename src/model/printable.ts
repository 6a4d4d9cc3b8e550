// Tenant and snapshot strings are data, and a terminal treats some characters as commands: ESC starts a
// sequence that can set the window title or clear the screen (ECMA-48), a carriage return or line
// break lets a name forge a report line, and bidirectional overrides reorder what is shown (Unicode
// TR #9; CVE-2021-42574). `printable` makes such a string safe to print on one line; `printableDeep`
// does it to every string of a JSON-like value (a Plan before the text renderer lays it out).

// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /(?:\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029])+/g;
// C0 controls (tab and the line breaks above are handled on their own), DEL, C1 controls, the
// bidirectional embeddings, overrides, isolates and marks, the zero-width space and the BOM (they hide text).
const CONTROLS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `text` with line breaks shown as ` ⏎ `, a tab as `\t` and every other control or bidi character as `\u{…}`. */
export function printable(text: string): string {
  return text
    .replace(LINE_BREAKS, " ⏎ ")
    .replace(/\t/g, "\\t")
    .replace(CONTROLS, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).padStart(4, "0")}}`);
}

/** A copy of `value` with `printable` applied to every string in it (object keys included). */
export function printableDeep<T>(value: T): T {
  return mapStrings(value) as T;
}

function mapStrings(value: unknown): unknown {
  if (typeof value === "string") return printable(value);
  if (Array.isArray(value)) return value.map(mapStrings);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[printable(k)] = mapStrings(v);
    return out;
  }
  return value;
}
