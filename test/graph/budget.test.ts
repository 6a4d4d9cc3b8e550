// The client-side budget: never more than the limit in any window (a request counts from the moment it
// is sent until a window after its answer arrived), writes limited separately, a batch's items charged
// together, and a bounded number of requests in flight. Logical time (fake timers), no wall-clock checks.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INTUNE_LIMITS, IntuneBudgets, RequestBudget, Semaphore } from "../../src/graph/budget";

const POLICIES = "/deviceManagement/configurationPolicies";
const COMPLIANCE = "/deviceManagement/deviceCompliancePolicies";

describe("IntuneBudgets", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("spends Intune's documented 1,000 requests and 100 writes per 20 s, no margin (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits)", () => {
    expect(INTUNE_LIMITS).toMatchObject({ requests: 1000, writes: 100, windowMs: 20_000 });
  });

  it("reads 950 and then 50 more in one window: no wait Graph would not impose", async () => {
    const budgets = new IntuneBudgets();
    for (let i = 0; i < 50; i++)
      (await budgets.acquire(Array(19).fill({ method: "GET", url: `${POLICIES}/x/settings` })))();
    let last = false;
    void budgets.acquire(Array(50).fill({ method: "GET", url: `${POLICIES}/y/settings` })).then(() => (last = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(budgets.waitedMs).toBe(0);
    expect(last).toBe(true);
  });

  it("keeps one budget per Intune service, and charges nothing for groups", async () => {
    const budgets = new IntuneBudgets({ ...INTUNE_LIMITS, writes: 2 });
    for (let i = 0; i < 2; i++) (await budgets.acquire([{ method: "POST", url: POLICIES }]))();
    let compliance = false;
    let policy = false;
    void budgets.acquire([{ method: "POST", url: COMPLIANCE }]).then(() => (compliance = true));
    void budgets.acquire([{ method: "POST", url: `/beta${POLICIES}` }]).then(() => (policy = true));
    await budgets.acquire(Array(1000).fill({ method: "POST", url: "/groups" }));
    await vi.advanceTimersByTimeAsync(0);
    expect(compliance).toBe(true);
    expect(policy).toBe(false);
  });

  it("holds a service's budget while a 429 said to wait, so requests in flight do not each meet one", async () => {
    const budgets = new IntuneBudgets();
    budgets.hold([`${POLICIES}/a/assign`], 5_000);
    let sent = false;
    let other = false;
    void budgets.acquire([{ method: "GET", url: POLICIES }]).then(() => (sent = true));
    void budgets.acquire([{ method: "GET", url: COMPLIANCE }]).then(() => (other = true));
    await vi.advanceTimersByTimeAsync(4_900);
    expect([sent, other]).toEqual([false, true]);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toBe(true);
  });

  it("resumes one request at a time after a 429, doubling with every answer that is not a 429", async () => {
    const budgets = new IntuneBudgets();
    budgets.hold([POLICIES], 1_000);
    const started: number[] = [];
    const releases = Array.from({ length: 4 }, (_, i) =>
      budgets.acquire([{ method: "GET", url: POLICIES }]).then((release) => (started.push(i), release)),
    );
    await vi.advanceTimersByTimeAsync(1_100);
    expect(started).toEqual([0]);
    (await releases[0]!)(true); // another 429: still one at a time
    budgets.hold([POLICIES], 100);
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toEqual([0, 1]);
    (await releases[1]!)(); // answered: two may go
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toEqual([0, 1, 2, 3]);
  });
});

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
