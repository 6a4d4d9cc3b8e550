// The one Graph client through which wslpolicy reads and writes a tenant (real Graph or the local
// emulator). It is `@microsoft/microsoft-graph-client` 3.0.7 with an `@azure/identity` credential, but its
// middleware chain has NO RetryHandler: retries, the request budget and the concurrency limit live here,
// once, so they are not doubled (https://learn.microsoft.com/graph/sdks/customize-client) and a POST create is never retried blindly.
//
// Counting: `requestCount` is the number of HTTP requests actually sent on the wire, retries included;
// a `$batch` is ONE request however many inner requests it carries (those are in `stats.innerRequests`).
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  ResponseType,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import type { TokenCredential } from "@azure/identity";
import { Agent } from "undici";
import { executeBatch, type BatchRequest, type BatchResponse } from "./batch";
import { INTUNE_LIMITS, IntuneBudgets, Semaphore, serviceOfUrl, type BudgetLimits } from "./budget";
import { GraphError, redact, routeOf, toGraphError } from "./errors";
import {
  DEFAULT_RETRY_POLICY,
  MAX_NETWORK_RETRIES,
  MAX_TIMEOUT_RETRIES,
  MAX_SERVER_ERROR_RETRIES,
  parseRetryAfter,
  retryReason,
  retryWait,
  scaledClock,
  type Clock,
  type RetryInfo,
  type RetryPolicy,
} from "./retry";

export type GraphVersion = "beta" | "v1.0";

export interface GraphClientOptions {
  /** Base URL with a trailing slash: `https://graph.microsoft.com/` or `https://localhost:<port>/`. */
  endpoint: string;
  credential: TokenCredential;
  /** PEM of a CA to trust (the emulator's), in addition to nothing else: only for the emulator. */
  ca?: string;
  /** Default API version; the settings catalog exists only in beta (https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta). */
  version?: GraphVersion;
  /** Multiplies every wait (Retry-After, backoff, budget window): 1 = real time. Match the emulator's. */
  timeScale?: number;
  /** Requests in flight at once (default 6). */
  concurrency?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Token scopes; default `<endpoint>.default`. */
  scopes?: string[];
  /** Overrides of the client-side budget, per Intune service (default: Intune's documented per-app limits). */
  budget?: Partial<BudgetLimits>;
  retry?: Partial<RetryPolicy>;
  /** A request that has not answered after this many (real) milliseconds is abandoned as a transport failure. */
  requestTimeoutMs?: number;
  /** The setting that changes `requestTimeoutMs`, named when a request times out for good. */
  requestTimeoutSetting?: string;
  /** Bounds of one collection read (default READ_LIMITS). */
  limits?: Partial<ReadLimits>;
  /**
   * Epoch milliseconds after which no request is sent and waits end: the command's overall deadline.
   * `setting` names what changes it, for the error.
   */
  deadline?: { at: number; seconds: number; setting: string };
}

/** How much one collection read may take before it is an error, not a result. */
export interface ReadLimits {
  /** Pages of one collection (following `@odata.nextLink`). */
  maxPages: number;
  /** Items of one collection. */
  maxItems: number;
  /** What changes them, for the error (environment variables, see src/tenant/connect.ts). */
  settings: { maxPages: string; maxItems: string };
}

/**
 * Far above any real WSL tenant (2,000 policies are 20 pages of 100) and far below a server that hands
 * out new nextLinks forever (issue 12 measured 47,256 requests in 30 s).
 */
export const READ_LIMITS: ReadLimits = {
  maxPages: 1_000,
  maxItems: 100_000,
  settings: { maxPages: "the client's maxPages", maxItems: "the client's maxItems" },
};

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface GraphStats {
  /** HTTP requests sent, retries included; a $batch counts once. */
  requests: number;
  /** Requests carried inside $batch bodies (each also counts against Graph's throttling budget). */
  innerRequests: number;
  /** 429 responses seen, inner ones included. */
  throttled: number;
  /** Retries of any kind (outer requests and inner batch items). */
  retries: number;
  /** Real milliseconds spent waiting for the client-side budget. */
  budgetWaitMs: number;
}

export interface SendOptions {
  version?: GraphVersion;
  /** Whether a transport failure or 5xx may be retried (default: by method; POST is not). */
  idempotent?: boolean;
}

