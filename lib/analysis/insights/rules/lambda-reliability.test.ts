import { describe, expect, it } from "vitest";
import { aFunction, evaluateOnFunction, HOUR, NOW } from "../__fixtures__/builders";
import {
  lambdaAsyncWithoutFailureDestination,
  lambdaDurationNearTimeout,
  lambdaErrorRate,
  lambdaInvocationSpike,
  lambdaIteratorAge,
  lambdaNewErrorType,
  lambdaOutOfMemory,
  lambdaThrottles,
  lambdaTimeouts,
} from "./lambda-reliability";

describe("lambda-timeouts", () => {
  it("warns on any timeout, naming the count and the timeout", () => {
    const finding = evaluateOnFunction(lambdaTimeouts, aFunction({ timeoutS: 30 }, { invocations: 1000, errors: 3, timeouts: 3 }));
    expect(finding).toMatchObject({
      ruleId: "lambda-timeouts",
      severity: "warning",
      pillar: "reliability",
      evidence: { timeouts: 3, invocations: 1000, timeoutRatePct: 0.3, timeoutS: 30 },
    });
    expect(finding?.recommendation).toContain("3 invocations of 1000");
    expect(finding?.recommendation).toContain("30 s timeout");
  });

  it("turns critical above 10 % of invocations, not at 10 %", () => {
    expect(evaluateOnFunction(lambdaTimeouts, aFunction({}, { invocations: 1000, timeouts: 101 }))?.severity).toBe("critical");
    expect(evaluateOnFunction(lambdaTimeouts, aFunction({}, { invocations: 1000, timeouts: 100 }))?.severity).toBe("warning");
  });

  it("stays quiet without timeouts or without stats", () => {
    expect(evaluateOnFunction(lambdaTimeouts, aFunction({}, { timeouts: 0 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaTimeouts, aFunction({}, null))).toBeUndefined();
  });
});

describe("lambda-out-of-memory", () => {
  it("warns and names the memory size to pick", () => {
    const finding = evaluateOnFunction(
      lambdaOutOfMemory,
      aFunction({ memorySizeMB: 512 }, { invocations: 1000, outOfMemory: 2, maxMemoryUsedMB: 512, maxMemoryRatio: 1 }),
    );
    expect(finding).toMatchObject({
      severity: "warning",
      evidence: { outOfMemory: 2, memorySizeMB: 512, suggestedMemoryMB: 704, outOfMemoryRatePct: 0.2 },
    });
    expect(finding?.recommendation).toContain("from 512 MB to 704 MB");
  });

  it("says so when memory is already at the maximum", () => {
    const finding = evaluateOnFunction(lambdaOutOfMemory, aFunction({ memorySizeMB: 10_240 }, { outOfMemory: 1 }));
    expect(finding?.recommendation).toContain("maximum 10,240 MB");
  });

  it("stays quiet without out-of-memory invocations", () => {
    expect(evaluateOnFunction(lambdaOutOfMemory, aFunction({}, { outOfMemory: 0, maxMemoryRatio: 0.99 }))).toBeUndefined();
  });
});

describe("lambda-error-rate", () => {
  it("warns above 1 %", () => {
    const finding = evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 1000, errors: 11 }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { errors: 11, invocations: 1000, errorRatePct: 1.1, thresholdPct: 1 } });
    expect(finding?.recommendation).toContain("1.1%");
  });

  it("is critical above 10 %", () => {
    const finding = evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 1000, errors: 101 }));
    expect(finding).toMatchObject({ severity: "critical", evidence: { errorRatePct: 10.1, thresholdPct: 10 } });
    expect(evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 1000, errors: 100 }))?.severity).toBe("warning");
  });

  it("stays quiet at exactly 1 % and without invocations", () => {
    expect(evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 1000, errors: 10 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 0, errors: 0 }))).toBeUndefined();
  });

  it("counts every failure as the pages do: errors, timeouts, out of memory and crashes", () => {
    // report-generator in the sandbox: 2 errors and 9 timeouts in 84 invocations is 13.1 %, not 2.38 %.
    const finding = evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 84, errors: 2, timeouts: 9 }));
    expect(finding).toMatchObject({
      severity: "critical",
      evidence: { failed: 11, invocations: 84, errorRatePct: 13.1, thresholdPct: 10, errors: 2, timeouts: 9 },
    });
    expect(finding?.recommendation).toContain("13.1% of invocations failed (11 of 84)");
    expect(finding?.recommendation).toContain("2 errors, 9 timeouts");
  });

  it("fires on failures that are not status error", () => {
    const finding = evaluateOnFunction(lambdaErrorRate, aFunction({}, { invocations: 1000, errors: 0, outOfMemory: 8, crashes: 7 }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { failed: 15, errorRatePct: 1.5 } });
  });

  it("follows an overridden threshold", () => {
    const fn = aFunction({}, { invocations: 1000, errors: 30 });
    expect(evaluateOnFunction(lambdaErrorRate, fn, { warningRatePct: 5 })).toBeUndefined();
  });
});

