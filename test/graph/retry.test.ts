// Retry rules: Retry-After in every form Graph sends, a full throttling window without it, and which
// failures may be retried for which methods (a POST create never on an ambiguous failure).
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  THROTTLE_WINDOW_MS,
  parseRetryAfter,
  retryDelay,
  retryReason,
} from "../../src/graph/retry";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads whole and fractional seconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("2.128", now)).toBe(2128);
    expect(parseRetryAfter("0", now)).toBe(0);
  });
  it("reads an HTTP-date relative to now, never negative", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });
  it("is undefined when absent or unreadable", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("retryDelay", () => {
  it("honours Retry-After when the server sent it", () => {
    expect(retryDelay(DEFAULT_RETRY_POLICY, "throttled", 1, 1500)).toBe(1500);
  });
  it("waits at least one 20 s throttling window when a 429 has no Retry-After", () => {
    expect(retryDelay(DEFAULT_RETRY_POLICY, "throttled", 1, undefined)).toBeGreaterThanOrEqual(THROTTLE_WINDOW_MS);
    expect(retryDelay(DEFAULT_RETRY_POLICY, "throttled", 2, undefined)).toBeGreaterThan(
      retryDelay(DEFAULT_RETRY_POLICY, "throttled", 1, undefined),
    );
    // exponential without Retry-After (https://learn.microsoft.com/graph/throttling), and bounded
    expect([1, 2, 3].map((a) => retryDelay(DEFAULT_RETRY_POLICY, "throttled", a, undefined))).toEqual([
      THROTTLE_WINDOW_MS,
      2 * THROTTLE_WINDOW_MS,
      4 * THROTTLE_WINDOW_MS,
    ]);
    expect(retryDelay(DEFAULT_RETRY_POLICY, "throttled", 20, undefined)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
  it("backs off exponentially for 5xx and transport failures", () => {
    const a = retryDelay(DEFAULT_RETRY_POLICY, "unavailable", 1, undefined);
    const c = retryDelay(DEFAULT_RETRY_POLICY, "unavailable", 3, undefined);
    expect(c).toBeGreaterThan(a * 2);
  });
});

describe("retryReason", () => {
  it("retries 429 for every method: a throttled request was not carried out", () => {
    expect(retryReason("POST", 429, false)).toBe("throttled");
    expect(retryReason("GET", 429, false)).toBe("throttled");
  });
  it("retries 503, 504 and resets only for idempotent methods", () => {
    expect(retryReason("GET", 503, false)).toBe("unavailable");
    expect(retryReason("PUT", 504, false)).toBe("unavailable");
    expect(retryReason("DELETE", 0, true)).toBe("network");
    expect(retryReason("POST", 504, false)).toBeUndefined();
    expect(retryReason("POST", 0, true)).toBeUndefined();
  });
  it("retries a 500 only on reads, and never a 4xx", () => {
    expect(retryReason("GET", 500, false)).toBe("server-error");
    expect(retryReason("PUT", 500, false)).toBeUndefined();
    expect(retryReason("GET", 400, false)).toBeUndefined();
    expect(retryReason("GET", 404, false)).toBeUndefined();
  });
});
