/**
 * Metric conditions of alert policies, evaluated over a sliding window of minute rollups. Pure: the
 * worker (workers/tasks/evaluate-alerts.ts) reads the rollups and hands them here. Every figure uses
 * the definitions of lib/analysis/metrics.ts, so an alert shows the number the page it links to shows.
 */
import { coldStartRate, durationPercentile, errorRate, failedInvocations } from "../metrics";
import { histogramFromSparse } from "../histogram";
import type { AlertSeverity } from "./notice";

/**
 * Conditions the rollups can answer. Values: error_rate and cold_start_rate are shares (0..1),
 * durations ms, cost_per_hour USD, the others counts over the window. Throttles come from CloudWatch
 * (metric_points), not the rollups: Lambda does not log a throttled invocation (no REPORT).
 */
export const ROLLUP_KINDS = ["failed_invocations", "error_rate", "timeouts", "out_of_memory", "cold_start_rate", "p95_duration", "p99_duration", "cost_per_hour"] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];

/**
 * Conditions over CloudWatch metrics (metric_points) and resource configuration, evaluated by
 * lib/analysis/alerts/conditions.ts (p95_timeout_pct reads the rollups' p95 against the configured timeout).
 */
export const METRIC_POINT_KINDS = ["throttles", "p95_timeout_pct", "concurrency_pct", "iterator_age", "sqs_oldest_age", "dlq_messages", "api_5xx_rate", "api_latency_p99", "dynamodb_throttles", "dynamodb_system_errors"] as const;
export type MetricPointKind = (typeof METRIC_POINT_KINDS)[number];

