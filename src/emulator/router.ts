// Route table matching: literal segments (case-insensitive, as OData) and `:param` segments. A path
// no route knows gets OData's "Resource not found for the segment '<first unknown segment>'" (400);
// a known path with a verb it has no route for gets Intune's "No OData route exists"
// message.
import type { PermissionArea } from "./auth";
import { GraphHttpError, segmentNotFound } from "./errors";
import type { ApiVersion, EmulatorRequest, EmulatorResponse } from "./http-types";
import type { EmulatorState } from "./state";
import type { FaultInjector } from "./faults";
import type { RequestLog } from "./request-log";
import type { Throttler } from "./throttling";

export interface EmulatorEnv {
  state: EmulatorState;
  faults: FaultInjector;
  log: RequestLog;
  throttler: Throttler;
  /** Entra (groups) budget, separate from Intune's */
  identityThrottler: Throttler;
  tenantId: string;
  timeScale: number;
  /** Intune 429s: always with Retry-After, never, or sometimes without (every third) */
  retryAfterMode: "seconds" | "absent" | "sometimes";
  /** Intune 429s answered so far (for the mode "sometimes") */
  intuneThrottled: number;
  /** Real milliseconds every HTTP request takes on the way there and back (0 = none) */
  roundTripMs: number;
  eventualConsistencyReads: number;
  /** Bearer token of the admin route `/_wslpolicy/faults` (random per start). */
  adminToken: string;
  /** Intune PATCH: 204 (observed) or 200 with the entity (documented) */
  patchAnswer: "noContent" | "entity";
  /** Win32 content upload behaviour (routes/app-content.ts). */
  content: ContentBehaviour;
}

export interface ContentBehaviour {
  /** Lifetime of an upload URL, in emulator time (scaled by `timeScale`). */
  sasLifetimeMs: number;
  /** GETs of a file that still show `*Pending` before the state settles. */
  pendingPolls: number;
  /** Reads of an app that show `processing` after its content version was committed. */
  publishingPolls: number;
}

export interface RouteContext {
  req: EmulatorRequest;
  params: string[];
  env: EmulatorEnv;
}

/** What a handler returns: the response, plus the object it created (for eventual consistency). */
export interface HandlerResult extends EmulatorResponse {
  created?: { collection: string; id: string };
}

export interface Route {
  method: string;
  pattern: string[];
  versions: readonly ApiVersion[];
  area: PermissionArea;
  /** Whether the route needs write permission (default: any method but GET). */
  write?: boolean;
  /** Intune service route: errors use Intune's `_version: 3` message envelope. */
  intune: boolean;
  /** For GETs under `<collection>/:id…`: the collection, so a not-yet-visible new object 404s. */
  entityCollection?: string;
  /** For list routes: page size used to tell which page a request reads (fault `500-on-page`). */
  pageSize?: number;
  handler(ctx: RouteContext): HandlerResult | Promise<HandlerResult>;
}

export const BOTH: readonly ApiVersion[] = ["beta", "v1.0"];
export const BETA: readonly ApiVersion[] = ["beta"];

function segMatches(pattern: string, seg: string): boolean {
  return pattern.startsWith(":") ? seg.length > 0 : pattern.toLowerCase() === seg.toLowerCase();
}

export interface RouteMatch {
  route: Route;
  params: string[];
}

export class Router {
  constructor(private readonly routes: Route[]) {}

  match(req: EmulatorRequest): RouteMatch {
    const segs = req.segments;
    const candidates = this.routes.filter((r) => r.versions.includes(req.version));
    let bestPrefix = 0;
    const sameShape: Route[] = [];
    for (const r of candidates) {
      let i = 0;
      while (i < r.pattern.length && i < segs.length && segMatches(r.pattern[i]!, segs[i]!)) i++;
      if (i === segs.length && i === r.pattern.length) {
        sameShape.push(r);
        if (r.method === req.method) {
          return { route: r, params: r.pattern.flatMap((p, k) => (p.startsWith(":") ? [segs[k]!] : [])) };
        }
      }
      bestPrefix = Math.max(bestPrefix, i);
    }
    if (sameShape.length > 0) throw noODataRoute(req, sameShape[0]!.pattern);
    throw segmentNotFound(segs[Math.min(bestPrefix, segs.length - 1)] ?? "");
  }
}

/** Intune's answer to a path its model knows but has no route for with this verb (a route's `pattern`). */
export function noODataRoute(req: EmulatorRequest, pattern: readonly string[]): GraphHttpError {
  const template = pattern
    .map((p, k) =>
      k === 0
        ? /^device(App)?Management$/i.test(p)
          ? "singleton"
          : "entityset"
        : p.startsWith(":")
          ? "key"
          : "navigation",
    )
    .join("/");
  return new GraphHttpError(
    400,
    "No method match route template",
    `No OData route exists that match template ~/${template} with http verb ${req.method} for request /${req.path}.`,
  );
}
