/**
 * Metric conditions of alert policies, evaluated over a sliding window of minute rollups. Pure: the
 * worker (workers/tasks/evaluate-alerts.ts) reads the rollups and hands them here. Every figure uses
 * the definitions of lib/analysis/metrics.ts, so an alert shows the number the page it links to shows.
 */
import { coldStartRate, durationPercentile, errorRate, failedInvocations } from "../metrics";
import { histogramFromSparse } from "../histogram";
import type { AlertSeverity } from "./notice";

/**
 * Conditions the rollups can answer. Throttles are left out: Lambda does not log a throttled
 * invocation (no REPORT), so the rollups never see one. Values: error_rate and cold_start_rate are
 * shares (0..1), durations ms, cost_per_hour USD, the others counts over the window.
 */
export const CONDITION_KINDS = ["failed_invocations", "error_rate", "timeouts", "out_of_memory", "cold_start_rate", "p95_duration", "p99_duration", "cost_per_hour"] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const CONDITIONS: Record<ConditionKind, { label: string; unit: "count" | "percent" | "ms" | "usd" }> = {
  failed_invocations: { label: "Failed invocations", unit: "count" },
  error_rate: { label: "Error rate (failed / invocations)", unit: "percent" },
  timeouts: { label: "Timeouts", unit: "count" },
  out_of_memory: { label: "Out of memory", unit: "count" },
  cold_start_rate: { label: "Cold-start rate (cold starts / invocations)", unit: "percent" },
  p95_duration: { label: "p95 duration", unit: "ms" },
  p99_duration: { label: "p99 duration", unit: "ms" },
  cost_per_hour: { label: "Cost per hour", unit: "usd" },
};

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
  kind: ConditionKind;
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
export function conditionValue(kind: ConditionKind, t: WindowTotals, windowMinutes: number): number | null {
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
