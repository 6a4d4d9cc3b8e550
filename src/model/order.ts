// One ordering for everything wslpolicy sorts (objects, settings, assignments, keys): by UTF-16 code
// unit, not by locale, so compiled documents, reports and snapshots are byte-identical on every machine.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comparator ordering items by a text key. */
export function byText<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareText(key(a), key(b));
}
