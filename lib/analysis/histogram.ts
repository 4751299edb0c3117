/**
 * Duration histogram with fixed log-scale buckets, stored per resource and minute, hour and day
 * in the rollups (sparse: hist_buckets, hist_counts). Histograms of any set of minutes merge by adding counts, and the
 * nearest-rank percentile of the merged histogram is within 2 % of the exact one.
 *
 * Bucket 0 holds durations below MIN_MS (REPORT has 0.01 ms resolution, so only 0 lands there).
 * Bucket i (1..GEOMETRIC) holds [MIN_MS * RATIO^(i-1), MIN_MS * RATIO^i); its value is the geometric
 * midpoint, within sqrt(RATIO) - 1 = 1.98 % of anything in the bucket. The last bucket holds
 * everything at or above the top boundary (just above Lambda's 900 s limit).
 *
 * The bound of a percentile read from a histogram (PERCENTILE_BOUND): the value reported for a bucket
 * is its geometric midpoint, at most 1.94 % below and 1.98 % above the true nearest-rank value. In the
 * bucket that holds the window's longest duration, when the rollups know it (max_duration_ms), that
 * longest duration is reported instead: never below the true value, at most 4 % above, and exact when
 * the slowest invocations all end alike (a function that times out at 60 s shows p99 = 60.0 s, not
 * the 59.0 s midpoint of the bucket holding 60 s). A percentile is so never more than 1.94 % below
 * the true value, and never more than 4 % above it.
 *
 * The layout is persisted: changing MIN_MS, RATIO or HISTOGRAM_BUCKETS requires a migration that
 * rebuilds every stored histogram.
 */

export type Histogram = number[];

const MIN_MS = 0.01;
const RATIO = 1.04;
const GEOMETRIC = 467;

/** How far a percentile read from a histogram may sit from the true value, as a share of it (see above). */
export const PERCENTILE_BOUND = { below: 1 - 1 / Math.sqrt(RATIO), above: RATIO - 1 } as const;

/** Number of buckets: 1 underflow + 467 geometric + 1 overflow. Changing it requires a migration. */
export const HISTOGRAM_BUCKETS = 469;

const OVERFLOW = HISTOGRAM_BUCKETS - 1;
const LOG_RATIO = Math.log(RATIO);

/** LOWER[i] is the smallest duration of bucket i, for i in 1..OVERFLOW. */
const LOWER: Float64Array = (() => {
  const lower = new Float64Array(HISTOGRAM_BUCKETS);
  for (let i = 1; i <= OVERFLOW; i++) lower[i] = MIN_MS * RATIO ** (i - 1);
  return lower;
})();

/** Top boundary of the geometric range, also the value reported for the overflow bucket. */
export const HISTOGRAM_MAX_MS = LOWER[OVERFLOW];

export function bucketOf(ms: number): number {
  if (Number.isNaN(ms) || ms < MIN_MS) return 0;
  if (ms >= HISTOGRAM_MAX_MS) return OVERFLOW;
  let i = 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_RATIO);
  // The logarithm can land one bucket off at a boundary; the table is the reference.
  if (i > GEOMETRIC) i = GEOMETRIC;
  while (i > 1 && ms < LOWER[i]) i--;
  while (i < GEOMETRIC && ms >= LOWER[i + 1]) i++;
  return i;
}

export function bucketValue(i: number): number {
  if (!Number.isInteger(i) || i < 0 || i > OVERFLOW) throw new RangeError(`no histogram bucket ${i}`);
  if (i === 0) return 0;
  if (i === OVERFLOW) return HISTOGRAM_MAX_MS;
  return Math.sqrt(LOWER[i] * LOWER[i + 1]);
}

export function emptyHistogram(): Histogram {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/** Adds one duration in place and returns the same histogram. */
export function addToHistogram(h: Histogram, ms: number): Histogram {
  const i = bucketOf(ms);
  h[i] = (h[i] ?? 0) + 1;
  return h;
}

/** A new histogram with the counts of both; shorter arrays (trailing zeros trimmed) are accepted. */
export function mergeHistograms(a: readonly number[], b: readonly number[]): Histogram {
  const out = emptyHistogram();
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return out;
}

export function histogramCount(h: readonly number[]): number {
  let n = 0;
  for (const c of h) n += c;
  return n;
}

function checkPercentile(p: number): void {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
}

/** 1-based nearest rank: the smallest rank whose share of n reaches p %. */
function nearestRank(p: number, n: number): number {
  const exact = (p * n) / 100;
  // Guards ceil against products like 95.00000000000001.
  return Math.min(n, Math.max(1, Math.ceil(exact - exact * 1e-12)));
}

/**
 * Nearest-rank percentile (p in 0..100) of a histogram; null when it is empty. `maxMs`, the longest
 * duration the histogram holds when known, is reported for the highest non-empty bucket if it lies in
 * it (PERCENTILE_BOUND); a `maxMs` from elsewhere (rows that did not record it) is ignored.
 */
export function percentileFromHistogram(h: readonly number[], p: number, maxMs: number | null = null): number | null {
  checkPercentile(p);
  const n = histogramCount(h);
  if (n === 0) return null;
  const rank = nearestRank(p, n);
  let top = -1;
  for (let i = h.length - 1; i >= 0; i--) {
    if (h[i] > 0) {
      top = i;
      break;
    }
  }
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen >= rank) return i === top && maxMs !== null && bucketOf(maxMs) === top ? maxMs : bucketValue(i);
  }
  return bucketValue(OVERFLOW);
}

/** Nearest-rank percentile (p in 0..100) of ascending values; null when there are none. */
export function exactPercentile(sortedValues: readonly number[], p: number): number | null {
  checkPercentile(p);
  if (sortedValues.length === 0) return null;
  return sortedValues[nearestRank(p, sortedValues.length) - 1];
}

/** Dense histogram from the sparse form stored in the rollups (bucket indexes and their counts). */
export function histogramFromSparse(buckets: readonly number[], counts: readonly number[]): Histogram {
  const h = emptyHistogram();
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (!Number.isInteger(b) || b < 0 || b >= HISTOGRAM_BUCKETS) throw new RangeError(`no histogram bucket ${b}`);
    h[b] += counts[i] ?? 0;
  }
  return h;
}

/** The sparse form of a dense histogram: the buckets that hold something, and their counts. */
export function sparseFromHistogram(h: readonly number[]): { buckets: number[]; counts: number[] } {
  const buckets: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < h.length; i++) {
    if (h[i]) {
      buckets.push(i);
      counts.push(h[i]);
    }
  }
  return { buckets, counts };
}

/** Nearest-rank percentile of a sparse histogram; repeated bucket indexes add up (rows merged by concatenation). */
export function percentileFromSparse(buckets: readonly number[], counts: readonly number[], p: number, maxMs: number | null = null): number | null {
  return percentileFromHistogram(histogramFromSparse(buckets, counts), p, maxMs);
}
