// The client-side request budget: Intune allows one app per tenant 1,000 requests and 100 writes per 20 s
// in EACH Intune service (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits,
// src/model/intune-services.ts). The client spends exactly that, per service, tracked over a sliding
// window, so it never waits for a window Graph would not impose and never meets a 429 of its own making;
// and it keeps a bounded number of requests in flight. A sliding window (rather than a refilling bucket
// with a full-size burst) never exceeds the limit in ANY 20 s interval, so it stays under the service's
// limit whether the service counts fixed or sliding windows. Other apps of the same tenant share the
// tenant-wide budget (2,000 / 200) unseen: their load shows as a 429, whose Retry-After (or backoff)
// holds the whole service's budget, so one 429 does not become one per request in flight.
import { INTUNE_SERVICE_LIMITS, intuneServiceOf } from "../model";
import { routeOf } from "./errors";

export interface BudgetLimits {
  /** Requests of any kind per window. */
  requests: number;
  /** POST, PUT, PATCH, DELETE per window. */
  writes: number;
  /** Window length in unscaled milliseconds. */
  windowMs: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/**
 * Intune's per-app limits as documented, no margin: a request counts from the moment it is sent until a
 * window after its answer arrived (SlidingWindow), which covers whenever in between the service counted it.
 */
export const INTUNE_LIMITS: BudgetLimits = {
  requests: INTUNE_SERVICE_LIMITS.appRequests,
  writes: INTUNE_SERVICE_LIMITS.appWrites,
  windowMs: INTUNE_SERVICE_LIMITS.windowMs,
  concurrency: 6,
};

export function isWrite(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

/**
 * Counts requests in a sliding window. A request is stamped when its answer ARRIVES (the server counted it
 * at some moment before that) and, while in flight, counts as if it were still inside the window. So the
 * client never over-fills a server window, whatever the network delays — a request sent early on a slow
 * cold connection cannot leave room for a burst that lands in the same server window.
 */
class SlidingWindow {
  private readonly stamps: number[] = [];
  private inFlight = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `n` more requests fit (0 = now). */
  waitMs(now: number, n: number): number {
    if (n === 0) return 0;
    if (n > this.limit) throw new Error(`${n} requests can never fit a budget of ${this.limit} per window`);
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
    const used = this.stamps.length + this.inFlight;
    if (used + n <= this.limit) return 0;
    // Stamps that must leave the window before `n` more fit; in-flight requests leave no sooner.
    const leave = used + n - this.limit;
    if (leave > this.stamps.length) return Math.max(1, Math.ceil(this.windowMs / 20));
    return this.stamps[leave - 1]! + this.windowMs - now + 1;
  }

  start(n: number): void {
    this.inFlight += n;
  }

  finish(now: number, n: number): void {
    this.inFlight -= n;
    for (let i = 0; i < n; i++) this.stamps.push(now);
  }
}

/** A counting semaphore: at most `size` holders at once, FIFO. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {
    if (!(size >= 1)) throw new Error(`concurrency must be at least 1, got ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * The budget of one client. Times are real milliseconds: the window is `limits.windowMs × timeScale`, so
 * with the emulator's time scale both sides agree on what 20 s is.
 */
export class RequestBudget {
  private readonly all: SlidingWindow;
  private readonly writes: SlidingWindow;
  private chain: Promise<void> = Promise.resolve();
  private heldUntil = 0;
  /** Requests of this budget in flight. */
  private sending = 0;
  /**
   * After a 429 (another app shares the tenant's budget, unseen): how many may be in flight at once, 1 at
   * first and doubling with every answer that is not a 429, until it no longer limits (undefined). The
   * service's room is unknown; a full burst after Retry-After would meet a 429 per request in flight.
   */
  private allowance: number | undefined;
  private readonly pollMs: number;
  /** Real milliseconds spent waiting for budget (for benchmarks). */
  waitedMs = 0;

  constructor(
    readonly limits: BudgetLimits = INTUNE_LIMITS,
    timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    const windowMs = limits.windowMs * timeScale;
    this.pollMs = Math.max(1, windowMs / 400);
    this.all = new SlidingWindow(limits.requests, windowMs);
    this.writes = new SlidingWindow(limits.writes, windowMs);
  }

  /**
   * Waits until requests with these methods may all be sent at once (one request, or the items of one
   * `$batch`, which must be charged together so concurrent batches cannot each hold part of the budget
   * and wait for the rest forever) and counts them as in flight. Call the returned function when the
   * answer (or failure) arrives, saying whether it was a 429. Callers are served in order.
   */
  acquire(methods: readonly string[]): Promise<(throttled?: boolean) => void> {
    const writes = methods.filter(isWrite).length;
    const n = methods.length;
    const turn = this.chain.then(async () => {
      for (;;) {
        const now = this.now();
        const crowded =
          this.allowance !== undefined && this.sending > 0 && this.sending + n > this.allowance ? this.pollMs : 0;
        const wait = Math.max(this.all.waitMs(now, n), this.writes.waitMs(now, writes), this.heldUntil - now, crowded);
        if (wait <= 0) break;
        this.waitedMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      this.all.start(n);
      this.writes.start(writes);
      this.sending += n;
      let done = false;
      return (throttled = false) => {
        if (done) return;
        done = true;
        const now = this.now();
        this.all.finish(now, n);
        this.writes.finish(now, writes);
        this.sending -= n;
        if (!throttled && this.allowance !== undefined) {
          this.allowance *= 2;
          if (this.allowance >= this.limits.requests) this.allowance = undefined;
        }
      };
    });
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * The service throttled: nothing more for `ms` real milliseconds (its Retry-After, or the backoff), then
   * one request at a time again, doubling with every answer that is not a 429.
   */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
    this.allowance = 1;
  }
}

/** The request (or $batch item) URL's Intune service, or undefined when Intune's budgets do not apply. */
export function serviceOfUrl(url: string): string | undefined {
  return intuneServiceOf(routeOf(url));
}

/**
 * One RequestBudget per Intune service (each has its own documented limits). Requests outside Intune
 * (groups: Entra's far larger resource-unit budget) are not charged.
 */
export class IntuneBudgets {
  private readonly services = new Map<string, RequestBudget>();

  constructor(
    private readonly limits: BudgetLimits = INTUNE_LIMITS,
    private readonly timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {}

  private of(service: string): RequestBudget {
    let b = this.services.get(service);
    if (!b) this.services.set(service, (b = new RequestBudget(this.limits, this.timeScale, this.now)));
    return b;
  }

  /** Real milliseconds spent waiting for budget, all services together. */
  get waitedMs(): number {
    let n = 0;
    for (const b of this.services.values()) n += b.waitedMs;
    return n;
  }

  /**
   * Waits until these requests (one, or the items of one `$batch`) may all be sent, charging each to its
   * service; services are taken in name order, so two batches spanning the same services cannot each hold
   * one and wait for the other. Call the returned function when the answer arrives.
   */
  async acquire(requests: readonly { method: string; url: string }[]): Promise<(throttled?: boolean) => void> {
    const byService = new Map<string, string[]>();
    for (const r of requests) {
      const service = serviceOfUrl(r.url);
      if (service !== undefined) byService.set(service, [...(byService.get(service) ?? []), r.method]);
    }
    const releases: ((throttled?: boolean) => void)[] = [];
    for (const service of [...byService.keys()].sort())
      releases.push(await this.of(service).acquire(byService.get(service)!));
    return (throttled = false) => {
      for (const release of releases) release(throttled);
    };
  }

  /** Holds the budget of the services of these URLs for `ms` real milliseconds (a 429 said so). */
  hold(urls: readonly string[], ms: number): void {
    for (const service of new Set(urls.map(serviceOfUrl))) if (service !== undefined) this.of(service).hold(ms);
  }
}
