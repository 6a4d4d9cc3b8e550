// The client-side budget: never more than the limit in any window (a request counts from the moment it
// is sent until a window after its answer arrived), writes limited separately, a batch's items charged
// together, and a bounded number of requests in flight. Logical time (fake timers), no wall-clock checks.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RequestBudget, Semaphore } from "../../src/graph/budget";

describe("RequestBudget", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("holds the write beyond the limit until the oldest answered write leaves the window", async () => {
    const budget = new RequestBudget({ requests: 100, writes: 3, windowMs: 20_000, concurrency: 4 });
    const done: number[] = [];
    for (let i = 0; i < 4; i++) void budget.acquire(["POST"]).then((release) => (done.push(i), release()));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(done).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(done).toEqual([0, 1, 2, 3]);
  });

  it("counts a request in flight until its answer arrives, and a window from then", async () => {
    const budget = new RequestBudget({ requests: 1, writes: 1, windowMs: 1_000, concurrency: 4 });
    const release = await budget.acquire(["GET"]);
    let second = false;
    void budget.acquire(["GET"]).then(() => (second = true));
    await vi.advanceTimersByTimeAsync(5_000); // the first is still in flight: no room however long
    expect(second).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(900);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(second).toBe(true);
  });

  it("does not hold reads back when only the write budget is spent", async () => {
    const budget = new RequestBudget({ requests: 100, writes: 1, windowMs: 20_000, concurrency: 4 });
    (await budget.acquire(["PATCH"]))();
    let read = false;
    await budget.acquire(["GET"]).then(() => (read = true));
    expect(read).toBe(true);
  });

  it("charges the items of a batch together, so two batches cannot each hold half the budget", async () => {
    const budget = new RequestBudget({ requests: 100, writes: 30, windowMs: 1_000, concurrency: 4 });
    const order: string[] = [];
    const a = budget.acquire(Array(20).fill("PUT")).then((r) => (order.push("a"), r));
    const b = budget.acquire(Array(20).fill("PUT")).then((r) => (order.push("b"), r));
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual(["a"]);
    (await a)();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(order).toEqual(["a", "b"]);
    (await b)();
    await expect(budget.acquire(Array(31).fill("PUT"))).rejects.toThrow(/31 requests can never fit a budget of 30/);
  });

  it("scales the window with timeScale", async () => {
    const budget = new RequestBudget({ requests: 1, writes: 1, windowMs: 20_000, concurrency: 1 }, 0.01);
    (await budget.acquire(["GET"]))();
    let second = false;
    void budget.acquire(["GET"]).then(() => (second = true));
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
