// The physical floor of each phase from Microsoft Graph's documented rules alone, not from any client's
// budget: a list page holds at most 100 policies ($top=100; 25 by default), a $batch at most 20 requests
// (https://learn.microsoft.com/graph/json-batching), each Intune service allows one app 1,000 requests and
// 100 writes per 20 s (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits), and
// every HTTP request costs one round trip. Two bounds, and the floor is the larger:
//   - the throttle bound: the k-th window's requests cannot start before (k − 1) × 20 s, plus one round trip;
//   - the latency bound: requests that depend on each other (the pages of a list, a create before its
//     assign) go one after another; independent ones all at once (no concurrency limit is documented).

export const PAGE = 100;
export const WINDOW_MS = 20_000;
export const REQUESTS_PER_WINDOW = 1000;
export const WRITES_PER_WINDOW = 100;

export interface FloorModel {
  /** Real milliseconds per round trip, already time-scaled. */
  latencyMs: number;
  timeScale: number;
}

const windowsAfterFirst = (n: number, perWindow: number) => Math.max(0, Math.ceil(n / perWindow) - 1);

/**
 * Reading N settings-catalog policies: ⌈N/100⌉ list pages (assignments come with `$expand=assignments`)
 * and one `/settings` read per policy (batched, 20 to a $batch); the other collections are a few requests
 * of other services and do not move the floor.
 */
export function readFloor(policies: number, m: FloorModel): { seconds: number; requests: number } {
  const pages = Math.max(1, Math.ceil(policies / PAGE));
  const requests = pages + policies;
  const throttle = windowsAfterFirst(requests, REQUESTS_PER_WINDOW) * WINDOW_MS * m.timeScale + m.latencyMs;
  const latency = pages * m.latencyMs + (policies > 0 ? m.latencyMs : 0);
  return { seconds: Math.max(throttle, latency) / 1000, requests };
}

export type WriteOp = "create" | "update" | "delete";

/**
 * Writing N policies into a collection already holding `existing`: a create is a POST and an `assign`
 * (2 writes, one after the other) after one listing of the collection to find markers; an update one PUT;
 * a delete one DELETE.
 */
export function writeFloor(
  op: WriteOp,
  objects: number,
  existing: number,
  m: FloorModel,
): { seconds: number; writes: number } {
  const writes = op === "create" ? 2 * objects : objects;
  const chain = op === "create" ? Math.max(1, Math.ceil(existing / PAGE)) + 2 : 1;
  const throttle =
    windowsAfterFirst(writes, WRITES_PER_WINDOW) * WINDOW_MS * m.timeScale + (op === "create" ? 2 : 1) * m.latencyMs;
  return { seconds: Math.max(throttle, chain * m.latencyMs) / 1000, writes };
}
