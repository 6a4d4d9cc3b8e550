// Retry rules of the Graph client (https://learn.microsoft.com/graph/throttling): which failures are retried, and how long to
// wait. `Retry-After` is honoured in all its forms (seconds, decimals, HTTP-date); without it the client
// backs off exponentially ("If no Retry-After header is provided by the response, we recommend
// implementing an exponential backoff retry policy", https://learn.microsoft.com/graph/throttling), from
// one Intune throttling window (20 s) up to maxDelayMs, because Intune sometimes sends 429s without the
// header and an early retry only adds to the count Graph keeps while it throttles (IntuneCD #217). Time goes through
// a `Clock` so tests and benchmarks scale it instead of sleeping for real.

/** Intune's throttling window (https://learn.microsoft.com/graph/throttling-limits, Intune service limits). */
export const THROTTLE_WINDOW_MS = 20_000;

export interface Clock {
  now(): number;
  /** Multiplier applied by `sleep`. */
  scale: number;
  /** Waits `ms` of model time (× scale): the client's own backoff and budget windows. */
  sleep(ms: number): Promise<void>;
  /**
   * Waits `ms` of real time. A server's Retry-After is already real: the emulator scales its windows and
   * its Retry-After itself, and a real Graph's must not be shortened.
   */
  sleepReal(ms: number): Promise<void>;
}

/**
 * A wall clock whose waits are multiplied by `timeScale` (1 = real time, 0.01 = a 20 s window passes in
 * 200 ms). It must match the emulator's time scale, so client and server agree on what a window is.
 */
export function scaledClock(timeScale = 1): Clock {
  if (!(timeScale > 0)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
  return { now: () => Date.now(), scale: timeScale, sleep: (ms) => wait(ms * timeScale), sleepReal: wait };
}

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds (possibly fractional, `2.128`) or an
 * HTTP-date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type RetryReason = "throttled" | "unavailable" | "server-error" | "network";

export interface RetryInfo {
  method: string;
  path: string;
  attempt: number;
  reason: RetryReason;
  status: number;
  /** Real milliseconds the client waits before the next attempt. */
  delayMs: number;
  /** Whether the delay came from the server's Retry-After. */
  retryAfter: boolean;
}

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** Floor of the wait when a throttled response carries no Retry-After. */
  throttleBackoffMs: number;
  /** Base of the exponential backoff for 5xx and transport failures. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 8,
  throttleBackoffMs: THROTTLE_WINDOW_MS,
  baseDelayMs: 1_000,
  maxDelayMs: 120_000,
};

/**
 * Methods whose repetition has the same effect as one call. POST is not: a create retried after an
 * ambiguous failure can make a twin, and actions like `assign` are left to callers who know.
 */
function isIdempotent(method: string): boolean {
  return ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"].includes(method.toUpperCase());
}

/**
 * Why a response or failure may be retried, or undefined when it must not be.
 * A 429 is retried for every method: a throttled request was not carried out. 503/504/500 and transport
 * failures only for idempotent methods (500s are seen at some list page boundaries).
 */
export function retryReason(method: string, status: number, network: boolean): RetryReason | undefined {
  if (status === 429) return "throttled";
  if (!isIdempotent(method)) return undefined;
  if (network) return "network";
  if (status === 503 || status === 504) return "unavailable";
  if (status === 500 && method.toUpperCase() === "GET") return "server-error";
  return undefined;
}

/**
 * Real milliseconds to wait before retry `attempt` (1-based): the server's Retry-After as is (capped), or
 * the client's own backoff in model time multiplied by `scale`.
 */
export function retryWait(
  policy: RetryPolicy,
  reason: RetryReason,
  attempt: number,
  retryAfterMs: number | undefined,
  scale = 1,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return retryDelay(policy, reason, attempt, undefined) * scale;
}

/** Wait before retry `attempt` (1-based) in model time (unscaled). */
export function retryDelay(
  policy: RetryPolicy,
  reason: RetryReason,
  attempt: number,
  retryAfterMs: number | undefined,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  if (reason === "throttled")
    return Math.min(policy.throttleBackoffMs * 2 ** (Math.max(1, attempt) - 1), policy.maxDelayMs);
  const jitter = Math.random() * 0.25 + 0.875;
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1) * jitter, policy.maxDelayMs);
}

/** At most this many 500s on one GET before it fails: a persistent 500 is an error, not noise. */
export const MAX_SERVER_ERROR_RETRIES = 2;

/**
 * At most this many transport failures (reset, timeout, unreachable host) on one request: with backoff
 * that is about 7 s, enough for a blip, short enough that an unreachable tenant is reported promptly.
 */
export const MAX_NETWORK_RETRIES = 3;

/**
 * At most this many retries of a request that timed out (the server took it and never answered): each try
 * waits the whole request timeout, so a silent endpoint fails after two timeouts, not four.
 */
export const MAX_TIMEOUT_RETRIES = 1;
