// The client-side request budget: Intune allows one app per tenant 1,000 requests and 100 writes per 20 s
// (https://learn.microsoft.com/graph/throttling-limits, Intune service limits). The client spends a little less than that, tracked over a sliding window,
// so a normal run rarely meets a 429; and it keeps a bounded number of requests in flight. A sliding
// window (rather than a refilling bucket with a full-size burst) never exceeds the limit in ANY 20 s
// interval, so it stays under the service's limit whether the service counts fixed or sliding windows.
import { THROTTLE_WINDOW_MS } from "./retry";

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

/** Intune's per-app limits less a 10 % margin for requests that arrive later than they were sent. */
export const INTUNE_LIMITS: BudgetLimits = { requests: 900, writes: 90, windowMs: THROTTLE_WINDOW_MS, concurrency: 6 };

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
  /** Real milliseconds spent waiting for budget (for benchmarks). */
  waitedMs = 0;

  constructor(
    readonly limits: BudgetLimits = INTUNE_LIMITS,
    timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    const windowMs = limits.windowMs * timeScale;
    this.all = new SlidingWindow(limits.requests, windowMs);
    this.writes = new SlidingWindow(limits.writes, windowMs);
  }

  /**
   * Waits until requests with these methods may all be sent at once (one request, or the items of one
   * `$batch`, which must be charged together so concurrent batches cannot each hold part of the budget
   * and wait for the rest forever) and counts them as in flight. Call the returned function when the
   * answer (or failure) arrives. Callers are served in order.
   */
  acquire(methods: readonly string[]): Promise<() => void> {
    const writes = methods.filter(isWrite).length;
    const turn = this.chain.then(async () => {
      for (;;) {
        const now = this.now();
        const wait = Math.max(this.all.waitMs(now, methods.length), this.writes.waitMs(now, writes));
        if (wait <= 0) break;
        this.waitedMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      this.all.start(methods.length);
      this.writes.start(writes);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const now = this.now();
        this.all.finish(now, methods.length);
        this.writes.finish(now, writes);
      };
    });
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
