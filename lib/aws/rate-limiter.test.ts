import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("lets a burst through at once, then spaces calls at the rate", async () => {
    const limiter = new RateLimiter(20, 2);
    const t0 = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire().then(() => times.push(Date.now() - t0))));
    times.sort((a, b) => a - b);
    expect(times[1]).toBeLessThan(30);
    // 4 calls beyond the burst at 20/s need about 200 ms.
    expect(times[5]).toBeGreaterThanOrEqual(180);
  });
});
