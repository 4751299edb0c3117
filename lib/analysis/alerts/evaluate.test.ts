import { describe, expect, it } from "vitest";
import { bucketOf } from "../histogram";
import { evaluateCondition, windowTotals, type MetricCondition, type MinuteRollup } from "./evaluate";

const NOW = Date.UTC(2026, 11, 3, 12, 30, 20);
const MIN = 60_000;
const minuteStart = Math.floor(NOW / MIN) * MIN;

function row(minutesAgo: number, over: Partial<MinuteRollup> = {}): MinuteRollup {
  return { resourceId: 1, minute: minuteStart - minutesAgo * MIN, invocations: 0, errors: 0, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: 0, histBuckets: [], histCounts: [], maxDurationMs: null, ...over };
}

const cond = (over: Partial<MetricCondition>): MetricCondition => ({ kind: "error_rate", threshold: 0.05, criticalThreshold: null, windowMinutes: 10, minInvocations: 10, severity: "warning", ...over });

describe("windowTotals", () => {
  it("sums the minutes of the window, the current one included, and ignores older ones", () => {
    const t = windowTotals([row(0, { invocations: 5, errors: 1 }), row(9, { invocations: 7, timeouts: 2 }), row(10, { invocations: 100, errors: 100 })], 10, NOW).get(1)!;
    expect(t.invocations).toBe(12);
    expect(t.errors + t.timeouts).toBe(3);
  });
});

describe("evaluateCondition", () => {
  it("error rate counts every kind of failure (error, timeout, out of memory, crash) over invocations", () => {
    const t = windowTotals([row(1, { invocations: 20, errors: 1, timeouts: 1, outOfMemory: 1, crashes: 1 })], 10, NOW).get(1);
    const e = evaluateCondition(cond({}), t);
    expect(e).toEqual({ firing: true, value: 4 / 20, invocations: 20, severity: "warning" });
  });

  it("does not fire below the minimum number of invocations, even at 100 %", () => {
    const t = windowTotals([row(1, { invocations: 3, errors: 3 })], 10, NOW).get(1);
    expect(evaluateCondition(cond({}), t)).toMatchObject({ firing: false, value: 1 });
  });

  it("a window with no invocations has no value and does not fire", () => {
    expect(evaluateCondition(cond({ minInvocations: 0 }), undefined)).toEqual({ firing: false, value: null, invocations: 0, severity: "warning" });
  });

  it("is critical at or above the critical threshold", () => {
    const t = windowTotals([row(2, { invocations: 40, errors: 10 })], 10, NOW).get(1);
    expect(evaluateCondition(cond({ criticalThreshold: 0.25 }), t).severity).toBe("critical");
    expect(evaluateCondition(cond({ criticalThreshold: 0.3 }), t).severity).toBe("warning");
  });

  it("p99 duration comes from the merged histograms, with the window's longest duration in the top bucket", () => {
    const fast = bucketOf(100);
    const slow = bucketOf(3000);
    const rows = [row(1, { invocations: 99, histBuckets: [fast], histCounts: [99], maxDurationMs: 101 }), row(2, { invocations: 1, histBuckets: [slow], histCounts: [1], maxDurationMs: 3000 })];
    const t = windowTotals(rows, 10, NOW).get(1);
    const p99 = evaluateCondition(cond({ kind: "p99_duration", threshold: 2000 }), t);
    expect(p99.value).toBeCloseTo(100, -1);
    expect(p99.firing).toBe(false);
    const p100ish = evaluateCondition(cond({ kind: "p99_duration", threshold: 2000 }), windowTotals([...rows, row(3, { invocations: 1, histBuckets: [slow], histCounts: [1], maxDurationMs: 3000 })], 10, NOW).get(1));
    expect(p100ish.value).toBe(3000);
    expect(p100ish.firing).toBe(true);
  });

  it("cost per hour scales the window's cost to an hour; counts of timeouts and cold-start rate follow the rollups", () => {
    const t = windowTotals([row(0, { invocations: 10, costUsd: 0.5, timeouts: 2, coldStarts: 5 })], 10, NOW).get(1);
    expect(evaluateCondition(cond({ kind: "cost_per_hour", threshold: 1 }), t)).toMatchObject({ value: 3, firing: true });
    expect(evaluateCondition(cond({ kind: "timeouts", threshold: 2 }), t)).toMatchObject({ value: 2, firing: true });
    expect(evaluateCondition(cond({ kind: "cold_start_rate", threshold: 0.6 }), t)).toMatchObject({ value: 0.5, firing: false });
  });
});
