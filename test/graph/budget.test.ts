// The client-side budget: never more than the limit in any window, writes limited separately, and a
// bounded number of requests in flight. Logical time (fake timers), no wall-clock assertions.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RequestBudget, Semaphore } from "../../src/graph/budget";

describe("RequestBudget", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("holds the write beyond the limit until the oldest write leaves the window", async () => {
    const budget = new RequestBudget({ requests: 100, writes: 3, windowMs: 20_000, concurrency: 4 });
    const done: number[] = [];
    for (let i = 0; i < 4; i++) void budget.acquire("POST").then(() => done.push(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(done).toEqual([0, 1, 2, 3]);
  });

  it("does not hold reads back when only the write budget is spent", async () => {
    const budget = new RequestBudget({ requests: 100, writes: 1, windowMs: 20_000, concurrency: 4 });
    await budget.acquire("PATCH");
    let read = false;
    await budget.acquire("GET").then(() => (read = true));
    expect(read).toBe(true);
  });

  it("counts reads and writes against the overall request limit", async () => {
    const budget = new RequestBudget({ requests: 2, writes: 10, windowMs: 1_000, concurrency: 4 });
    const done: string[] = [];
    void budget.acquire("GET").then(() => done.push("a"));
    void budget.acquire("DELETE").then(() => done.push("b"));
    void budget.acquire("GET").then(() => done.push("c"));
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toEqual(["a", "b", "c"]);
  });

  it("scales the window with timeScale", async () => {
    const budget = new RequestBudget({ requests: 1, writes: 1, windowMs: 20_000, concurrency: 1 }, 0.01);
    await budget.acquire("GET");
    let second = false;
    void budget.acquire("GET").then(() => (second = true));
    await vi.advanceTimersByTimeAsync(150);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(second).toBe(true);
  });
});

describe("Semaphore", () => {
  it("never runs more than its size at once", async () => {
    const sem = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        sem.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
