import { emptyHistogram, type Histogram } from "@/lib/analysis/histogram";
import { durationPercentile } from "@/lib/analysis/metrics";

/**
 * SQL aggregate expressions that concatenate the sparse histograms of many rollup rows into two
 * comma-separated strings. Merging them here in JS is several times faster than unnest + GROUP BY
 * in Postgres (measured: 5 ms against 75 ms for 24 k hour rows).
 */
export const HIST_AGG_SQL = `string_agg(array_to_string(hist_buckets, ','), ',') AS hb, string_agg(array_to_string(hist_counts, ','), ',') AS hc,
  ${maxDurationSql("max_duration_ms", "hist_buckets")}`;

/**
 * The longest duration of many rows, or NULL when one row holding durations does not know its own
 * (written before rollups kept it): a maximum of the others could understate it.
 */
export function maxDurationSql(column: string, histColumn: string): string {
  return `CASE WHEN bool_and(${column} IS NOT NULL OR cardinality(${histColumn}) = 0) THEN max(${column}) END::float8 AS max_duration_ms`;
}

/** The same when merging parts in code: a part with invocations but no known longest duration makes it unknown. */
export function mergeMaxDuration(a: { invocations: number; maxDurationMs: number | null }, b: { invocations: number; maxDurationMs?: number | null }): number | null {
  const bMax = b.maxDurationMs ?? null;
  if ((a.invocations > 0 && a.maxDurationMs === null) || (b.invocations > 0 && bMax === null)) return null;
  if (a.maxDurationMs === null) return bMax;
  return bMax === null ? a.maxDurationMs : Math.max(a.maxDurationMs, bMax);
}

/**
 * Adds the concatenated sparse histogram into `into` (dense), or a new one. A 30-day fleet view
 * brings about 18 MB of these digits: they are read in one pass over the character codes, three
 * times faster than split and Number. An empty entry (a rollup row with no histogram) is skipped.
 */
export function mergeSparseStrings(hb: string | null, hc: string | null, into: Histogram = emptyHistogram()): Histogram {
  if (!hb || !hc) return into;
  const nb = hb.length;
  const nc = hc.length;
  let i = 0;
  let j = 0;
  while (i <= nb && j <= nc) {
    let bucket = 0;
    let digits = 0;
    for (let ch = hb.charCodeAt(i); i < nb && ch !== COMMA; ch = hb.charCodeAt(++i)) {
      bucket = bucket * 10 + (ch - ZERO);
      digits++;
    }
    let count = 0;
    for (let ch = hc.charCodeAt(j); j < nc && ch !== COMMA; ch = hc.charCodeAt(++j)) count = count * 10 + (ch - ZERO);
    if (digits) into[bucket] += count;
    i++;
    j++;
  }
  return into;
}

const COMMA = 44;
const ZERO = 48;

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function percentilesOf(h: Histogram, maxDurationMs: number | null = null): Percentiles {
  return { p50: durationPercentile(h, 50, maxDurationMs), p95: durationPercentile(h, 95, maxDurationMs), p99: durationPercentile(h, 99, maxDurationMs) };
}

export function addInto(into: Histogram, h: Histogram): Histogram {
  for (let i = 0; i < h.length; i++) into[i] += h[i];
  return into;
}
