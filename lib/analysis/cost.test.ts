import { describe, expect, it } from "vitest";
import { parseLambdaLogEvents } from "@/lib/ingest/lambda-logs";
import { snapStartInvocationEvents } from "./__fixtures__/snapstart-report";
import { costAtMemory, gbSeconds, invocationCostUsd, monthlyComputeCostUsd } from "./cost";
import { rollupDeltas } from "./rollup";
import { DEFAULT_LAMBDA_PRICE, LAMBDA_PRICES } from "./prices";

describe("invocationCostUsd", () => {
  it("1024 MB, 546 ms billed, x86, us-east-1 = request + GB-s at the first tier", () => {
    const cost = invocationCostUsd({ billedDurationMs: 546, memorySizeMB: 1024, architecture: "x86_64", region: "us-east-1" });
    expect(cost).toBeCloseTo(0.0000002 + 0.546 * 1 * 0.0000166667, 15);
  });

  it("arm64 is cheaper per GB-second", () => {
    const cost = invocationCostUsd({ billedDurationMs: 1000, memorySizeMB: 2048, architecture: "arm64", region: "eu-west-1" });
    expect(cost).toBeCloseTo(0.0000002 + 2 * 0.0000133334, 15);
  });

  it("is null without billed duration or memory size", () => {
    expect(invocationCostUsd({ billedDurationMs: null, memorySizeMB: 128 })).toBeNull();
    expect(invocationCostUsd({ billedDurationMs: 10, memorySizeMB: null })).toBeNull();
  });

  it("falls back to the default price for regions not in the table", () => {
    expect(invocationCostUsd({ billedDurationMs: 100, memorySizeMB: 128, region: "xx-nowhere-1" })).toBe(
      invocationCostUsd({ billedDurationMs: 100, memorySizeMB: 128, region: "us-east-1" }),
    );
    expect(DEFAULT_LAMBDA_PRICE.source).toContain("aws.amazon.com/lambda/pricing");
    for (const price of Object.values(LAMBDA_PRICES)) expect(price.source).toMatch(/^https:\/\//);
  });
});

describe("monthlyComputeCostUsd", () => {
  it("applies the tiers", () => {
    expect(monthlyComputeCostUsd(1_000_000, "x86_64", "us-east-1")).toBeCloseTo(16.6667, 6);
    const tenBillion = monthlyComputeCostUsd(10_000_000_000, "x86_64", "us-east-1");
    expect(tenBillion).toBeCloseTo(6e9 * 0.0000166667 + 4e9 * 0.000015, 2);
    const twentyBillion = monthlyComputeCostUsd(20_000_000_000, "arm64", "us-east-1");
    expect(twentyBillion).toBeCloseTo(7.5e9 * 0.0000133334 + 11.25e9 * 0.0000120001 + 1.25e9 * 0.0000106667, 2);
  });
});

describe("costAtMemory", () => {
  it("estimates the same workload at another memory size", () => {
    const ioBound = costAtMemory({ invocations: 1_000_000, avgBilledDurationMs: 200, currentMemoryMB: 1024, targetMemoryMB: 512, architecture: "x86_64", region: "us-east-1" });
    expect(ioBound.avgBilledDurationMs).toBe(200);
    expect(ioBound.costUsd).toBeCloseTo(0.2 + 1e6 * 0.2 * 0.5 * 0.0000166667, 6);
    const cpuBound = costAtMemory({ invocations: 1_000_000, avgBilledDurationMs: 200, currentMemoryMB: 1024, targetMemoryMB: 2048, architecture: "x86_64", cpuBoundFraction: 1 });
    expect(cpuBound.avgBilledDurationMs).toBe(100);
  });
});

describe("SnapStart restores", () => {
  const events = snapStartInvocationEvents(
    "4a2b9f61-2c3e-4d5f-8a9b-0c1d2e3f4a5b",
    "2026/12/02/[$LATEST]0123456789abcdef0123456789abcdef",
    Date.UTC(2026, 11, 2, 10, 0, 0),
  );

  it("bills Billed Duration as REPORT states it: 814 ms at 2,048 MB is 1.628 GB-s, the restore is not added again", () => {
    const [inv] = parseLambdaLogEvents(events, { functionName: "orders-java" }).invocations;
    expect(inv).toMatchObject({ billedDurationMs: 814, billedRestoreDurationMs: 239, memorySizeMB: 2048, coldStart: true });
    const cost = invocationCostUsd({ ...inv, architecture: "x86_64", region: "us-east-1" });
    expect(cost).toBeCloseTo(0.0000002 + 1.628 * 0.0000166667, 15);

    const [minute] = rollupDeltas([{ before: null, after: { ...inv, costUsd: cost, complete: true } }], "minute");
    expect(minute.billedMs).toBe(814);
    expect(minute.gbSeconds).toBeCloseTo(1.628, 9);
    expect(minute.gbSeconds).toBeCloseTo(gbSeconds(814, 2048), 12);
  });
});
