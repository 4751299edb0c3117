import { describe, expect, it } from "vitest";
import { Workload } from "../workload";
import { HOUR, NOW } from "../test-helpers";
import { metricSamples } from "./metrics";

// The sandbox exercises the review's reliability checks: an async function with nowhere to send a failed
// event drops it (AsyncEventsDropped), one with a DLQ or destination never does.
describe("AsyncEventsDropped in the sandbox", () => {
  const wl = new Workload({ seed: 9, now: () => NOW, historyStart: NOW - 2 * 24 * HOUR });
  const dropped = (fn: string) => {
    const m = { Namespace: "AWS/Lambda", MetricName: "AsyncEventsDropped", Dimensions: [{ Name: "FunctionName", Value: fn }] };
    return [...metricSamples(wl, "us-east-1", m, NOW - 2 * 24 * HOUR, NOW, 60_000).values()].flat().reduce((a, b) => a + b, 0);
  };

  it("counts the failed last attempts of the function without a destination, as the invocations hold them", () => {
    const lastFailed = wl.invocations("report-generator", "us-east-1", NOW - 2 * 24 * HOUR, NOW).filter((i) => i.attempt === 3 && i.status !== "success").length;
    expect(lastFailed).toBeGreaterThan(0);
    expect(dropped("report-generator")).toBe(lastFailed);
  });

  it("is zero for an async function with an on-failure destination", () => {
    expect(dropped("image-processor")).toBe(0);
  });
});
