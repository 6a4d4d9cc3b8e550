// The request and response the emulator's router works with, independent of node:http so that inner
// `$batch` requests run through exactly the same pipeline as top-level ones.

export type ApiVersion = "beta" | "v1.0";

export interface Identity {
  appId: string;
  roles: ReadonlySet<string>;
}

export interface EmulatorRequest {
  method: string;
  version: ApiVersion;
  /** Decoded path segments after the version, with OData key syntax `x('id')` split into `x`, `id`. */
  segments: string[];
  /** The path without version prefix, e.g. `deviceManagement/configurationPolicies/<id>`. */
  path: string;
  /** Query options; system options are keyed without `$` (beta accepts both forms). */
  query: Map<string, string>;
  /** Raw query string (without `?`), kept for nextLinks. */
  rawQuery: string;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Buffer;
  inBatch: boolean;
  /** `https://localhost:<port>/` */
  baseUrl: string;
  identity: Identity;
  requestId: string;
  clientRequestId?: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body (serialised by the transport) */
  json?: unknown;
  /** Raw body (octet-stream, XML) */
  raw?: Buffer;
  /** Destroy the connection without answering (fault `reset`). */
  reset?: boolean;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse => ({
  status,
  headers: {
    "Content-Type":
      "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
    ...headers,
  },
  json: body,
});

export const noContent = (): EmulatorResponse => ({ status: 204, headers: {} });

export const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);
