import { describe, expect, it } from "vitest";
import { evaluateRule } from "../__fixtures__/builders";
import { aStream } from "../__fixtures__/service-builders";
import { kinesisIteratorAgeGrowing, kinesisWriteThrottles } from "./kinesis";

describe("kinesis-iterator-age-growing", () => {
  it("warns when consumers fall further behind, hour after hour", () => {
    const [f] = evaluateRule(kinesisIteratorAgeGrowing, { streams: [aStream({ iteratorAgeMs: [10_000, 20_000, 40_000, 60_000, 90_000, 120_000, 180_000, 240_000] })] });
    expect(f).toMatchObject({ severity: "warning", pillar: "reliability", evidence: { latestIteratorAgeMs: 240_000, firstQuarterMeanMs: 15_000, lastQuarterMeanMs: 210_000 } });
    expect(f.recommendation).toContain("240 s behind");
  });

  it("is critical once the lag reaches half the retention: records are about to expire unread", () => {
    const [f] = evaluateRule(kinesisIteratorAgeGrowing, { streams: [aStream({ retentionHours: 24, iteratorAgeMs: [3_600_000, 4e6, 2e7, 5e7] })] });
    expect(f.severity).toBe("critical");
  });

  it("stays quiet for a steady lag, a short lag that grows, or too few hours", () => {
    expect(evaluateRule(kinesisIteratorAgeGrowing, { streams: [aStream({ iteratorAgeMs: [120_000, 130_000, 110_000, 125_000, 120_000, 118_000] })] })).toEqual([]);
    expect(evaluateRule(kinesisIteratorAgeGrowing, { streams: [aStream({ iteratorAgeMs: [100, 200, 400, 800, 1_600, 3_200] })] })).toEqual([]);
    expect(evaluateRule(kinesisIteratorAgeGrowing, { streams: [aStream({ iteratorAgeMs: [10_000, 90_000, 300_000] })] })).toEqual([]);
  });
});

describe("kinesis-write-throttles", () => {
  it("warns when more than 0.1 % of writes hit the shard limit", () => {
    const [f] = evaluateRule(kinesisWriteThrottles, { streams: [aStream({ incomingRecords: 100_000, writeThrottled: 500 })] });
    expect(f).toMatchObject({ severity: "warning", evidence: { throttledPct: 0.5 } });
    expect(evaluateRule(kinesisWriteThrottles, { streams: [aStream({ incomingRecords: 100_000, writeThrottled: 50 })] })).toEqual([]);
  });
});
