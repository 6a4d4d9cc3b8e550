// Every request the emulator answered (inner `$batch` requests included), so tests and benchmarks can
// count calls, writes and statuses without instrumenting the client.
import { WRITE_METHODS } from "./http-types";

export interface RequestLogEntry {
  method: string;
  /**
   * Path without version prefix, e.g. `deviceManagement/configurationPolicies`; `$batch` for the envelope, `blob/...`
   * for storage.
   */
  path: string;
  /** Raw query string without `?` */
  query: string;
  status: number;
  inBatch: boolean;
  /** Milliseconds since the epoch */
  timestamp: number;
}

export interface RequestLogFilter {
  method?: string;
  path?: string | RegExp;
  status?: number;
  inBatch?: boolean;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  count(filter: RequestLogFilter = {}): number {
    return this.entries.filter((e) => matches(e, filter)).length;
  }

  /**
   * Graph writes (POST/PUT/PATCH/DELETE), not counting `$batch` envelopes, blob-storage uploads or the
   * report actions (`deviceManagement/reports/…`: POSTs that only read).
   */
  writes(): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        WRITE_METHODS.has(e.method) &&
        e.path !== "$batch" &&
        !e.path.startsWith("blob/") &&
        !e.path.startsWith("deviceManagement/reports/"),
    );
  }

  reset(): void {
    this.entries.length = 0;
  }
}

function matches(e: RequestLogEntry, f: RequestLogFilter): boolean {
  if (f.method !== undefined && e.method !== f.method.toUpperCase()) return false;
  if (f.status !== undefined && e.status !== f.status) return false;
  if (f.inBatch !== undefined && e.inBatch !== f.inBatch) return false;
  if (f.path !== undefined && !(typeof f.path === "string" ? e.path === f.path : f.path.test(e.path))) return false;
  return true;
}
