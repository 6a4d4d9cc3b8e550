// The fault matrix (issue 12): every fault kind Graph and Intune really produce (src/emulator/faults.ts,
// with the sources cited there) against every operation wslpolicy performs on a tenant. A cell is a fault
// rule aimed at the request the operation makes; the operation must either succeed after retries or fail
// with a clear error, and in both cases leave the tenant in a state it reports truthfully: no twin, no lost
// update, nothing left behind that was reported deleted, and never "no changes"/"clean" on an error.
import type { FaultRule } from "../../src/emulator";

export const OPERATIONS = ["plan", "drift", "create", "update", "assign", "delete", "refresh", "upload"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const FAULTS = [
  "429 + Retry-After",
  "429, no Retry-After",
  "500",
  "503",
  "504",
  "reset",
  "504 after commit",
  "404 short",
  "404 long",
  "500 on page 2",
  "batch partly 429",
] as const;
export type Fault = (typeof FAULTS)[number];

const CONFIG = "deviceManagement/configurationPolicies";
const BY_ID = /^deviceManagement\/configurationPolicies\/[^/]+$/;
const SETTINGS = /^deviceManagement\/configurationPolicies\/[^/]+\/settings$/;
const ASSIGN = /^deviceManagement\/configurationPolicies\/[^/]+\/assign$/;
/** A block of a Win32 app's content, on the storage URL Intune hands out (Put Block). */
const BLOCK = /^blob\//;
/** The content file whose upload state the client polls. */
const CONTENT_FILE =
  /^deviceAppManagement\/mobileApps\/[^/]+\/microsoft\.graph\.win32LobApp\/contentVersions\/[^/]+\/files\/[^/]+$/;

/** The request each operation makes that a fault is aimed at. */
const TARGET: Record<Operation, { method: string; path: string | RegExp }> = {
  plan: { method: "GET", path: CONFIG },
  drift: { method: "GET", path: CONFIG },
  create: { method: "POST", path: CONFIG },
  update: { method: "PUT", path: BY_ID },
  assign: { method: "POST", path: ASSIGN },
  delete: { method: "DELETE", path: BY_ID },
  refresh: { method: "GET", path: BY_ID },
  upload: { method: "PUT", path: BLOCK },
};

const READS: readonly Operation[] = ["plan", "drift"];
const WRITES: readonly Operation[] = ["create", "update", "assign", "delete", "upload"];

/**
 * The fault rules of a cell, or undefined where the fault cannot reach the operation (a committed write
 * has no meaning for a read; only reads page and batch).
 */
export function cellFaults(op: Operation, fault: Fault): FaultRule[] | undefined {
  const at = TARGET[op];
  switch (fault) {
    case "429 + Retry-After":
      return [{ ...at, kind: "429", times: 2 }];
    case "429, no Retry-After":
      return [{ ...at, kind: "429", retryAfter: "absent", times: 2 }];
    case "500":
      return [{ ...at, kind: "500", times: 1 }];
    case "503":
      return [{ ...at, kind: "503", times: 2 }];
    case "504":
      return [{ ...at, kind: "504", times: 2 }];
    case "reset":
      return [{ ...at, kind: "reset", times: 1 }];
    case "504 after commit":
      return WRITES.includes(op) ? [{ ...at, kind: "504-after-commit", times: 1 }] : undefined;
    case "404 short":
    case "404 long": {
      const times = fault === "404 short" ? 2 : 60;
      // A read of something just written: a policy's settings (plan, drift), the new object (create), or
      // the object the write or read is aimed at.
      if (READS.includes(op)) return [{ method: "GET", path: SETTINGS, kind: "404", times }];
      if (op === "create") return [{ ...at, kind: "eventual-404", reads: times }];
      // The upload polls its content file's state right after creating it.
      if (op === "upload") return [{ method: "GET", path: CONTENT_FILE, kind: "404", times }];
      return [{ ...at, kind: "404", times }];
    }
    case "500 on page 2":
      // Lists that page: the tenant read (compliance policies, 25 a page) and the marker lookup of a create.
      if (READS.includes(op))
        return [
          { method: "GET", path: "deviceManagement/deviceCompliancePolicies", kind: "500-on-page", page: 2, times: 1 },
        ];
      if (op === "create") return [{ method: "GET", path: CONFIG, kind: "500-on-page", page: 2, times: 1 }];
      return undefined;
    case "batch partly 429":
      return READS.includes(op) ? [{ method: "GET", path: SETTINGS, kind: "429", nth: 2, times: 3 }] : undefined;
  }
}

export type Outcome =
  | { kind: "survived"; detail: string }
  | { kind: "clear error"; detail: string }
  | { kind: "n/a" }
  | { kind: "FAILED"; detail: string };

/** An error a person can act on: it names the request or what failed, and is not a crash of our own code. */
export function isClearError(message: string): boolean {
  return (
    /\b(GET|POST|PUT|PATCH|DELETE)\b|failed|refused|\b[45]\d\d\b/.test(message) &&
    !/Cannot read propert|is not a function|undefined is not|Maximum call stack/.test(message)
  );
}

/** The matrix as text: one row per fault, one column per operation, and the counts. */
export function renderMatrix(results: Map<string, Outcome>, ops: readonly Operation[]): string {
  const mark = (o: Outcome | undefined) =>
    !o ? "?" : o.kind === "survived" ? "ok" : o.kind === "clear error" ? "error" : o.kind === "n/a" ? "–" : "FAIL";
  const width = Math.max(...FAULTS.map((f) => f.length));
  const lines = [`${"".padEnd(width)}  ${ops.map((o) => o.padEnd(7)).join(" ")}`];
  for (const fault of FAULTS)
    lines.push(`${fault.padEnd(width)}  ${ops.map((o) => mark(results.get(`${o}|${fault}`)).padEnd(7)).join(" ")}`);
  const all = [...results.values()];
  const count = (k: Outcome["kind"]) => all.filter((o) => o.kind === k).length;
  lines.push("");
  lines.push(
    `${all.length - count("n/a")} cells: ${count("survived")} succeeded after retries, ${count("clear error")} failed with a clear error, ${count("FAILED")} failed an invariant; ${count("n/a")} not applicable`,
  );
  lines.push(
    "ok = succeeded after retries, invariants hold; error = a clear error, invariants hold; – = the fault cannot reach the operation",
  );
  return lines.join("\n");
}
