import { describe, expect, it } from "vitest";
import {
  deadLetterArns,
  evaluateMetricCondition,
  evaluateSilence,
  evaluateStale,
  insightRank,
  newErrorGroups,
  pointKey,
  regressedErrorGroups,
  windowStart,
  type GroupOnResource,
  type MetricPointCondition,
  type PointAgg,
} from "./conditions";
import { CONDITION_KINDS, CONDITIONS, windowTotals } from "./evaluate";
import { bucketOf } from "../histogram";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 30, 40);
const noLimits = { timeoutS: null, reservedConcurrency: null, accountConcurrencyLimit: null };
const cond = (over: Partial<MetricPointCondition>): MetricPointCondition => ({ kind: "throttles", threshold: 1, criticalThreshold: null, severity: "warning", minInvocations: 0, ...over });
const points = (entries: Record<string, Partial<PointAgg>>) => new Map(Object.entries(entries).map(([k, v]) => [k, { sum: 0, max: 0, n: 1, ...v }]));

describe("the conditions catalogue", () => {
  it("names a label, unit, resource kind and source for every kind", () => {
    for (const k of CONDITION_KINDS) {
      expect(CONDITIONS[k].label.length).toBeGreaterThan(3);
      expect(["lambda", "sqs", "apigateway", "dynamodb", "any", "account_region"]).toContain(CONDITIONS[k].appliesTo);
    }
    expect(CONDITIONS.sqs_oldest_age).toMatchObject({ appliesTo: "sqs", unit: "seconds", source: "cloudwatch" });
    expect(CONDITIONS.api_5xx_rate).toMatchObject({ appliesTo: "apigateway", unit: "percent", usesMinInvocations: true });
    expect(CONDITIONS.ingest_stale).toMatchObject({ appliesTo: "account_region", usesThreshold: false });
  });
});

