// The peers, on the same Graph SDK (@microsoft/microsoft-graph-client with its default middleware,
// RetryHandler included, which honours Retry-After):
//   - naive: list the policies page by page, then for each policy its settings and its assignments, one
//     request after another (what a straightforward script does);
//   - IntuneCD-style: list the policies, then every settings and assignments read as `$batch`es of 20,
//     sent one after another, with no client-side budget: inner 429s wait for the largest Retry-After and
//     go again (as IntuneCD's batching does, almenscorner/IntuneCD).
// Both read exactly the policies, settings and assignments; they check they got every one.
import { Client } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import { COLLECTIONS } from "../../src/model";
import type { BenchEmulator } from "./emulator-process";

interface Page {
  value: { id: string }[];
  "@odata.nextLink"?: string;
}

function sdkClient(emulator: BenchEmulator): { client: Client; close(): Promise<void> } {
  const agent = new Agent({ connect: { ca: emulator.caCertPem } });
  const token = emulator.token;
  const client = Client.init({
    baseUrl: emulator.baseUrl,
    defaultVersion: "beta",
    customHosts: new Set(["localhost"]),
    authProvider: (done) => done(null, token),
    fetchOptions: { dispatcher: agent } as unknown as RequestInit,
  });
  return { client, close: () => agent.close() };
}

async function listAll(client: Client, path: string): Promise<{ id: string }[]> {
  const items: { id: string }[] = [];
  let page = (await client.api(path).get()) as Page;
  items.push(...page.value);
  while (page["@odata.nextLink"]) {
    page = (await client.api(page["@odata.nextLink"]).get()) as Page;
    items.push(...page.value);
  }
  return items;
}

/** Throws unless every policy, setting and assignment of the bench's tenant was read. */
export function checkComplete(
  policies: number,
  expected: number,
  settings: number,
  assignments: number,
  size: { settings: number; assignments: number },
): void {
  if (policies !== expected || settings !== expected * size.settings || assignments !== expected * size.assignments) {
    throw new Error(`incomplete read: ${policies} policies, ${settings} settings, ${assignments} assignments`);
  }
}

export async function naiveRead(
  emulator: BenchEmulator,
  expected: number,
  size: { settings: number; assignments: number },
): Promise<void> {
  const { client, close } = sdkClient(emulator);
  try {
    const policies = await listAll(client, `/${COLLECTIONS.configurationPolicies}`);
    let settings = 0;
    let assignments = 0;
    for (const p of policies) {
      settings += (await listAll(client, `/${COLLECTIONS.configurationPolicies}/${p.id}/settings`)).length;
      assignments += (await listAll(client, `/${COLLECTIONS.configurationPolicies}/${p.id}/assignments`)).length;
    }
    checkComplete(policies.length, expected, settings, assignments, size);
  } finally {
    await close();
  }
}

interface BatchAnswer {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: Page }[];
}

/**
 * One `$batch` of GETs as IntuneCD sends it: inner 429s wait for the largest Retry-After and go again
 * (at most 10 times); every answered URL's page goes to `onPage`.
 */
export async function batchUntilAnswered(
  post: (body: { requests: { id: string; method: "GET"; url: string }[] }) => Promise<unknown>,
  urls: string[],
  onPage: (url: string, page: Page) => void,
): Promise<void> {
  let pending = urls;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 10) throw new Error("$batch: still throttled after 10 retries");
    const answer = (await post({
      requests: pending.map((url, k) => ({ id: String(k), method: "GET", url })),
    })) as BatchAnswer;
    const retry: string[] = [];
    let waitMs = 0;
    for (const r of answer.responses) {
      const url = pending[Number(r.id)]!;
      if (r.status === 429) {
        retry.push(url);
        const after = Number(r.headers?.["Retry-After"] ?? r.headers?.["retry-after"] ?? 1);
        waitMs = Math.max(waitMs, after * 1000);
      } else if (r.status !== 200) {
        throw new Error(`GET ${url}: ${r.status}`);
      } else onPage(url, r.body!);
    }
    if (retry.length > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    pending = retry;
  }
}

export async function intuneCdRead(
  emulator: BenchEmulator,
  expected: number,
  size: { settings: number; assignments: number },
): Promise<void> {
  const { client, close } = sdkClient(emulator);
  try {
    const policies = await listAll(client, `/${COLLECTIONS.configurationPolicies}`);
    const urls = policies.flatMap((p) => [
      `/${COLLECTIONS.configurationPolicies}/${p.id}/settings`,
      `/${COLLECTIONS.configurationPolicies}/${p.id}/assignments`,
    ]);
    let settings = 0;
    let assignments = 0;
    for (let i = 0; i < urls.length; i += 20) {
      await batchUntilAnswered(
        (body) => client.api("/$batch").post(body) as Promise<unknown>,
        urls.slice(i, i + 20),
        (url, page) => {
          if (url.endsWith("/settings")) settings += page.value.length;
          else assignments += page.value.length;
        },
      );
    }
    checkComplete(policies.length, expected, settings, assignments, size);
  } finally {
    await close();
  }
}
