import { describe, expect, it } from "vitest";
import { RetryBudget } from "./retry-budget";

const throttled = { errorType: "THROTTLING" as const };
const transient = { errorType: "TRANSIENT" as const };

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("retry budget", () => {
  it("retries throttling and transient errors only, up to the attempt limit", async () => {
    const b = new RetryBudget({ maxAttempts: 3, random: () => 0.5 });
    let token = await b.acquireInitialRetryToken();
    await expect(b.refreshRetryTokenForRetry(token, { errorType: "CLIENT_ERROR" })).rejects.toThrow(/not retryable/);
    await expect(b.refreshRetryTokenForRetry(token, { errorType: "SERVER_ERROR" })).rejects.toThrow(/not retryable/);
    token = await b.refreshRetryTokenForRetry(token, throttled);
    token = await b.refreshRetryTokenForRetry(token, transient);
    expect(token.getRetryCount()).toBe(2);
    await expect(b.refreshRetryTokenForRetry(token, throttled)).rejects.toThrow(/no attempts left/);
  });

  it("backs off exponentially with full jitter, longer for throttling, capped", async () => {
    const delays = async (random: number, info: typeof throttled | typeof transient) => {
      const b = new RetryBudget({ maxAttempts: 10, random: () => random, baseDelayMs: 100, throttlingBaseDelayMs: 500, maxDelayMs: 20_000 });
      let token = await b.acquireInitialRetryToken();
      const out: number[] = [];
      for (let i = 0; i < 8; i++) out.push((token = await b.refreshRetryTokenForRetry(token, info)).getRetryDelay());
      return out;
    };
    expect(await delays(1, transient)).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800]);
    expect(await delays(1, throttled)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 20000, 20000]);
    expect(await delays(0.25, transient)).toEqual([25, 50, 100, 200, 400, 800, 1600, 3200]);
    expect(await delays(0, throttled)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("honours a Retry-After hint", async () => {
    const c = clock();
    const b = new RetryBudget({ now: c.now, random: () => 0 });
    const t = await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), { ...throttled, retryAfterHint: new Date(c.now() + 3_000) });
    expect(t.getRetryDelay()).toBe(3_000);
  });

  it("slows retries down when the budget is spent, and recovers with time instead of failing every later call", async () => {
    const c = clock();
    const b = new RetryBudget({ now: c.now, random: () => 0, capacity: 50, refillPerSecond: 10, throttlingCost: 5, maxBudgetWaitMs: 30_000 });
    // Ten failing calls spend the whole budget...
    for (let i = 0; i < 10; i++) expect((await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), throttled)).getRetryDelay()).toBe(0);
    expect(b.available()).toBe(0);
    // ...the next retry waits for the refill (5 tokens at 10 a second) rather than failing its call.
    expect((await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), throttled)).getRetryDelay()).toBe(500);
    // A second one queues behind it.
    expect((await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), throttled)).getRetryDelay()).toBe(1_000);
    c.advance(60_000);
    expect(b.available()).toBe(50);
    expect((await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), throttled)).getRetryDelay()).toBe(0);
  });

  it("fails the call when the budget would take longer than the bound to refill (AWS is down, not busy)", async () => {
    const c = clock();
    const b = new RetryBudget({ now: c.now, random: () => 0, capacity: 10, refillPerSecond: 1, transientCost: 10, maxBudgetWaitMs: 15_000 });
    await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient);
    await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient);
    await expect(b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient)).rejects.toThrow(/budget spent/);
    c.advance(25_000);
    await expect(b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient)).resolves.toBeDefined();
  });

  it("gives back a retried call's cost when it succeeds, and one token for a call that needed none", async () => {
    const c = clock();
    const b = new RetryBudget({ now: c.now, random: () => 0, capacity: 100, refillPerSecond: 1, transientCost: 10 });
    const t = await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient);
    expect(b.available()).toBe(90);
    b.recordSuccess(t);
    expect(b.available()).toBe(100);
    await b.refreshRetryTokenForRetry(await b.acquireInitialRetryToken(), transient);
    b.recordSuccess(await b.acquireInitialRetryToken());
    expect(b.available()).toBe(91);
  });
});
