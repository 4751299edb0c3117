import { describe, expect, it } from "vitest";
import { conditionSeries, trailingWindowSums } from "./incident-chart";

const MIN = 60_000;

describe("trailingWindowSums", () => {
  it("sums each point's trailing window, as the threshold sees it", () => {
    const rows = [0, 1, 2, 3, 4, 5].map((i) => ({ t: i * MIN, v: [1, 0, 2, null, 3, 1][i] }));
    expect(trailingWindowSums(rows, (r) => r.v, 3 * MIN)).toEqual([1, 1, 3, 2, 5, 4]);
  });

  it("counts a point alone when the window is shorter than a point, and skips gaps in time", () => {
    const hourly = [0, 1, 2].map((i) => ({ t: i * 60 * MIN, v: i + 1 }));
    expect(trailingWindowSums(hourly, (r) => r.v, 10 * MIN)).toEqual([1, 2, 3]);
    const gap = [{ t: 0, v: 4 }, { t: 10 * MIN, v: 1 }];
    expect(trailingWindowSums(gap, (r) => r.v, 5 * MIN)).toEqual([4, 1]);
  });
});

describe("conditionSeries", () => {
  it("charts counts as window sums and rates, durations and cost as they are", () => {
    expect(conditionSeries("failed_invocations")).toMatchObject({ metric: "errors", windowSum: true, unit: "count" });
    expect(conditionSeries("error_rate")).toMatchObject({ metric: "error_rate", windowSum: false, unit: "ratio" });
    expect(conditionSeries("p99_duration")).toMatchObject({ metric: "duration:p99", unit: "ms" });
    expect(conditionSeries("cost_per_hour")).toMatchObject({ metric: "cost", period: 3600, unit: "usd" });
  });

  it("has no series for a kind the rollups do not chart, nor for a name that is no kind", () => {
    expect(conditionSeries("ingest_stale")).toBeNull();
    expect(conditionSeries("toString")).toBeNull();
  });
});
