/**
 * A token bucket: at most `ratePerSecond` acquisitions per second on average, with bursts
 * up to `burst`. Callers wait their turn in order.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}

const limiters = new Map<string, RateLimiter>();

/** One limiter per key (e.g. "FilterLogEvents:<account>:<region>") for this process. */
export function sharedLimiter(key: string, ratePerSecond: number, burst = 1): RateLimiter {
  let l = limiters.get(key);
  if (!l) {
    l = new RateLimiter(ratePerSecond, burst);
    limiters.set(key, l);
  }
  return l;
}
