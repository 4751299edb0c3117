/**
 * How an incident's chart shows its condition: which /series metric carries the figure and whether the
 * figure is a count over the policy window (then the chart adds the trailing window sum, the number
 * the threshold applies to). Pure, for the incident page.
 */
import { CONDITIONS, type ConditionKind } from "./evaluate";

export interface ConditionSeries {
  /** A rollup metric of GET /api/v1/resources/:id/series (name or name:stat). */
  metric: string;
  label: string;
  unit: "count" | "ratio" | "ms" | "usd";
  /** A count over the window: the threshold applies to the sum of the trailing window, not one point. */
  windowSum: boolean;
  /** Seconds per point the figure needs (cost per hour), else the range's default. */
  period?: number;
}

// Rollup kinds only: CloudWatch and event kinds have no rollup series (the page says so instead of a chart).
const SERIES: Partial<Record<ConditionKind, Omit<ConditionSeries, "label">>> = {
  failed_invocations: { metric: "errors", unit: "count", windowSum: true },
  timeouts: { metric: "timeouts", unit: "count", windowSum: true },
  out_of_memory: { metric: "out_of_memory", unit: "count", windowSum: true },
  error_rate: { metric: "error_rate", unit: "ratio", windowSum: false },
  cold_start_rate: { metric: "cold_start_rate", unit: "ratio", windowSum: false },
  p95_duration: { metric: "duration:p95", unit: "ms", windowSum: false },
  p99_duration: { metric: "duration:p99", unit: "ms", windowSum: false },
  cost_per_hour: { metric: "cost", unit: "usd", windowSum: false, period: 3600 },
};

/** The series of a condition kind; null for a kind the rollups do not chart (a newer kind, an ingest check). */
export function conditionSeries(kind: string): ConditionSeries | null {
  if (!Object.hasOwn(SERIES, kind)) return null;
  const k = kind as ConditionKind;
  return { ...SERIES[k]!, label: CONDITIONS[k].label };
}

/**
 * For each point, the sum of `key` over the points in (t - windowMs, t]: the count the policy compares
 * with its threshold at that moment. Points are sorted by t; a missing value counts as 0. A window
 * shorter than a point counts that point alone.
 */
export function trailingWindowSums<T extends { t: number }>(rows: readonly T[], value: (r: T) => number | null | undefined, windowMs: number): number[] {
  const out: number[] = [];
  let start = 0;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    sum += value(rows[i]) ?? 0;
    while (rows[start].t <= rows[i].t - windowMs) sum -= value(rows[start++]) ?? 0;
    out.push(sum);
  }
  return out;
}
