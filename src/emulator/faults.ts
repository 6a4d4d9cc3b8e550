// Scriptable faults: per path (and method), starting at the n-th matching call, for a number of calls.
// Kinds model what Graph and Intune really do under stress (https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/throttling):
// throttling with and without Retry-After, 5xx, connection resets, latency, a 504 after the write
// was committed, eventual-consistency 404s (of a new object, or `404` on any read, such as a policy's
// `/settings` right after it was created), a 500 at a given list page, and a redirect to another host.

export type FaultKind =
  | "429"
  | "500"
  | "503"
  | "504"
  | "reset"
  | "latency"
  | "504-after-commit"
  | "eventual-404"
  | "500-on-page"
  | "404"
  | "redirect";

export interface FaultRule {
  method?: string;
  /**
   * Matched against the path without version prefix and with OData keys as segments (`x('id')` → `x/id`), e.g.
   * "deviceManagement/configurationPolicies". A string matches exactly.
   */
  path: string | RegExp;
  /** 1-based count of matching requests to start at (default 1). */
  nth?: number;
  /** How many matching requests fire (default 1). */
  times?: number;
  kind: FaultKind;
  retryAfter?: number | "absent" | "http-date";
  latencyMs?: number;
  /** eventual-404: how many reads by id of the created object 404 (default 1). */
  reads?: number;
  /** 500-on-page: 1-based page of the list (page 1 has no skiptoken). */
  page?: number;
  /** redirect: where the 302 points (default another host). */
  location?: string;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export interface FaultProbe {
  method: string;
  path: string;
  /** 1-based page index of a list request, when it is one */
  page?: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (rule.kind === "500-on-page" && rule.page === undefined) throw new Error("fault '500-on-page' needs `page`");
    this.rules.push({ rule, seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules added (fired or not). */
  get size(): number {
    return this.rules.length;
  }

  /** The rules that fire for this request (each matching rule counts the call). */
  take(probe: FaultProbe): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== probe.method) continue;
      if (typeof rule.path === "string" ? rule.path.replace(/^\/+/, "") !== probe.path : !rule.path.test(probe.path))
        continue;
      if (rule.kind === "500-on-page" && probe.page !== rule.page) continue;
      active.seen += 1;
      if (active.seen < (rule.nth ?? 1)) continue;
      if (active.fired >= (rule.times ?? 1)) continue;
      active.fired += 1;
      fired.push(rule);
    }
    return fired;
  }
}
