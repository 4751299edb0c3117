import { describe, expect, it } from "vitest";
import { SeriesQuery } from "./series";

describe("SeriesQuery", () => {
  it("takes the CloudWatch names an API page charts, digits first included", () => {
    expect(SeriesQuery.parse({ metric: "Count,4XXError,5XXError", stat: "Sum" }).metric).toEqual(["Count", "4XXError", "5XXError"]);
    expect(SeriesQuery.parse({ metric: "duration:p95,Latency:p99" }).metric).toEqual(["duration:p95", "Latency:p99"]);
  });

  it("refuses names that are no metric", () => {
    for (const metric of ["-x", "a b", "Duration:", "x;DROP"]) expect(SeriesQuery.safeParse({ metric }).success, metric).toBe(false);
  });
});