describe("CloudWatch conditions", () => {
  it("sums throttles over the window and fires at the threshold; no points is not evaluable, not 0", () => {
    expect(evaluateMetricCondition(cond({ threshold: 5 }), points({ [pointKey("Throttles", "Sum")]: { sum: 7, max: 4, n: 3 } }), noLimits)).toMatchObject({ firing: true, value: 7 });
    expect(evaluateMetricCondition(cond({ threshold: 8 }), points({ [pointKey("Throttles", "Sum")]: { sum: 7 } }), noLimits)).toMatchObject({ firing: false, value: 7 });
    expect(evaluateMetricCondition(cond({ threshold: 0 }), undefined, noLimits)).toMatchObject({ firing: false, value: null });
  });

  it("concurrency as % of reserved concurrency; with no limit stored it is not evaluable", () => {
    const p = points({ [pointKey("ConcurrentExecutions", "Maximum")]: { max: 45, sum: 80, n: 3 } });
    expect(evaluateMetricCondition(cond({ kind: "concurrency_pct", threshold: 80, criticalThreshold: 90 }), p, { ...noLimits, reservedConcurrency: 50 })).toMatchObject({ value: 90, firing: true, severity: "critical" });
    expect(evaluateMetricCondition(cond({ kind: "concurrency_pct", threshold: 80 }), p, { ...noLimits, accountConcurrencyLimit: 1000 })).toMatchObject({ value: 4.5, firing: false });
    expect(evaluateMetricCondition(cond({ kind: "concurrency_pct", threshold: 0 }), p, noLimits)).toMatchObject({ value: null, firing: false });
  });

  it("p95 duration from the rollups as % of the configured timeout, gated by minInvocations", () => {
    const b = bucketOf(2400);
    const rows = [{ resourceId: 1, minute: Math.floor(NOW / MIN) * MIN, invocations: 20, errors: 0, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: 0, histBuckets: [b], histCounts: [20], maxDurationMs: 2400 }];
    const totals = windowTotals(rows, 5, NOW).get(1);
    const e = evaluateMetricCondition(cond({ kind: "p95_timeout_pct", threshold: 75, minInvocations: 10 }), undefined, { ...noLimits, timeoutS: 3 }, totals);
    expect(e.firing).toBe(true);
    expect(e.value).toBeGreaterThan(75);
    expect(e.value).toBeLessThanOrEqual(80);
    expect(evaluateMetricCondition(cond({ kind: "p95_timeout_pct", threshold: 75, minInvocations: 21 }), undefined, { ...noLimits, timeoutS: 3 }, totals).firing).toBe(false);
    expect(evaluateMetricCondition(cond({ kind: "p95_timeout_pct", threshold: 75 }), undefined, noLimits, totals).value).toBeNull();
  });

  it("API 5xx rate is 5XXError / Count as a share, not evaluable without requests", () => {
    const p = points({ [pointKey("5XXError", "Sum")]: { sum: 3 }, [pointKey("Count", "Sum")]: { sum: 60 } });
    expect(evaluateMetricCondition(cond({ kind: "api_5xx_rate", threshold: 0.05, minInvocations: 50 }), p, noLimits)).toMatchObject({ value: 0.05, firing: true, invocations: 60 });
    expect(evaluateMetricCondition(cond({ kind: "api_5xx_rate", threshold: 0.05, minInvocations: 100 }), p, noLimits).firing).toBe(false);
    expect(evaluateMetricCondition(cond({ kind: "api_5xx_rate", threshold: 0 }), points({ [pointKey("Count", "Sum")]: { sum: 0 } }), noLimits).value).toBeNull();
  });

  it("gauges take the highest point: SQS age, DLQ messages, iterator age, API p99", () => {
    expect(evaluateMetricCondition(cond({ kind: "sqs_oldest_age", threshold: 300 }), points({ [pointKey("ApproximateAgeOfOldestMessage", "Maximum")]: { max: 420, sum: 600 } }), noLimits)).toMatchObject({ value: 420, firing: true });
    expect(evaluateMetricCondition(cond({ kind: "dlq_messages", threshold: 1 }), points({ [pointKey("ApproximateNumberOfMessagesVisible", "Maximum")]: { max: 0 } }), noLimits)).toMatchObject({ value: 0, firing: false });
    expect(evaluateMetricCondition(cond({ kind: "iterator_age", threshold: 60_000 }), points({ [pointKey("IteratorAge", "Maximum")]: { max: 90_000 } }), noLimits).firing).toBe(true);
    expect(evaluateMetricCondition(cond({ kind: "api_latency_p99", threshold: 1000 }), points({ [pointKey("Latency", "p99")]: { max: 850, sum: 2000 } }), noLimits)).toMatchObject({ value: 850, firing: false });
  });

  it("DynamoDB throttles add ThrottledRequests and read/write throttle events; system errors alone", () => {
    const p = points({ [pointKey("ThrottledRequests", "Sum")]: { sum: 2 }, [pointKey("WriteThrottleEvents", "Sum")]: { sum: 5 } });
    expect(evaluateMetricCondition(cond({ kind: "dynamodb_throttles", threshold: 7 }), p, noLimits)).toMatchObject({ value: 7, firing: true });
    expect(evaluateMetricCondition(cond({ kind: "dynamodb_system_errors", threshold: 1 }), p, noLimits).value).toBeNull();
  });

  it("dead-letter targets come from queue redrive policies and function DLQ / on-failure destinations that are queues", () => {
    const arns = deadLetterArns([
      { redrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:orders-dlq", maxReceiveCount: 3 } },
      { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:fn-dlq", onFailureDestination: "arn:aws:sns:us-east-1:1:topic" },
      { redrivePolicy: null },
    ]);
    expect([...arns].sort()).toEqual(["arn:aws:sqs:us-east-1:1:fn-dlq", "arn:aws:sqs:us-east-1:1:orders-dlq"]);
  });
});

describe("event conditions", () => {
  const start = windowStart(NOW, 10);
  const g = (over: Partial<GroupOnResource>): GroupOnResource => ({ groupId: 1, state: "ongoing", resolvedAt: null, firstIn: start + MIN, lastIn: start + 2 * MIN, seenBefore: false, ...over });

  it("a group is new when it first occurs on the resource inside the window; clear once that is older than the window", () => {
    expect(newErrorGroups([g({}), g({ groupId: 2, seenBefore: true }), g({ groupId: 3, state: "ignored" })], start)).toBe(1);
    expect(newErrorGroups([g({ firstIn: start - MIN })], start)).toBe(0);
  });

  it("a regressed group counts while it occurs in the window after its resolve", () => {
    expect(regressedErrorGroups([g({ state: "regressed", resolvedAt: start - 60 * MIN })], start)).toBe(1);
    expect(regressedErrorGroups([g({ state: "regressed", resolvedAt: start + 3 * MIN, lastIn: start + 2 * MIN })], start)).toBe(0);
    expect(regressedErrorGroups([g({ state: "resolved", resolvedAt: start - MIN })], start)).toBe(0);
  });

  it("insights: the highest severity rank opened in the window", () => {
    expect(insightRank([{ severity: "warning", firstSeenAt: start }, { severity: "critical", firstSeenAt: start - 1 }], start)).toBe(1);
    expect(insightRank([], start)).toBeNull();
  });

  it("no invocations: fires once the window holds no invocation, for a function that ran before", () => {
    const minute = Math.floor(NOW / MIN) * MIN;
    expect(evaluateSilence({ windowMinutes: 30, severity: "warning" }, minute - 31 * MIN, NOW)).toMatchObject({ firing: true, value: 30 });
    expect(evaluateSilence({ windowMinutes: 30, severity: "warning" }, minute - 29 * MIN, NOW).firing).toBe(false);
    expect(evaluateSilence({ windowMinutes: 30, severity: "warning" }, null, NOW)).toMatchObject({ firing: false, value: null });
  });

  it("ingest stale: minutes since the newest successful run, or since the account was added when none succeeded", () => {
    expect(evaluateStale({ windowMinutes: 15, severity: "critical" }, NOW - 20 * MIN, NOW - 999 * MIN, NOW)).toMatchObject({ firing: true, value: 20, severity: "critical" });
    expect(evaluateStale({ windowMinutes: 15, severity: "critical" }, NOW - 5 * MIN, NOW - 999 * MIN, NOW).firing).toBe(false);
    expect(evaluateStale({ windowMinutes: 15, severity: "critical" }, null, NOW - 5 * MIN, NOW)).toMatchObject({ firing: false, value: 5 });
  });
});
