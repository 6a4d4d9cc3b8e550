// The client-side request budget: Intune allows one app per tenant 1,000 requests and 100 writes per 20 s
// (research/graph-api.md §7.1). The client spends a little less than that, tracked over a sliding window,
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

/** Counts events in a sliding window; `take` waits until one more fits. */
class SlidingWindow {
  private readonly stamps: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until one more event fits (0 = now). */
  waitMs(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length < this.limit) return 0;
    return this.stamps[this.stamps.length - this.limit]! + this.windowMs - now + 1;
  }

  record(now: number): void {
    this.stamps.push(now);
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

  /** Waits until `method` may be sent, then counts it. Callers are served in order. */
  acquire(method: string): Promise<void> {
    const write = isWrite(method);
    const turn = this.chain.then(async () => {
      for (;;) {
        const now = this.now();
        const wait = Math.max(this.all.waitMs(now), write ? this.writes.waitMs(now) : 0);
        if (wait <= 0) break;
        this.waitedMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const now = this.now();
      this.all.record(now);
      if (write) this.writes.record(now);
    });
    this.chain = turn;
    return turn;
  }
}
