// Throttling budgets. Intune: one budget per Intune service (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits,
// src/model/intune-services.ts), each per 20 s window: per app per tenant 1,000 requests of which 100 writes
// (POST/PUT/PATCH/DELETE), and per tenant for all apps 2,000 / 200. Identity (groups) has its own, far
// larger budget with a window per limit
// (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits): per
// application+tenant pair 3,500 resource units per 10 s (a small tenant, under 50 users; M 5,000, L 8,000)
// and 3,000 writes per 2 min 30 s; per tenant 18,000 writes per 5 min and no resource-unit quota. The
// emulator charges one resource unit per request (the base cost of a path the page does not list) so
// directory calls never eat Intune's budget. The per-application limits across tenants (150,000 per 20 s,
// 70,000 writes per 5 min) are not modelled: with one tenant the pair's limits are always reached first.
// Windows slide (the count is of the last window) and are scaled by `timeScale`. A throttled request counts
// too: "Microsoft Graph continues to log resource usage while a client is being throttled"
// (https://learn.microsoft.com/graph/throttling, best practices), so a client that retries before
// Retry-After stays throttled for longer.
import { INTUNE_SERVICE_LIMITS, type ThrottleLimitName, type ThrottleLimits } from "../model";

export type { ThrottleLimits } from "../model";

export const LIMITS: ThrottleLimits = INTUNE_SERVICE_LIMITS;

export const IDENTITY_LIMITS: ThrottleLimits = {
  windowMs: 10_000,
  appRequests: 3500,
  appWrites: 3000,
  tenantRequests: Number.POSITIVE_INFINITY,
  tenantWrites: 18_000,
  windowsMs: { appWrites: 150_000, tenantWrites: 300_000 },
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

/** One limit to check a request against: its log, how many it allows, over which (scaled) window. */
interface Check {
  log: WindowLog;
  limit: number;
  windowMs: number;
  exceeded: ThrottleScope;
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
    const L = this.limits;
    const app = this.budget(`${service}\u0000${appId}`);
    const tenant = this.budget(service);
    const check = (log: WindowLog, name: ThrottleLimitName, exceeded: ThrottleScope): Check => ({
      log,
      limit: L[name],
      windowMs: (L.windowsMs?.[name] ?? L.windowMs) * this.timeScale,
      exceeded,
    });
    const checks: Check[] = [
      check(app.all, "appRequests", { scope: "Tenant_Application", limit: "ReadWrite" }),
      ...(write ? [check(app.writes, "appWrites", { scope: "Tenant_Application", limit: "Write" })] : []),
      check(tenant.all, "tenantRequests", { scope: "Tenant", limit: "ReadWrite" }),
      ...(write ? [check(tenant.writes, "tenantWrites", { scope: "Tenant", limit: "Write" })] : []),
    ];
    const over = checks.find((c) => c.log.count(t, c.windowMs) >= c.limit);
    // Counted whether it is served or not (see the header).
    app.all.push(t);
    tenant.all.push(t);
    if (write) {
      app.writes.push(t);
      tenant.writes.push(t);
    }
    if (!over) return { allowed: true, retryAfterMs: 0 };
    const retryAfterMs = Math.max(1, over.log.untilBelow(t, over.windowMs, over.limit));
    return { allowed: false, retryAfterMs, exceeded: over.exceeded };
  }
}
