import { describe, expect, it } from "vitest";
import { addToHistogram, emptyHistogram } from "./histogram";
import { coldStartRate, durationPercentile, errorRate, FAILED_SQL, failedInvocations, ratio } from "./metrics";

describe("metric definitions", () => {
  const counts = { invocations: 84, errors: 2, timeouts: 9, outOfMemory: 0, crashes: 0 };

  it("counts every kind of failure as failed, as CloudWatch's Errors does", () => {
    expect(failedInvocations(counts)).toBe(11);
    expect(failedInvocations({ errors: 1, timeouts: 2, outOfMemory: 3, crashes: 4 })).toBe(10);
  });

  it("sums the same four outcomes in SQL as in code", () => {
    const columns: Record<string, number> = { errors: 1, timeouts: 20, out_of_memory: 300, crashes: 4000 };
    const sum = FAILED_SQL.replace(/[()\s]/g, "").split("+").reduce((a, c) => a + columns[c], 0);
    expect(sum).toBe(failedInvocations({ errors: 1, timeouts: 20, outOfMemory: 300, crashes: 4000 }));
  });

  it("takes the error rate over failed invocations, not over status `error` alone", () => {
    expect(errorRate(counts)).toBeCloseTo(11 / 84, 12);
  });

  it("has no rate without invocations", () => {
    expect(errorRate({ ...counts, invocations: 0 })).toBeNull();
    expect(coldStartRate({ invocations: 0, coldStarts: 0 })).toBeNull();
    expect(ratio(3, 0)).toBeNull();
  });

  it("rates cold starts over invocations", () => {
    expect(coldStartRate({ invocations: 200, coldStarts: 5 })).toBe(0.025);
  });

  it("reads duration percentiles from the histogram", () => {
    const h = emptyHistogram();
    for (let i = 1; i <= 100; i++) addToHistogram(h, i * 10);
    expect(durationPercentile(h, 50)).toBeGreaterThan(490);
    expect(durationPercentile(h, 50)).toBeLessThan(510);
    expect(durationPercentile(emptyHistogram(), 95)).toBeNull();
  });
});
