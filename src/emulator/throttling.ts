// Throttling budgets (https://learn.microsoft.com/graph/throttling-limits, Intune service limits). Intune: per 20-second window, per app per
// tenant 1,000 requests of which 100 writes (POST/PUT/PATCH/DELETE), and tenant-wide 2,000 / 200.
// Identity (groups) has its own, far larger budget; the emulator models it as 3,500 requests per 10 s per
// app (a small tenant, one resource unit per request) so directory calls never eat Intune's budget.
// Windows are fixed and scaled by `timeScale`; a throttled request does not consume budget.

export interface ThrottleLimits {
  windowMs: number;
  appRequests: number;
  appWrites: number;
  tenantRequests: number;
  tenantWrites: number;
}

export const LIMITS: ThrottleLimits = {
  windowMs: 20_000,
  appRequests: 1000,
  appWrites: 100,
  tenantRequests: 2000,
  tenantWrites: 200,
};

export const IDENTITY_LIMITS: ThrottleLimits = {
  windowMs: 10_000,
  appRequests: 3500,
  appWrites: 3000,
  tenantRequests: 18_000,
  tenantWrites: 18_000,
};

interface Counter {
  start: number;
  requests: number;
  writes: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Real milliseconds until the window that throttled resets */
  retryAfterMs: number;
}

export class Throttler {
  private readonly apps = new Map<string, Counter>();
  private tenant: Counter = { start: 0, requests: 0, writes: 0 };

  constructor(
    private readonly timeScale: number,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
    private readonly limits: ThrottleLimits = LIMITS,
  ) {}

  private get windowMs(): number {
    return this.limits.windowMs * this.timeScale;
  }

  private fresh(c: Counter, t: number): Counter {
    return t - c.start >= this.windowMs ? { start: t, requests: 0, writes: 0 } : c;
  }

  admit(appId: string, write: boolean): ThrottleDecision {
    if (!this.enabled) return { allowed: true, retryAfterMs: 0 };
    const t = this.now();
    const app = this.fresh(this.apps.get(appId) ?? { start: t, requests: 0, writes: 0 }, t);
    this.apps.set(appId, app);
    this.tenant = this.fresh(this.tenant, t);
    const L = this.limits;
    const over =
      (app.requests >= L.appRequests || (write && app.writes >= L.appWrites) ? app : undefined) ??
      (this.tenant.requests >= L.tenantRequests || (write && this.tenant.writes >= L.tenantWrites) ? this.tenant : undefined);
    if (over) return { allowed: false, retryAfterMs: Math.max(1, over.start + this.windowMs - t) };
    app.requests += 1;
    this.tenant.requests += 1;
    if (write) {
      app.writes += 1;
      this.tenant.writes += 1;
    }
    return { allowed: true, retryAfterMs: 0 };
  }
}
