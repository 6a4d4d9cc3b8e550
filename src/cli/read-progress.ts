// The progress line `plan`, `drift` and `export` draw on stderr while they read a tenant: what has been
// read so far per phase (readTenant's onProgress) and the requests sent, redrawn on a timer because a
// phase read through `$batch` reports only when it finishes while the request count keeps moving.
// Drawn only when both stdout and stderr are terminals: nothing of it reaches a pipe, a redirected
// report or a captured log.
import ora from "ora";
import type { GraphClient } from "../graph";
import type { ReadProgress } from "../tenant";
import type { CliIO } from "./io";

const REDRAW_MS = 250;

const count = (n: number) => n.toLocaleString("en-US");

/**
 * `2,059 objects · settings of 2,036 policies · 114 requests (2,036 in $batch)`. List phases add up to
 * objects; the follow-up phases (readTenant's "settings", "assignments") count the objects they completed.
 */
export function describeReadProgress(
  items: ReadonlyMap<string, number>,
  requests: number,
  innerRequests: number,
): string {
  let objects = 0;
  const followUps: string[] = [];
  for (const [phase, n] of items) {
    if (phase === "settings") followUps.push(`settings of ${count(n)} ${n === 1 ? "policy" : "policies"}`);
    else if (phase === "assignments") followUps.push(`assignments of ${count(n)} ${n === 1 ? "object" : "objects"}`);
    else objects += n;
  }
  const sent = `${count(requests)} ${requests === 1 ? "request" : "requests"}${innerRequests > 0 ? ` (${count(innerRequests)} in $batch)` : ""}`;
  return [`${count(objects)} ${objects === 1 ? "object" : "objects"}`, ...followUps, sent].join(" · ");
}

/** One terminal line: a wrapped spinner line cannot be redrawn cleanly. */
function fit(text: string, columns: number | undefined): string {
  const room = (columns ?? 80) - 3; // spinner frame and space
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
}

export interface TenantReadProgress {
  /** Connected: from now on the line names the tenant and counts the client's requests. */
  reading(label: string, graph: GraphClient): void;
  /** Pass as readTenant's `onProgress`. */
  onProgress(p: ReadProgress): void;
  stop(): void;
}

export function startReadProgress(io: CliIO): TenantReadProgress {
  const enabled = io.isTTY && io.stderrIsTTY === true;
  const spinner = ora({ text: "connecting", stream: process.stderr, isEnabled: enabled, isSilent: !enabled });
  const items = new Map<string, number>();
  let label = "";
  let graph: GraphClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (graph)
      spinner.text = fit(
        `${describeReadProgress(items, graph.requestCount, graph.stats.innerRequests)} — reading ${label}`,
        process.stderr.columns,
      );
  };
  if (enabled) spinner.start();
  return {
    reading(l, g) {
      label = l;
      graph = g;
      draw();
      if (enabled) timer = setInterval(draw, REDRAW_MS).unref();
    },
    onProgress(p) {
      items.set(p.phase, p.items);
      // every settings $batch reports: composing a line nobody sees cost a 10,000-policy read real time
      if (enabled) draw();
    },
    stop() {
      clearInterval(timer);
      spinner.stop();
    },
  };
}
