// The machine's floor: the least any client can do to read the bench's tenant on this machine and this
// emulator. It sends exactly the requests the Graph floor counts (bench/compare/floor.ts): the list pages
// one after another with `$expand=assignments`, and each page's settings reads at once as `$batch`es of 20,
// with no budget and no concurrency limit; it JSON-parses each answer, counts what came and does nothing
// else. Its time is the Graph floor plus the CPU both ends need for those bytes — below one throttling
// window, most of any client's time. A reference for the scaling table, not a peer: it checks nothing.
import { Agent, request } from "undici";
import { COLLECTIONS } from "../../src/model";
import type { BenchEmulator } from "./emulator-process";
import { batchUntilAnswered, checkComplete } from "./peers";

interface ListPage {
  value: { id: string; assignments?: unknown[] }[];
  "@odata.nextLink"?: string;
}

export async function bareRead(
  emulator: BenchEmulator,
  expected: number,
  size: { settings: number; assignments: number },
): Promise<void> {
  const agent = new Agent({ connect: { ca: emulator.caCertPem } });
  const headers = { authorization: `Bearer ${emulator.token}`, "content-type": "application/json" };
  const call = async (method: "GET" | "POST", url: string, body?: unknown): Promise<unknown> => {
    const res = await request(url, {
      method,
      headers,
      dispatcher: agent,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode}`);
    return JSON.parse(text) as unknown;
  };
  const base = new URL("beta/", emulator.baseUrl).href;
  let settings = 0;
  const readBatch = (urls: string[]) =>
    batchUntilAnswered(
      (body) => call("POST", `${base}$batch`, body),
      urls,
      (_url, page) => (settings += page.value.length),
    );
  try {
    let policies = 0;
    let assignments = 0;
    const batches: Promise<void>[] = [];
    let next: string | undefined = `${base}${COLLECTIONS.configurationPolicies}?$top=100&$expand=assignments`;
    while (next) {
      const page = (await call("GET", next)) as ListPage;
      policies += page.value.length;
      for (const p of page.value) assignments += p.assignments?.length ?? 0;
      for (let i = 0; i < page.value.length; i += 20) {
        const urls = page.value
          .slice(i, i + 20)
          .map((p) => `/${COLLECTIONS.configurationPolicies}/${p.id}/settings?$top=1000`);
        const read = readBatch(urls);
        read.catch(() => undefined); // awaited below
        batches.push(read);
      }
      next = page["@odata.nextLink"];
    }
    await Promise.all(batches);
    checkComplete(policies, expected, settings, assignments, size);
  } finally {
    await agent.close();
  }
}