describe("lambda-duration-near-timeout", () => {
  it("warns when p99 is above 90 % of the timeout", () => {
    const finding = evaluateOnFunction(lambdaDurationNearTimeout, aFunction({ timeoutS: 10 }, { p99Ms: 9500 }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { p99Ms: 9500, timeoutMs: 10_000, p99PctOfTimeout: 95 } });
    expect(finding?.recommendation).toContain("9.5 s");
    expect(finding?.recommendation).toContain("95%");
  });

  it("stays quiet at exactly 90 % and without a p99", () => {
    expect(evaluateOnFunction(lambdaDurationNearTimeout, aFunction({ timeoutS: 10 }, { p99Ms: 9000 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaDurationNearTimeout, aFunction({ timeoutS: 10 }, { p99Ms: null }))).toBeUndefined();
  });
});

describe("lambda-throttles", () => {
  it("warns on throttles, pointing at the account limit when nothing is reserved", () => {
    const finding = evaluateOnFunction(lambdaThrottles, aFunction({}, { invocations: 995, throttles: 5 }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { throttles: 5, throttleRatePct: 0.5, reservedConcurrency: "none" } });
    expect(finding?.recommendation).toContain("5 requests");
    expect(finding?.recommendation).toContain("account's concurrency limit");
  });

  it("is critical above 10 % of attempts and names the reservation", () => {
    const finding = evaluateOnFunction(lambdaThrottles, aFunction({ reservedConcurrency: 5 }, { invocations: 800, throttles: 200 }));
    expect(finding).toMatchObject({ severity: "critical", evidence: { throttleRatePct: 20, reservedConcurrency: 5 } });
    expect(finding?.recommendation).toContain("reserved concurrency of 5");
  });

  it("stays quiet without throttles", () => {
    expect(evaluateOnFunction(lambdaThrottles, aFunction({}, { throttles: 0 }))).toBeUndefined();
  });
});

describe("lambda-async-without-failure-destination", () => {
  it("warns on an async function with neither DLQ nor on-failure destination", () => {
    const finding = evaluateOnFunction(lambdaAsyncWithoutFailureDestination, aFunction({ invokedAsync: true }, null));
    expect(finding).toMatchObject({ severity: "warning", evidence: { invokedAsync: true, deadLetterQueue: false, onFailureDestination: false } });
    expect(finding?.recommendation).toContain("on-failure destination");
  });

  it("stays quiet with a DLQ, an on-failure destination, or no async trigger", () => {
    const dlq = "arn:aws:sqs:us-east-1:123456789012:orders-dlq";
    expect(evaluateOnFunction(lambdaAsyncWithoutFailureDestination, aFunction({ invokedAsync: true, deadLetterTargetArn: dlq }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaAsyncWithoutFailureDestination, aFunction({ invokedAsync: true, onFailureDestination: dlq }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaAsyncWithoutFailureDestination, aFunction({ invokedAsync: false }))).toBeUndefined();
  });
});

describe("lambda-iterator-age", () => {
  it("warns above 2 h", () => {
    const finding = evaluateOnFunction(lambdaIteratorAge, aFunction({}, { maxIteratorAgeMs: 3 * HOUR }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { maxIteratorAgeMs: 3 * HOUR, maxIteratorAgeHours: 3 } });
    expect(finding?.recommendation).toContain("3 h old");
  });

  it("stays quiet at exactly 2 h and for functions that read no stream", () => {
    expect(evaluateOnFunction(lambdaIteratorAge, aFunction({}, { maxIteratorAgeMs: 2 * HOUR }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaIteratorAge, aFunction({}, { maxIteratorAgeMs: null }))).toBeUndefined();
  });
});

describe("lambda-new-error-type", () => {
  const oldType = { type: "TimeoutError", firstSeen: new Date(NOW.getTime() - 10 * 24 * HOUR) };

  it("warns on error types first seen in the last 48 h, listing only those", () => {
    const firstSeen = new Date(NOW.getTime() - 2 * HOUR);
    const finding = evaluateOnFunction(
      lambdaNewErrorType,
      aFunction({}, { errorTypes: [oldType, { type: "ValidationError", firstSeen }] }),
    );
    expect(finding).toMatchObject({
      severity: "warning",
      evidence: { newErrorTypes: "ValidationError", count: 1, firstSeen: firstSeen.toISOString() },
    });
    expect(finding?.recommendation).toContain("ValidationError");
  });

  it("counts 48 h exactly as new and stays quiet just before", () => {
    const atEdge = { type: "KeyError", firstSeen: new Date(NOW.getTime() - 48 * HOUR) };
    const justBefore = { type: "KeyError", firstSeen: new Date(NOW.getTime() - 48 * HOUR - 1) };
    expect(evaluateOnFunction(lambdaNewErrorType, aFunction({}, { errorTypes: [atEdge] }))).toBeDefined();
    expect(evaluateOnFunction(lambdaNewErrorType, aFunction({}, { errorTypes: [justBefore, oldType] }))).toBeUndefined();
  });

  it("waits for a baseline: on a function's first day of data every error type is its usual one, not a new one", () => {
    // A fresh install: a day of history backfilled on the first pass, errors throughout it.
    const errorTypes = [
      { type: "TimeoutError", firstSeen: new Date(NOW.getTime() - 20 * HOUR) },
      { type: "ValidationError", firstSeen: new Date(NOW.getTime() - 2 * HOUR) },
    ];
    expect(evaluateOnFunction(lambdaNewErrorType, aFunction({}, { dataSince: new Date(NOW.getTime() - 24 * HOUR + 1), errorTypes }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaNewErrorType, aFunction({}, { dataSince: null, errorTypes }))).toBeUndefined();
  });

  it("after the first full day, an error type first raised after the baseline is new; one raised during it is not", () => {
    const dataSince = new Date(NOW.getTime() - 36 * HOUR);
    const duringBaseline = { type: "TimeoutError", firstSeen: new Date(NOW.getTime() - 30 * HOUR) };
    const afterBaseline = { type: "ValidationError", firstSeen: new Date(NOW.getTime() - 2 * HOUR) };
    const finding = evaluateOnFunction(lambdaNewErrorType, aFunction({}, { dataSince, errorTypes: [duringBaseline, afterBaseline] }));
    expect(finding).toMatchObject({ evidence: { newErrorTypes: "ValidationError", count: 1 } });
    expect(evaluateOnFunction(lambdaNewErrorType, aFunction({}, { dataSince, errorTypes: [duringBaseline] }))).toBeUndefined();
  });

  it("fires on 0 of 12 functions on a fresh install's first pass", () => {
    const fresh = Array.from({ length: 12 }, (_, i) =>
      aFunction({ functionName: `fn-${i}` }, { dataSince: new Date(NOW.getTime() - 24 * HOUR), errorTypes: [{ type: `E${i}`, firstSeen: new Date(NOW.getTime() - HOUR) }] }),
    );
    expect(fresh.map((fn) => evaluateOnFunction(lambdaNewErrorType, fn)).filter(Boolean)).toHaveLength(0);
  });
});

describe("lambda-invocation-spike", () => {
  it("warns when the last 5 minutes exceed 125 % of the busiest 5 minutes in 48 h", () => {
    const finding = evaluateOnFunction(lambdaInvocationSpike, aFunction({}, { busiest5MinInvocations48h: 100, last5MinInvocations: 126 }));
    expect(finding).toMatchObject({
      severity: "warning",
      evidence: { last5MinInvocations: 126, busiest5MinInvocations48h: 100, pctOfBusiest: 126, thresholdPct: 125 },
    });
    expect(finding?.recommendation).toContain("126 invocations");
  });

  it("stays quiet at exactly 125 %", () => {
    expect(evaluateOnFunction(lambdaInvocationSpike, aFunction({}, { busiest5MinInvocations48h: 100, last5MinInvocations: 125 }))).toBeUndefined();
  });

  it("ignores a handful of calls after a quiet spell", () => {
    expect(evaluateOnFunction(lambdaInvocationSpike, aFunction({}, { busiest5MinInvocations48h: 0, last5MinInvocations: 9 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaInvocationSpike, aFunction({}, { busiest5MinInvocations48h: 0, last5MinInvocations: 10 }))).toBeDefined();
  });
});
