// Throttling budgets. Intune: one budget per Intune service (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits,
// src/model/intune-services.ts), each per 20 s window: per app per tenant 1,000 requests of which 100 writes
// (POST/PUT/PATCH/DELETE), and per tenant for all apps 2,000 / 200. Identity (groups) has its own, far
// larger budget; the emulator models it as 3,500 requests per 10 s per app (a small tenant, one resource
// unit per request) so directory calls never eat Intune's budget.
// Windows slide (the count is of the last 20 s) and are scaled by `timeScale`. A throttled request counts
// too: "Microsoft Graph continues to log resource usage while a client is being throttled"
// (https://learn.microsoft.com/graph/throttling, best practices), so a client that retries before
// Retry-After stays throttled for longer.
import { INTUNE_SERVICE_LIMITS, type ThrottleLimits } from "../model";

export type { ThrottleLimits } from "../model";

export const LIMITS: ThrottleLimits = INTUNE_SERVICE_LIMITS;

export const IDENTITY_LIMITS: ThrottleLimits = {
  windowMs: 10_000,
  appRequests: 3500,
  appWrites: 3000,
  tenantRequests: 18_000,
  tenantWrites: 18_000,
};

/** Arrival times of the requests of the last window, oldest first. */
class WindowLog {
  private stamps: number[] = [];
  private head = 0;

  /** Requests still inside the window at `t`. */
  count(t: number, windowMs: number): number {
    while (this.head < this.stamps.length && t - this.stamps[this.head]! >= windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  push(t: number): void {
    this.stamps.push(t);
  }

  /** Milliseconds from `t` until fewer than `limit` requests are left in the window. */
  untilBelow(t: number, windowMs: number, limit: number): number {
    const live = this.count(t, windowMs);
    if (live < limit) return 0;
    return this.stamps[this.head + live - limit]! + windowMs - t;
  }
}

/** Which documented scope ran out (the `<Scope>/<Limit>` of https://learn.microsoft.com/graph/throttling-limits, x-ms-throttle-scope). */
export interface ThrottleScope {
  scope: "Tenant_Application" | "Tenant";
  limit: "ReadWrite" | "Write";
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Real milliseconds until the window that throttled has room again */
  retryAfterMs: number;
  /** What ran out, when refused */
  exceeded?: ThrottleScope;
}

interface Budget {
  all: WindowLog;
  writes: WindowLog;
}

export class Throttler {
  private readonly budgets = new Map<string, Budget>();

  constructor(
    private readonly timeScale: number,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
    private readonly limits: ThrottleLimits = LIMITS,
  ) {}

  private budget(key: string): Budget {
    let b = this.budgets.get(key);
    if (!b) this.budgets.set(key, (b = { all: new WindowLog(), writes: new WindowLog() }));
    return b;
  }

  /** One request of `appId` to `service` (each service has its own budgets; default one for all). */
  admit(appId: string, write: boolean, service = "all"): ThrottleDecision {
    if (!this.enabled) return { allowed: true, retryAfterMs: 0 };
    const t = this.now();
    const w = this.limits.windowMs * this.timeScale;
    const L = this.limits;
    const app = this.budget(`${service}\u0000${appId}`);
    const tenant = this.budget(service);
    const checks: [WindowLog, number, ThrottleScope][] = [
      [app.all, L.appRequests, { scope: "Tenant_Application", limit: "ReadWrite" }],
      ...(write
        ? [
            [app.writes, L.appWrites, { scope: "Tenant_Application", limit: "Write" }] as [
              WindowLog,
              number,
              ThrottleScope,
            ],
          ]
        : []),
      [tenant.all, L.tenantRequests, { scope: "Tenant", limit: "ReadWrite" }],
      ...(write
        ? [[tenant.writes, L.tenantWrites, { scope: "Tenant", limit: "Write" }] as [WindowLog, number, ThrottleScope]]
        : []),
    ];
    const over = checks.find(([log, limit]) => log.count(t, w) >= limit);
    // Counted whether it is served or not (see the header).
    app.all.push(t);
    tenant.all.push(t);
    if (write) {
      app.writes.push(t);
      tenant.writes.push(t);
    }
    if (!over) return { allowed: true, retryAfterMs: 0 };
    const [log, limit, exceeded] = over;
    return { allowed: false, retryAfterMs: Math.max(1, log.untilBelow(t, w, limit)), exceeded };
  }
}
