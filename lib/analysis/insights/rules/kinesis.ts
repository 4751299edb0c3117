import type { InsightRule } from "../types";
import { createFinding, describeWindow, formatMs, roundTo, sum } from "./shared";
import { METRICS, STREAM } from "./requirements";

const mean = (xs: number[]) => sum(xs) / xs.length;

export const kinesisIteratorAgeGrowing: InsightRule = {
  id: "kinesis-iterator-age-growing",
  title: "Stream consumers fall further behind",
  service: "kinesis",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS, STREAM],
  needs: ["metrics"],
  defaults: { minAgeMs: 60_000, growthFactor: 2, retentionShareCritical: 0.5 },
  thresholdSources: {
    minAgeMs: "Osprey default: a minute behind is when consumers are visibly late",
    growthFactor: "Osprey default: the last quarter of the window at least twice as far behind as the first",
    retentionShareCritical: "AWS Kinesis docs: records older than the retention period are lost before they are read",
  },
  evaluate(ctx, t) {
    return (ctx.streams ?? []).flatMap((s) => {
      // At least four hours, so the first and last quarters are more than a blip.
      if (s.iteratorAgeMs.length < 4) return [];
      const quarter = Math.max(1, Math.floor(s.iteratorAgeMs.length / 4));
      const first = mean(s.iteratorAgeMs.slice(0, quarter));
      const last = mean(s.iteratorAgeMs.slice(-quarter));
      const latest = s.iteratorAgeMs[s.iteratorAgeMs.length - 1];
      if (latest < t.minAgeMs || last < first * t.growthFactor) return [];
      const retentionMs = s.retentionHours * 3_600_000;
      const share = latest / retentionMs;
      return [
        createFinding(
          kinesisIteratorAgeGrowing,
          s.arn,
          share >= t.retentionShareCritical ? "critical" : "warning",
          { latestIteratorAgeMs: latest, firstQuarterMeanMs: Math.round(first), lastQuarterMeanMs: Math.round(last), retentionHours: s.retentionHours, retentionSharePct: roundTo(share * 100, 1) },
          `Consumers of ${s.name} are ${formatMs(latest)} behind and falling further behind over ${describeWindow(s)} ` +
            `(${formatMs(first)} on average at the start, ${formatMs(last)} at the end); records expire after ${s.retentionHours} h. ` +
            `Raise the consumer's throughput: more shards, a Lambda parallelization factor above 1 or a larger batch size, ` +
            `or enhanced fan-out when several consumers share the shards' read limit.`,
        ),
      ];
    });
  },
};

export const kinesisWriteThrottles: InsightRule = {
  id: "kinesis-write-throttles",
  title: "Stream throttles writes",
  service: "kinesis",
  pillar: "reliability",
  question: "REL1",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minThrottledPct: 0.1 },
  thresholdSources: { minThrottledPct: "Osprey default: more than one record in a thousand refused by the shard write limit" },
  evaluate(ctx, t) {
    return (ctx.streams ?? [])
      .filter((s) => s.incomingRecords > 0 && (s.writeThrottled / s.incomingRecords) * 100 >= t.minThrottledPct)
      .map((s) =>
        createFinding(
          kinesisWriteThrottles,
          s.arn,
          "warning",
          { writeThrottled: s.writeThrottled, incomingRecords: s.incomingRecords, throttledPct: roundTo((s.writeThrottled / s.incomingRecords) * 100, 2) },
          `${s.writeThrottled} writes to ${s.name} exceeded a shard's write limit (1 MB or 1,000 records per second) in ` +
            `${describeWindow(s)}. Add shards or switch the stream to on-demand, and spread partition keys so no shard is hot.`,
        ),
      );
  },
};

export const KINESIS_RULES: InsightRule[] = [kinesisIteratorAgeGrowing, kinesisWriteThrottles];