/** Event conditions (error groups, insights, silence, ingest freshness): lib/analysis/alerts/conditions.ts. */
export const EVENT_KINDS = ["new_error_group", "regressed_error_group", "insight_opened", "no_invocations", "ingest_stale"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONDITION_KINDS = [...ROLLUP_KINDS, ...METRIC_POINT_KINDS, ...EVENT_KINDS] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/**
 * How a value is shown: percent = a share 0..1 shown ×100; pct = already a percentage (0..100+);
 * severity = an insight severity rank (0 info, 1 warning, 2 critical).
 */
export type ConditionUnit = "count" | "percent" | "pct" | "ms" | "seconds" | "minutes" | "usd" | "severity";
/** What a condition is evaluated on: a resource of this kind, any resource (insights), or an account and region (ingest_stale). */
export type ConditionTarget = "lambda" | "sqs" | "apigateway" | "dynamodb" | "any" | "account_region";
/** Where its figure comes from. */
export type ConditionSource = "rollups" | "cloudwatch" | "events";

export interface ConditionSpec {
  label: string;
  unit: ConditionUnit;
  appliesTo: ConditionTarget;
  source: ConditionSource;
  /** Whether the policy's minInvocations gates it (requests, for API Gateway). */
  usesMinInvocations: boolean;
  /** Whether the threshold is used: no_invocations and ingest_stale fire on the window alone (N minutes). */
  usesThreshold: boolean;
}

const spec = (label: string, unit: ConditionUnit, appliesTo: ConditionTarget, source: ConditionSource, usesMinInvocations = false, usesThreshold = true): ConditionSpec => ({
  label, unit, appliesTo, source, usesMinInvocations, usesThreshold,
});

export const CONDITIONS: Record<ConditionKind, ConditionSpec> = {
  failed_invocations: spec("Failed invocations", "count", "lambda", "rollups", true),
  error_rate: spec("Error rate (failed / invocations)", "percent", "lambda", "rollups", true),
  timeouts: spec("Timeouts", "count", "lambda", "rollups", true),
  out_of_memory: spec("Out of memory", "count", "lambda", "rollups", true),
  cold_start_rate: spec("Cold-start rate (cold starts / invocations)", "percent", "lambda", "rollups", true),
  p95_duration: spec("p95 duration", "ms", "lambda", "rollups", true),
  p99_duration: spec("p99 duration", "ms", "lambda", "rollups", true),
  cost_per_hour: spec("Cost per hour", "usd", "lambda", "rollups", true),
  throttles: spec("Throttles (CloudWatch Throttles, sum)", "count", "lambda", "cloudwatch"),
  p95_timeout_pct: spec("p95 duration as % of the timeout", "pct", "lambda", "rollups", true),
  concurrency_pct: spec("Concurrency as % of its limit (ConcurrentExecutions max / reserved concurrency)", "pct", "lambda", "cloudwatch"),
  iterator_age: spec("Iterator age (IteratorAge, max)", "ms", "lambda", "cloudwatch"),
  sqs_oldest_age: spec("Age of the oldest message (max)", "seconds", "sqs", "cloudwatch"),
  dlq_messages: spec("Messages in a dead-letter queue (visible, max)", "count", "sqs", "cloudwatch"),
  api_5xx_rate: spec("5xx rate (5XXError / Count)", "percent", "apigateway", "cloudwatch", true),
  api_latency_p99: spec("p99 latency (Latency p99, highest period)", "ms", "apigateway", "cloudwatch"),
  dynamodb_throttles: spec("Throttles (ThrottledRequests + Read/WriteThrottleEvents, sum)", "count", "dynamodb", "cloudwatch"),
  dynamodb_system_errors: spec("System errors (SystemErrors, sum)", "count", "dynamodb", "cloudwatch"),
  new_error_group: spec("New error groups (first seen on the function in the window)", "count", "lambda", "events"),
  regressed_error_group: spec("Regressed error groups (resolved, occurring again)", "count", "lambda", "events"),
  insight_opened: spec("Insight opened at or above a severity", "severity", "any", "events"),
  no_invocations: spec("No invocations for the window (minutes since the last one)", "minutes", "lambda", "rollups", false, false),
  ingest_stale: spec("Ingest stale for the window (minutes since the last successful run)", "minutes", "account_region", "events", false, false),
};

export const isRollupKind = (k: string): k is RollupKind => (ROLLUP_KINDS as readonly string[]).includes(k);
export const isConditionKind = (k: string): k is ConditionKind => (CONDITION_KINDS as readonly string[]).includes(k);

/** One minute rollup row of one resource (rollup_minute), as the worker reads it. */
export interface MinuteRollup {
  resourceId: number;
  /** bucket_start, ms since the epoch */
  minute: number;
  invocations: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
  coldStarts: number;
  costUsd: number;
  histBuckets: readonly number[];
  histCounts: readonly number[];
  maxDurationMs: number | null;
}

/** A window's sums for one resource. */
export interface WindowTotals {
  invocations: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
  coldStarts: number;
  costUsd: number;
  /** Sparse histogram merged over the window: bucket -> count. */
  hist: Map<number, number>;
  maxDurationMs: number | null;
}

export interface MetricCondition {
  kind: RollupKind;
  threshold: number;
  /** At or above it the severity is critical; null: the policy's severity only. */
  criticalThreshold: number | null;
  windowMinutes: number;
  minInvocations: number;
  severity: AlertSeverity;
}

export interface Evaluation {
  firing: boolean;
  /** null when the window has no invocations to measure (never a made-up 0). */
  value: number | null;
  invocations: number;
  severity: AlertSeverity;
}

/** Rows summed into window totals: a minute rollup, or sums SQL already added up (lib/db/alerts/evaluate-alerts.ts). */
export type TotalsPart = Omit<MinuteRollup, "resourceId" | "minute">;

/** Adds a part into the totals of a resource (created empty on first use). */
export function addToTotals(totals: Map<number, WindowTotals>, resourceId: number, r: TotalsPart): void {
  let t = totals.get(resourceId);
  if (!t) totals.set(resourceId, (t = emptyTotals()));
  t.invocations += r.invocations;
  t.errors += r.errors;
  t.timeouts += r.timeouts;
  t.outOfMemory += r.outOfMemory;
  t.crashes += r.crashes;
  t.coldStarts += r.coldStarts;
  t.costUsd += r.costUsd;
  for (let i = 0; i < r.histBuckets.length; i++) t.hist.set(r.histBuckets[i], (t.hist.get(r.histBuckets[i]) ?? 0) + (r.histCounts[i] ?? 0));
  if (r.maxDurationMs !== null) t.maxDurationMs = Math.max(t.maxDurationMs ?? 0, r.maxDurationMs);
}

function emptyTotals(): WindowTotals {
  return { invocations: 0, errors: 0, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: 0, hist: new Map(), maxDurationMs: null };
}

/**
 * Sums the rows whose minute lies in [now - windowMinutes, now), per resource. The minute being
 * written is included once it has started: a burst alerts in the minute it happens.
 */
export function windowTotals(rows: readonly MinuteRollup[], windowMinutes: number, now: number): Map<number, WindowTotals> {
  const from = Math.floor(now / 60_000) * 60_000 - (windowMinutes - 1) * 60_000;
  const out = new Map<number, WindowTotals>();
  for (const r of rows) {
    if (r.minute < from || r.minute > now) continue;
    addToTotals(out, r.resourceId, r);
  }
  return out;
}

function percentile(t: WindowTotals, p: number): number | null {
  const buckets = [...t.hist.keys()];
  return durationPercentile(histogramFromSparse(buckets, buckets.map((b) => t.hist.get(b) ?? 0)), p, t.maxDurationMs);
}

/** The condition's figure over the window, by the shared definitions (metrics.ts). */
export function conditionValue(kind: RollupKind, t: WindowTotals, windowMinutes: number): number | null {
  switch (kind) {
    case "failed_invocations":
      return failedInvocations(t);
    case "error_rate":
      return errorRate(t);
    case "timeouts":
      return t.timeouts;
    case "out_of_memory":
      return t.outOfMemory;
    case "cold_start_rate":
      return coldStartRate(t);
    case "p95_duration":
      return percentile(t, 95);
    case "p99_duration":
      return percentile(t, 99);
    case "cost_per_hour":
      return t.invocations > 0 ? (t.costUsd * 60) / windowMinutes : null;
  }
}

/** Evaluates one condition for one resource's window (totals undefined: nothing ran in it). */
export function evaluateCondition(c: MetricCondition, t: WindowTotals | undefined): Evaluation {
  const totals = t ?? emptyTotals();
  const value = conditionValue(c.kind, totals, c.windowMinutes);
  const enough = totals.invocations >= Math.max(1, c.minInvocations);
  const firing = enough && value !== null && value >= c.threshold;
  const critical = firing && c.criticalThreshold !== null && value !== null && value >= c.criticalThreshold;
  return { firing, value, invocations: totals.invocations, severity: critical ? "critical" : c.severity };
}
