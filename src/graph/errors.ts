// Errors of the Graph client: one `GraphError` carrying status, Graph error code, message and request id,
// the permission a 403 needs (route + method → application permission, https://learn.microsoft.com/graph/permissions-reference), and
// `redact`, which every message passes through so a token or secret never reaches a log, an error or a
// snapshot.

import { KINDS, OBJECT_KINDS } from "../kinds";
import { parseRetryAfter } from "./retry";
import { isRecord } from "../model";

/** Application permissions wslpolicy uses (https://learn.microsoft.com/graph/permissions-reference). */
export type GraphPermission =
  | "DeviceManagementConfiguration.Read.All"
  | "DeviceManagementConfiguration.ReadWrite.All"
  | "DeviceManagementApps.Read.All"
  | "DeviceManagementApps.ReadWrite.All"
  | "Group.Read.All"
  | "Group.ReadWrite.All";

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * The least permission that allows `method` on `path`, or undefined for routes outside wslpolicy's scope.
 * `path` may carry a version prefix, a query string, or be an absolute URL.
 */
export function permissionFor(method: string, path: string): GraphPermission | undefined {
  const route = routeOf(path);
  const write = !READ_METHODS.has(method.toUpperCase());
  // Intune report actions are POSTs that only read.
  const reportRead = /^deviceManagement\/reports\//i.test(route);
  // A managed kind's collection needs the permissions its descriptor names (src/kinds/).
  const kind = OBJECT_KINDS.find((k) => `${route.toLowerCase()}/`.startsWith(`${KINDS[k].collection.toLowerCase()}/`));
  if (kind) return write ? KINDS[kind].permissions.write : KINDS[kind].permissions.read;
  if (/^deviceAppManagement\//i.test(route)) {
    return write ? "DeviceManagementApps.ReadWrite.All" : "DeviceManagementApps.Read.All";
  }
  if (/^deviceManagement\//i.test(route)) {
    return write && !reportRead
      ? "DeviceManagementConfiguration.ReadWrite.All"
      : "DeviceManagementConfiguration.Read.All";
  }
  if (/^groups(\b|\/|\(|$)/i.test(route)) return write ? "Group.ReadWrite.All" : "Group.Read.All";
  return undefined;
}

/** `deviceManagement/configurationPolicies/x` from `https://host/beta/deviceManagement/...?$top=1`. */
export function routeOf(path: string): string {
  let p = path.replace(/^https?:\/\/[^/]+/i, "");
  p = p.split("?")[0] ?? "";
  p = p.replace(/^\/+/, "").replace(/^(beta|v1\.0)\//i, "");
  return p;
}

export interface GraphErrorInit {
  status: number;
  code?: string;
  message: string;
  requestId?: string;
  method: string;
  path: string;
  /** Milliseconds the server asked to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  /** Transport failure (reset, timeout): the request may or may not have been processed. */
  network?: boolean;
  /** No access token could be had: the request never left this machine. */
  auth?: boolean;
}

/** A failed Graph request. `status` is 0 for transport failures (connection reset, timeout). */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs: number | undefined;
  readonly network: boolean;
  readonly auth: boolean;
  /** For a 403: the application permission the request needs. */
  readonly permission: GraphPermission | undefined;

  constructor(init: GraphErrorInit) {
    const permission = init.status === 403 ? permissionFor(init.method, init.path) : undefined;
    const route = redact(routeOf(init.path));
    const what = `${init.method.toUpperCase()} ${route}`;
    const detail = redact(init.message);
    let text: string;
    if (init.auth) text = `${what} was not sent: no access token could be obtained (${detail})`;
    else if (init.network) text = `${what} failed: ${detail}`;
    else if (init.status === 0) text = `${what}: ${detail}`;
    else if (permission) {
      text = `${what} was refused (403): the application needs the Microsoft Graph application permission ${permission} (admin consent required). Graph said: ${detail}`;
    } else text = `${what} failed with ${init.status}${init.code ? ` ${init.code}` : ""}: ${detail}`;
    if (init.requestId) text += ` (request-id ${init.requestId})`;
    super(text);
    this.name = "GraphError";
    this.status = init.status;
    this.code = init.code ?? (init.auth ? "AuthenticationFailed" : init.network ? "NetworkError" : "");
    this.requestId = init.requestId;
    this.method = init.method.toUpperCase();
    this.path = redact(init.path);
    this.retryAfterMs = init.retryAfterMs;
    this.network = init.network ?? false;
    this.auth = init.auth ?? false;
    this.permission = permission;
  }

  /** 404: the object is not there (or not yet visible: replicas converge after a create). */
  get notFound(): boolean {
    return this.status === 404;
  }

  /**
   * The request may have been carried out even though it failed: a transport failure, a timeout or a 5xx.
   * A create that fails this way must look for its marker before trying again (README, "Ownership").
   */
  get ambiguous(): boolean {
    return this.network || this.status >= 500;
  }
}

/** Several reads refused with 403: names every permission the application lacks, once each. */
export class MissingPermissionsError extends Error {
  readonly permissions: GraphPermission[];
  readonly refused: GraphError[];

  constructor(refused: GraphError[]) {
    const permissions = [...new Set(refused.flatMap((e) => (e.permission ? [e.permission] : [])))].sort();
    const requests = refused.map((e) => `${e.method} ${redact(routeOf(e.path))}`);
    super(
      permissions.length > 0
        ? `Graph refused ${refused.length === 1 ? "a read" : `${refused.length} reads`} (403): the application needs the Microsoft Graph application permission${permissions.length === 1 ? "" : "s"} ${permissions.join(", ")} (admin consent required); refused: ${requests.join(", ")}`
        : refused[0]!.message,
    );
    this.name = "MissingPermissionsError";
    this.permissions = permissions;
    this.refused = refused;
  }
}

/** A non-2xx answer as a GraphError (Retry-After read relative to `now`). */
export function toGraphError(
  method: string,
  path: string,
  res: { status: number; headers: Record<string, string>; body: unknown },
  now: number,
): GraphError {
  const parsed = parseErrorBody(res.body);
  const retryAfterMs = parseRetryAfter(res.headers["retry-after"], now);
  return new GraphError({
    status: res.status,
    code: parsed.code,
    message: parsed.message ?? `HTTP ${res.status}`,
    requestId: parsed.requestId ?? res.headers["request-id"],
    method,
    path,
    retryAfterMs,
  });
}

/**
 * Graph's error envelope `{error:{code,message,innerError:{request-id}}}`. Intune puts a JSON document in a
 * string in `message` (`{"_version":3,"Message":"An error has occurred - ..."}`, as Intune's error responses quoted
 * in public issues show); its `Message` is what a person needs to read.
 */
export function parseErrorBody(body: unknown): { code?: string; message?: string; requestId?: string } {
  if (typeof body === "string") {
    try {
      return parseErrorBody(JSON.parse(body));
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : {};
    }
  }
  if (!isRecord(body) || !isRecord(body.error)) return {};
  const err = body.error;
  const inner = isRecord(err.innerError) ? err.innerError : isRecord(err.innererror) ? err.innererror : {};
  let message = typeof err.message === "string" ? err.message : undefined;
  if (message && message.trimStart().startsWith("{")) {
    try {
      const intune: unknown = JSON.parse(message);
      if (isRecord(intune) && typeof intune.Message === "string") message = intune.Message;
    } catch {
      // not Intune's JSON-in-a-string; keep the text as sent
    }
  }
  return {
    code: typeof err.code === "string" ? err.code : undefined,
    message,
    requestId: typeof inner["request-id"] === "string" ? inner["request-id"] : undefined,
  };
}

// --- redaction -------------------------------------------------------------------------------------------

const REDACTED = "[REDACTED]";

// Three base64url segments, the first starting with `eyJ` (`{"`): a JWT, signed or not.
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
// A credential after an auth scheme is long and has digits; prose ("Basic WSL lock-down", a real policy
// description) must survive, or `export` refuses to write the snapshot of an ordinary tenant.
const BEARER = /\b(Bearer|Basic)\s+(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{16,}/gi;
const AUTH_HEADER = /("?(?:authorization|x-ms-token|proxy-authorization)"?\s*[:=]\s*"?)([^"\r\n,}]+)/gi;
// key=value / "key": "value" pairs whose key names a secret.
const SECRET_PAIR =
  /("?\b(?:client_secret|clientsecret|AZURE_CLIENT_SECRET|client_assertion|access_token|refresh_token|id_token|password|SYSTEM_ACCESSTOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|WSLPOLICY_EMULATOR_TOKEN|sig)"?\s*[:=]\s*"?)([^"&\s,}]+)/gi;

const knownSecrets = new Set<string>();

/** Registers a secret value (a client secret, a token) so `redact` removes it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

/** Removes tokens, Authorization values and secrets from text meant for people or files. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(REDACTED);
  return out
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(AUTH_HEADER, (_m, key: string) => `${key}${REDACTED}`)
    .replace(SECRET_PAIR, (_m, key: string) => `${key}${REDACTED}`);
}

/** An error's message, redacted, for printing. */
export function describeError(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}
