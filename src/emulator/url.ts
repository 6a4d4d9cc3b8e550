// Path parsing: percent-decoding of each segment (setting ids contain `{}` `~`) and OData
// key syntax `collection('id')` / `collection(id)` split into two segments.
import { badRequest } from "./errors";

const KEY = /^([^()]+)\((?:'((?:[^']|'')*)'|([^)]*))\)$/;

export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split("/")) {
    if (raw === "") continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw badRequest(`Bad Request - Invalid URL segment '${raw}'.`);
    }
    const m = KEY.exec(seg);
    if (m) {
      out.push(m[1]!);
      out.push((m[2] ?? m[3] ?? "").replace(/''/g, "'"));
    } else out.push(seg);
  }
  return out;
}
