import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from "@smithy/types";

export interface RetryBudgetOptions {
  /** attempts per call, the first included */
  maxAttempts: number;
  /** backoff base for 5xx, cut and reset connections */
  baseDelayMs: number;
  /** backoff base for throttling: AWS asks for room, give it more */
  throttlingBaseDelayMs: number;
  maxDelayMs: number;
  /** retry tokens when full, as the SDK's standard strategy */
  capacity: number;
  /** tokens that come back each second: what makes the budget recover during a long pass */
  refillPerSecond: number;
  throttlingCost: number;
  transientCost: number;
  /** when the budget is spent, a retry waits this long at most for it to refill, then the call fails */
  maxBudgetWaitMs: number;
  now: () => number;
  random: () => number;
}

export const RETRY_DEFAULTS: Omit<RetryBudgetOptions, "now" | "random"> = {
  maxAttempts: 8,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 20_000,
  capacity: 500,
  refillPerSecond: 10,
  throttlingCost: 5,
  transientCost: 10,
  maxBudgetWaitMs: 30_000,
};

class Token implements StandardRetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
    private readonly cost: number | undefined,
  ) {}
  getRetryCount = () => this.count;
  getRetryDelay = () => this.delay;
  getRetryCost = () => this.cost;
}

/**
 * The SDK's standard retry rules (only throttling and transient errors, exponential backoff with
 * full jitter, a token bucket that stops retry storms) with one difference: the bucket refills with
 * time. The SDK's bucket only refills on successes, so at a steady fault rate a long pass spends it
 * and every later fault fails its call at once; here a spent bucket slows retries down to the refill
 * rate instead, and the pass goes on.
 */
export class RetryBudget implements RetryStrategyV2 {
  private readonly o: RetryBudgetOptions;
  private tokens: number;
  private last: number;

  constructor(opts: Partial<RetryBudgetOptions> = {}) {
    this.o = { ...RETRY_DEFAULTS, now: Date.now, random: Math.random, ...opts };
    this.tokens = this.o.capacity;
    this.last = this.o.now();
  }

  /** Tokens left now (may be below zero while retries wait for the refill). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  async acquireInitialRetryToken(): Promise<StandardRetryToken> {
    return new Token(0, 0, undefined);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    const { errorType } = info;
    if (errorType !== "THROTTLING" && errorType !== "TRANSIENT") throw new Error("not retryable");
    const retries = token.getRetryCount();
    if (retries + 1 >= this.o.maxAttempts) throw new Error("no attempts left");
    const cost = errorType === "THROTTLING" ? this.o.throttlingCost : this.o.transientCost;
    this.refill();
    // Waiting for tokens others already reserved keeps the retry rate at the refill rate.
    const waitForBudget = this.tokens >= cost ? 0 : ((cost - this.tokens) / this.o.refillPerSecond) * 1000;
    if (waitForBudget > this.o.maxBudgetWaitMs) throw new Error("retry budget spent");
    this.tokens -= cost;
    const base = errorType === "THROTTLING" ? this.o.throttlingBaseDelayMs : this.o.baseDelayMs;
    let backoff = Math.floor(this.o.random() * Math.min(this.o.maxDelayMs, base * 2 ** retries));
    const hint = info.retryAfterHint?.getTime();
    if (hint !== undefined) backoff = Math.max(backoff, Math.min(hint - this.o.now(), this.o.maxDelayMs));
    return new Token(retries + 1, Math.ceil(Math.max(backoff, waitForBudget)), cost);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.refill();
    // A call that succeeded after retries gives back its last retry's cost, as in the SDK.
    this.tokens = Math.min(this.o.capacity, this.tokens + (token.getRetryCost() ?? 1));
  }

  private refill(): void {
    const t = this.o.now();
    this.tokens = Math.min(this.o.capacity, this.tokens + ((t - this.last) / 1000) * this.o.refillPerSecond);
    this.last = t;
  }
}
