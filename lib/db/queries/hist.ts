import { emptyHistogram, percentileFromHistogram, type Histogram } from "@/lib/analysis/histogram";

/**
 * SQL aggregate expressions that concatenate the sparse histograms of many rollup rows into two
 * comma-separated strings. Merging them here in JS is several times faster than unnest + GROUP BY
 * in Postgres (measured: 5 ms against 75 ms for 24 k hour rows).
 */
export const HIST_AGG_SQL = `string_agg(array_to_string(hist_buckets, ','), ',') AS hb, string_agg(array_to_string(hist_counts, ','), ',') AS hc`;

/** Adds the concatenated sparse histogram into `into` (dense), or a new one. */
export function mergeSparseStrings(hb: string | null, hc: string | null, into: Histogram = emptyHistogram()): Histogram {
  if (!hb || !hc) return into;
  const b = hb.split(",");
  const c = hc.split(",");
  for (let i = 0; i < b.length; i++) {
    if (b[i] === "") continue;
    into[Number(b[i])] += Number(c[i]);
  }
  return into;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function percentilesOf(h: Histogram): Percentiles {
  return { p50: percentileFromHistogram(h, 50), p95: percentileFromHistogram(h, 95), p99: percentileFromHistogram(h, 99) };
}

export function addInto(into: Histogram, h: Histogram): Histogram {
  for (let i = 0; i < h.length; i++) into[i] += h[i];
  return into;
}
