// Script content is a lazy property: a list read returns it null, a read by id returns it (base64).
// Micke-K/IntuneManagement#100 ("only available when a single object is retrieved"),
// jseerden/IntuneBackupAndRestore#43. Each script of a kind whose descriptor names content fields is read
// by id through `$batch` (20 per request) and its content copied onto the listed object, secrets as
// fingerprints.
import { KINDS, kindSpec, OBJECT_KINDS, type ObjectKind } from "../kinds";
import { toGraphError, type BatchRequest, type GraphClient } from "../graph";
import { fingerprintSecrets, mapScriptText } from "../intune";
import type { UnknownRecord } from "../model";

export async function readScriptContent(
  graph: GraphClient,
  objects: ReadonlyMap<ObjectKind, UnknownRecord[]>,
  onItems?: (done: number) => void,
): Promise<void> {
  const owners = OBJECT_KINDS.flatMap((kind) => {
    const fields = kindSpec(kind).scriptContent ?? [];
    if (fields.length === 0) return [];
    return (objects.get(kind) ?? []).map((owner) => ({
      owner,
      fields,
      url: `/${KINDS[kind].collection}/${String(owner.id)}?$select=id,${fields.join(",")}`,
    }));
  });
  let done = 0;
  for (let start = 0; start < owners.length; start += 20) {
    const chunk = owners.slice(start, start + 20);
    const requests: BatchRequest[] = chunk.map((o, i) => ({ id: String(i + 1), method: "GET", url: o.url }));
    const responses = await graph.batch(requests);
    responses.forEach((res, i) => {
      const o = chunk[i]!;
      if (res.status !== 200) throw toGraphError("GET", o.url, res, Date.now());
      const body = res.body as Record<string, unknown>;
      // A secret in a script (src/intune/script-secrets.ts) is kept as its fingerprint only: snapshots,
      // plans and import never hold it.
      for (const f of o.fields) o.owner[f] = mapScriptText(body[f] ?? null, (text) => fingerprintSecrets(text));
    });
    done += chunk.length;
    onItems?.(done);
  }
}

/** Whether a listed object is one the kind leaves out (Microsoft's global scripts, other script types). */
export function skippedByKind(kind: ObjectKind, item: UnknownRecord): boolean {
  return (kindSpec(kind).read.skip ?? []).some((s) => item[s.field] === s.value);
}
