// The one way compiled documents become bytes. Keys are NOT sorted: Graph documents read better in their
// natural order, so every builder in src/compile constructs objects with a fixed key order instead, and
// this stringify only fixes the layout (2-space indent, trailing newline). Same input → same bytes.

/** JSON with a 2-space indent and a trailing newline; key order is the construction order. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
