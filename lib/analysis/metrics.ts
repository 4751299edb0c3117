/**
 * One definition of every figure Osprey shows. Pages, insight cards and alerts compute their
 * figures with these functions over the same counts (the rollups, lib/analysis/rollup.ts), so a
 * number shown in two places is the same number.
 *
 * - invocations: attempts whose REPORT was seen (a retry is an invocation of its own).
 * - failed: error + timeout + out of memory + crash, what CloudWatch's `Errors` metric counts.
 * - error rate: failed / invocations.
 * - cold-start rate: cold starts (an init or a SnapStart restore) / invocations.
 * - duration percentiles: nearest rank over the duration histogram (lib/analysis/histogram.ts
 *   states the bound).
 * - billed GB-seconds and cost: as REPORT states Billed Duration (lib/analysis/cost.ts).
 */
import { percentileFromHistogram } from "./histogram";

/** How invocations ended, as the rollups count them; `errors` is status `error` only. */
export interface OutcomeCounts {
  invocations: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
}

/** part / whole, or null when there is no whole to divide by (never a made-up 0 %). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The same sum over the rollup columns (errors is status `error` only there), for queries that add it up in SQL. */
export const FAILED_SQL = "(errors + timeouts + out_of_memory + crashes)";

/** Failed invocations of every kind: what CloudWatch's `Errors` metric counts. */
export function failedInvocations(c: Omit<OutcomeCounts, "invocations">): number {
  return c.errors + c.timeouts + c.outOfMemory + c.crashes;
}

/** Failed / invocations, 0..1; null without invocations. */
export function errorRate(c: OutcomeCounts): number | null {
  return failedRate(failedInvocations(c), c.invocations);
}

/** The error rate from a failed count already summed (FAILED_SQL, failedInvocations). */
export function failedRate(failed: number, invocations: number): number | null {
  return ratio(failed, invocations);
}

/** Cold starts / invocations, 0..1; null without invocations. */
export function coldStartRate(c: { invocations: number; coldStarts: number }): number | null {
  return ratio(c.coldStarts, c.invocations);
}

/** The duration percentiles pages and alerts offer. */
export const DURATION_PERCENTILES = [50, 95, 99] as const;
export type DurationPercentile = (typeof DURATION_PERCENTILES)[number];

/**
 * A duration percentile (ms) of a histogram of durations; null when it holds none. With the window's
 * longest duration (max_duration_ms of the rollups), the top bucket reports it (histogram.ts's bound).
 */
export function durationPercentile(hist: readonly number[], p: number, maxMs: number | null = null): number | null {
  return percentileFromHistogram(hist, p, maxMs);
}