export interface GraphClient {
  readonly endpoint: string;
  readonly version: GraphVersion;
  /** HTTP requests actually sent (see header comment). */
  readonly requestCount: number;
  readonly stats: GraphStats;
  readonly limits: ReadLimits;
  get<T = unknown>(path: string, opts?: { version?: GraphVersion }): Promise<T>;
  /**
   * Every item of a collection, following `@odata.nextLink` until it is absent; `onPage` sees each page's
   * items as the page arrives (to start work on them while the next page is read).
   */
  list<T = unknown>(path: string, opts?: { version?: GraphVersion; onPage?: (items: T[]) => void }): Promise<T[]>;
  post<T = unknown>(path: string, body: unknown, opts?: SendOptions): Promise<T>;
  put(path: string, body: unknown, opts?: { version?: GraphVersion }): Promise<void>;
  patch<T = unknown>(path: string, body: unknown, opts?: { version?: GraphVersion }): Promise<T>;
  delete(path: string, opts?: { version?: GraphVersion }): Promise<void>;
  /** `$batch` in chunks of 20; responses in request order, throttled items retried. */
  batch(requests: BatchRequest[], opts?: { version?: GraphVersion }): Promise<BatchResponse[]>;
  /** One request, no throwing on non-2xx after retries: for callers that inspect the status. */
  send<T = unknown>(method: string, path: string, body?: unknown, opts?: SendOptions): Promise<GraphResponse<T>>;
  /** Waits `ms` unscaled milliseconds on the client's (scaled) clock: for callers' own backoff. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  return new SdkGraphClient(opts);
}

class SdkGraphClient implements GraphClient {
  readonly endpoint: string;
  readonly version: GraphVersion;
  readonly stats: GraphStats = { requests: 0, innerRequests: 0, throttled: 0, retries: 0, budgetWaitMs: 0 };
  readonly limits: ReadLimits;
  private readonly sdk: Client;
  private readonly agent: Agent | undefined;
  private readonly clock: Clock;
  private readonly budget: IntuneBudgets;
  private readonly inFlight: Semaphore;
  private readonly policy: RetryPolicy;
  private readonly host: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GraphClientOptions) {
    const url = new URL(opts.endpoint);
    if (url.protocol !== "https:") {
      // The SDK attaches the token and follows nextLinks only for https.
      throw new Error(`Graph endpoint must be https:// (got ${opts.endpoint})`);
    }
    this.endpoint = url.href.endsWith("/") ? url.href : `${url.href}/`;
    this.host = url.host;
    this.version = opts.version ?? "beta";
    const timeScale = opts.timeScale ?? 1;
    this.clock = scaledClock(timeScale);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    const limits = { ...INTUNE_LIMITS, ...opts.budget, ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) };
    this.budget = new IntuneBudgets(limits, timeScale);
    this.inFlight = new Semaphore(limits.concurrency);
    this.timeoutMs = opts.requestTimeoutMs ?? 100_000;
    this.limits = { ...READ_LIMITS, ...opts.limits, settings: { ...READ_LIMITS.settings, ...opts.limits?.settings } };
    this.agent = opts.ca ? new Agent({ connect: { ca: opts.ca } }) : undefined;

    const authProvider = new TokenCredentialAuthenticationProvider(opts.credential, {
      scopes: opts.scopes ?? [`${url.origin}/.default`],
    });
    this.sdk = Client.initWithMiddleware({
      baseUrl: this.endpoint,
      defaultVersion: this.version,
      // The SDK only sends the bearer token to Graph hosts and `customHosts` (bare host names).
      customHosts: isGraphHost(url.hostname) ? undefined : new Set([url.hostname]),
      // Node 20's fetch (undici 6) accepts an undici 7 Agent as dispatcher: verified on Node 20.20.
      // `redirect: "manual"`: fetch would follow a redirect to any host and hand back that host's body as
      // tenant data; a redirect is refused in `transport` instead.
      fetchOptions: { redirect: "manual", ...(this.agent ? { dispatcher: this.agent } : {}) } as unknown as RequestInit,
      // No RetryHandler and no RedirectHandler: see header comment.
      middleware: [new AuthenticationHandler(authProvider), new TelemetryHandler(), new HTTPMessageHandler()],
    });
  }

  get requestCount(): number {
    return this.stats.requests;
  }

  async get<T>(path: string, opts?: { version?: GraphVersion }): Promise<T> {
    return (await this.ok<T>("GET", path, undefined, opts)).body;
  }

  async list<T>(path: string, opts?: { version?: GraphVersion; onPage?: (items: T[]) => void }): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    const seen = new Set<string>();
    let pages = 0;
    while (next) {
      if (++pages > this.limits.maxPages)
        throw tooMuch(path, `more than ${this.limits.maxPages} pages`, this.limits.settings.maxPages);
      const page: GraphResponse<unknown> = await this.ok("GET", next, undefined, opts);
      const body = page.body as { value?: unknown; "@odata.nextLink"?: unknown };
      if (!Array.isArray(body?.value)) {
        throw new Error(
          `GET ${redact(next)}: expected a collection ({"value": [...]}) but got ${describeShape(page.body)}`,
        );
      }
      items.push(...(body.value as T[]));
      if (items.length > this.limits.maxItems)
        throw tooMuch(path, `more than ${this.limits.maxItems} items`, this.limits.settings.maxItems);
      opts?.onPage?.(body.value as T[]);
      next = typeof body["@odata.nextLink"] === "string" ? this.checkNextLink(body["@odata.nextLink"]) : undefined;
      if (next) {
        if (seen.has(next)) throw new Error(`GET ${redact(path)}: the service returned the same @odata.nextLink twice`);
        seen.add(next);
      }
    }
    return items;
  }

  async post<T>(path: string, body: unknown, opts?: SendOptions): Promise<T> {
    return (await this.ok<T>("POST", path, body, opts)).body;
  }

  async put(path: string, body: unknown, opts?: { version?: GraphVersion }): Promise<void> {
    await this.ok("PUT", path, body, opts);
  }

  async patch<T>(path: string, body: unknown, opts?: { version?: GraphVersion }): Promise<T> {
    return (await this.ok<T>("PATCH", path, body, opts)).body;
  }

  async delete(path: string, opts?: { version?: GraphVersion }): Promise<void> {
    await this.ok("DELETE", path, undefined, opts);
  }

  batch(requests: BatchRequest[], opts?: { version?: GraphVersion }): Promise<BatchResponse[]> {
    return executeBatch(requests, {
      endpoint: this.endpoint,
      clock: this.clock,
      policy: this.policy,
      stats: this.stats,
      onRetry: this.opts.onRetry,
      // Inner requests count against Graph's budget one by one (https://learn.microsoft.com/graph/json-batching, throttling).
      post: (body, idempotent) =>
        this.send("POST", "$batch", body, { version: opts?.version, idempotent, inner: body.requests }),
      hold: (urls, ms) => this.budget.hold(urls, ms),
    });
  }

  /** Like `send`, but a non-2xx answer (after retries) is thrown as a GraphError. */
  private async ok<T>(method: string, path: string, body: unknown, opts?: SendOptions): Promise<GraphResponse<T>> {
    const res = await this.send<T>(method, path, body, opts);
    if (res.status >= 200 && res.status < 300) return res;
    throw toGraphError(method, path, res, this.clock.now());
  }

  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    opts?: SendOptions & { inner?: { method: string; url: string }[] },
  ): Promise<GraphResponse<T>> {
    const m = method.toUpperCase();
    let serverErrors = 0;
    let networkErrors = 0;
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      this.checkDeadline(m, path);
      let res: GraphResponse<T> | undefined;
      let failure: GraphError | undefined;
      try {
        res = await this.inFlight.run(async () => {
          // Charged when the request really leaves (not when it was queued behind the concurrency limit)
          // and stamped when its answer arrives; see budget.ts.
          // The $batch envelope itself is not throttled by Graph; its items are, one by one.
          const release = await this.budget.acquire(opts?.inner ?? [{ method: m, url: path }]);
          this.stats.budgetWaitMs = this.budget.waitedMs;
          this.stats.requests++;
          let status: number | undefined;
          try {
            const answer = await this.transport<T>(m, path, body, opts?.version);
            status = answer.status;
            return answer;
          } finally {
            release(status === 429);
          }
        });
      } catch (err) {
        // A credential that cannot produce a token fails before anything is sent: retrying cannot help,
        // and treating it as a network failure made an unauthenticated run wait minutes in silence.
        if (isCredentialFailure(err))
          throw new GraphError({ status: 0, method: m, path, message: credentialMessage(err), auth: true });
        if (err instanceof GraphError && err.code === REDIRECT_REFUSED) throw err;
        failure =
          err instanceof GraphError
            ? err
            : new GraphError({ status: 0, method: m, path, message: transportMessage(err), network: true });
        // A server that accepts the request and never answers: one more try, then an error. Retrying it as
        // often as a reset (each wait the full timeout) made a silent endpoint take 400 s to fail.
        if (isTimeout(err) && ++timeouts > MAX_TIMEOUT_RETRIES) {
          const setting = this.opts.requestTimeoutSetting;
          throw new GraphError({
            status: 0,
            method: m,
            path,
            message: `no answer within ${this.timeoutMs / 1000} s, ${timeouts} times${setting ? ` (${setting}=<seconds> changes the wait)` : ""}`,
            network: true,
          });
        }
      }
      const status = res?.status ?? 0;
      if (res && status < 500 && status !== 429) return res;
      if (status === 429) this.stats.throttled++;
      const idempotent = opts?.idempotent;
      const reason =
        idempotent === undefined
          ? retryReason(m, status, !res)
          : idempotent
            ? retryReason("GET", status, !res)
            : retryReason("POST", status, !res);
      if (reason === "server-error" && ++serverErrors > MAX_SERVER_ERROR_RETRIES) {
        if (res) return res;
      }
      if (reason === "network" && ++networkErrors > MAX_NETWORK_RETRIES) {
        throw failure ?? new GraphError({ status: 0, method: m, path, message: "no response", network: true });
      }
      if (!reason || attempt > this.policy.maxRetries) {
        if (res) return res;
        throw failure ?? new GraphError({ status: 0, method: m, path, message: "no response", network: true });
      }
      const retryAfterMs = res ? parseRetryAfter(res.headers["retry-after"], this.clock.now()) : undefined;
      const delayMs = retryWait(this.policy, reason, attempt, retryAfterMs, this.clock.scale);
      // The service throttles this app: nothing more goes to it until then, not only this request.
      if (status === 429) this.budget.hold([path], delayMs);
      this.stats.retries++;
      this.opts.onRetry?.({
        method: m,
        path: redact(path),
        attempt,
        reason,
        status,
        delayMs,
        retryAfter: retryAfterMs !== undefined,
      });
      await this.clock.sleepReal(Math.min(delayMs, this.untilDeadline()));
    }
  }

  /** Real milliseconds left before the deadline (Infinity without one). */
  private untilDeadline(): number {
    return this.opts.deadline ? Math.max(0, this.opts.deadline.at - Date.now()) : Infinity;
  }

  private checkDeadline(method: string, path: string): void {
    const d = this.opts.deadline;
    if (!d || Date.now() < d.at) return;
    throw new GraphError({
      status: 0,
      method,
      path,
      code: DEADLINE_EXCEEDED,
      message: `not sent: the command's deadline of ${d.seconds} s has passed (${d.setting}=<seconds> changes it)`,
    });
  }

  /** One HTTP exchange through the SDK's middleware (auth + telemetry + fetch). */
  private async transport<T>(
    method: string,
    path: string,
    body: unknown,
    version: GraphVersion | undefined,
  ): Promise<GraphResponse<T>> {
    const request = this.sdk
      .api(this.absolute(path, version))
      .responseType(ResponseType.RAW)
      .option("signal", AbortSignal.timeout(Math.max(1, Math.min(this.timeoutMs, this.untilDeadline()))));
    let raw: Response;
    switch (method) {
      case "GET":
        raw = (await request.get()) as Response;
        break;
      case "POST":
        raw = (await request.post(body ?? {})) as Response;
        break;
      case "PUT":
        raw = (await request.put(body ?? {})) as Response;
        break;
      case "PATCH":
        raw = (await request.patch(body ?? {})) as Response;
        break;
      case "DELETE":
        raw = (await request.delete()) as Response;
        break;
      default:
        throw new Error(`unsupported method ${method}`);
    }
    const headers: Record<string, string> = {};
    raw.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    if (raw.status >= 300 && raw.status < 400 && headers.location !== undefined) {
      const target = new URL(headers.location, this.absolute(path, version));
      const where = target.host === this.host ? `to ${target.host} (this endpoint)` : `to another host, ${target.host}`;
      throw new GraphError({
        status: raw.status,
        method,
        path,
        code: REDIRECT_REFUSED,
        message: `answered with a redirect ${where}; refused: wslpolicy follows no redirects, so no other host's answer is read as tenant data`,
      });
    }
    const text = raw.status === 204 ? "" : await raw.text();
    let parsed: unknown = text;
    if (text && (headers["content-type"] ?? "").includes("json")) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    } else if (!text) parsed = undefined;
    return { status: raw.status, headers, body: parsed as T };
  }

  /** Absolute URL for a path relative to the endpoint and version, or an absolute nextLink as is. */
  private absolute(path: string, version: GraphVersion | undefined): string {
    if (/^https:\/\//i.test(path)) return path;
    const rel = path.replace(/^\/+/, "");
    if (/^(beta|v1\.0)\//.test(rel)) return `${this.endpoint}${rel}`;
    return `${this.endpoint}${version ?? this.version}/${rel}`;
  }

  /** A nextLink must point back at this endpoint: the token is never sent anywhere else. */
  private checkNextLink(link: string): string {
    const url = new URL(link, this.endpoint);
    if (url.protocol !== "https:" || url.host !== this.host) {
      throw new Error(`refusing to follow @odata.nextLink to another host (${url.protocol}//${url.host})`);
    }
    return url.href;
  }

  wait(ms: number): Promise<void> {
    return this.clock.sleep(ms);
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}

/** Codes of the errors the client raises itself, not Graph. */
export const REDIRECT_REFUSED = "RedirectRefused";
export const DEADLINE_EXCEEDED = "DeadlineExceeded";

function tooMuch(path: string, what: string, setting: string): Error {
  return new Error(
    `GET ${redact(routeOf(path))}: the service returned ${what}; stopped reading (a service handing out new nextLinks forever?). ${setting} raises the limit`,
  );
}

const GRAPH_HOSTS = new Set([
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
  "graph.microsoft.de",
  "canary.graph.microsoft.com",
]);

/**
 * Requests Intune's budget applies to (https://learn.microsoft.com/graph/throttling-limits, Intune service limits). Directory calls (groups) are metered
 * by Entra's separate, much larger resource-unit budget, so they only take a concurrency slot.
 */
export function isIntuneRoute(url: string): boolean {
  return serviceOfUrl(url) !== undefined;
}

function isGraphHost(hostname: string): boolean {
  return GRAPH_HOSTS.has(hostname.toLowerCase());
}

const CREDENTIAL_ERRORS =
  /^(CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError|AuthenticationRequiredError)$/;

/**
 * Errors of @azure/identity credentials. The SDK's auth middleware rethrows them as its own error whose
 * `code` is the credential error's name and whose `body` is the original error.
 */
function isCredentialFailure(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return CREDENTIAL_ERRORS.test(err.name) || (typeof code === "string" && CREDENTIAL_ERRORS.test(code));
}

/** The first line of each chained credential's reason: which credentials were tried and why each failed. */
function credentialMessage(err: Error): string {
  const body = (err as { body?: unknown }).body;
  const text = body instanceof Error ? body.message : typeof body === "string" ? body : err.message;
  const lines = text
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(
          / To troubleshoot, visit \S+| See https:\S+ for details\.?|,? ?see the troubleshooting guidelines at \S+/g,
          "",
        )
        .trim(),
    )
    .filter(Boolean);
  return redact(lines.slice(0, 8).join("; "));
}

/** An error and its causes, as far as they go (the SDK nests the fetch failure in `cause` or `body`). */
function* causeChain(err: unknown): Generator<unknown> {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    yield e;
    if (!(e instanceof Error)) return;
    e = (e as { cause?: unknown }).cause ?? (e as { body?: unknown }).body;
  }
}

/** Whether a transport failure is the request timeout (AbortSignal.timeout), anywhere in its cause chain. */
function isTimeout(err: unknown): boolean {
  // The SDK rethrows the abort with the DOMException's name as its `code`.
  return [...causeChain(err)].some(
    (e) => e instanceof Error && (e.name === "TimeoutError" || (e as { code?: unknown }).code === "TimeoutError"),
  );
}

/** The reason behind a fetch failure ("fetch failed" alone says nothing): ECONNRESET, timeout, TLS… */
function transportMessage(err: unknown): string {
  const parts: string[] = [];
  for (const e of causeChain(err)) {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      parts.push(typeof code === "string" ? `${e.message} (${code})` : e.message);
    } else if (typeof e === "string") parts.push(e);
  }
  return redact([...new Set(parts.filter(Boolean))].join(": ") || "transport failure");
}

function describeShape(v: unknown): string {
  if (v === undefined || v === "") return "an empty body";
  if (typeof v === "string") return "text";
  return Array.isArray(v) ? "an array" : typeof v;
}
