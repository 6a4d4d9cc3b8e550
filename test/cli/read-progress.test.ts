// The tenant-read progress line: what it counts, and that it is never drawn unless both stdout and
// stderr are terminals (a pipe, a redirected report or a captured log gets nothing of it).
import { describe, expect, it, vi } from "vitest";
import { describeReadProgress, startReadProgress } from "../../src/cli/read-progress";
import type { GraphClient } from "../../src/graph";

describe("describeReadProgress", () => {
  it("adds list phases up to objects and counts the requests sent, with those inside $batch", () => {
    const items = new Map([
      ["configuration policies", 2000],
      ["groups", 15],
      ["apps", 4],
    ]);
    expect(describeReadProgress(items, 57, 1240)).toBe("2,019 objects · 57 requests (1,240 in $batch)");
  });

  it("reports the settings and assignments follow-up phases by the objects they completed", () => {
    const items = new Map([
      ["configuration policies", 1],
      ["settings", 1],
      ["assignments", 3],
    ]);
    expect(describeReadProgress(items, 1, 0)).toBe(
      "1 object · settings of 1 policy · assignments of 3 objects · 1 request",
    );
  });
});

describe("startReadProgress", () => {
  const graph = { requestCount: 3, stats: { innerRequests: 0 } } as unknown as GraphClient;
  const io = (isTTY: boolean, stderrIsTTY: boolean | undefined) => ({
    stdout: () => {},
    stderr: () => {},
    isTTY,
    env: {},
    cwd: "/",
    ...(stderrIsTTY === undefined ? {} : { stderrIsTTY }),
  });

  it.each([
    ["stdout piped", false, true],
    ["stderr piped", true, false],
    ["stderr unknown", true, undefined],
  ])("draws nothing with %s", (_label, isTTY, stderrIsTTY) => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const progress = startReadProgress(io(isTTY, stderrIsTTY));
      progress.reading("tenant", graph);
      progress.onProgress({ phase: "groups", items: 2, requests: 3 });
      progress.stop();
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it("draws the counts on stderr when both are terminals", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    vi.useFakeTimers();
    try {
      const progress = startReadProgress(io(true, true));
      progress.reading("tenant", graph);
      progress.onProgress({ phase: "groups", items: 2, requests: 3 });
      vi.advanceTimersByTime(500); // the spinner draws on its own frame timer
      progress.stop();
      expect(write.mock.calls.map((c) => String(c[0])).join("")).toContain("2 objects · 3 requests — reading tenant");
    } finally {
      vi.useRealTimers();
      write.mockRestore();
    }
  });
});
