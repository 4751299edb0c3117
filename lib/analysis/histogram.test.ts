import { describe, expect, it } from "vitest";
import {
  HISTOGRAM_BUCKETS,
  HISTOGRAM_MAX_MS,
  PERCENTILE_BOUND,
  addToHistogram,
  bucketOf,
  bucketValue,
  emptyHistogram,
  exactPercentile,
  histogramCount,
  histogramFromSparse,
  sparseFromHistogram,
  mergeHistograms,
  percentileFromHistogram,
  percentileFromSparse,
  type Histogram,
} from "./histogram";

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

function logNormal(random: () => number, medianMs: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  return medianMs * Math.exp(sigma * z);
}

const relativeError = (estimate: number, exact: number) => (exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact);

describe("bucket layout", () => {
  it("is the persisted one: 469 buckets reaching just past Lambda's 900 s limit", () => {
    // Changing the layout requires a migration of rollup_minute.duration_hist.
    expect(HISTOGRAM_BUCKETS).toBe(469);
    expect(emptyHistogram()).toHaveLength(HISTOGRAM_BUCKETS);
    expect(HISTOGRAM_MAX_MS).toBeGreaterThanOrEqual(900_000);
    expect(HISTOGRAM_MAX_MS / 1.04).toBeLessThan(900_000);
    expect(bucketOf(900_000)).toBe(HISTOGRAM_BUCKETS - 2);
    expect(bucketOf(HISTOGRAM_MAX_MS)).toBe(HISTOGRAM_BUCKETS - 1);
    expect(bucketOf(Number.POSITIVE_INFINITY)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it("puts zero, negatives and NaN in bucket 0, valued 0", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.009)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketValue(0)).toBe(0);
    expect(bucketOf(0.01)).toBe(1);
  });

  it("is monotonic and every value is within 2 % of its bucket's value", () => {
    let previous = 0;
    for (let ms = 0.01; ms < 1_000_000; ms *= 1.0007) {
      const i = bucketOf(ms);
      expect(i).toBeGreaterThanOrEqual(previous);
      previous = i;
      if (i < HISTOGRAM_BUCKETS - 1) expect(relativeError(bucketValue(i), ms)).toBeLessThan(0.02);
    }
    for (let i = 1; i < HISTOGRAM_BUCKETS; i++) {
      expect(bucketValue(i)).toBeGreaterThan(bucketValue(i - 1));
      expect(bucketOf(bucketValue(i))).toBe(i);
    }
  });

  it("rejects bucket indexes outside the layout and percentiles outside 0..100", () => {
    expect(() => bucketValue(-1)).toThrow(RangeError);
    expect(() => bucketValue(HISTOGRAM_BUCKETS)).toThrow(RangeError);
    expect(() => percentileFromHistogram(emptyHistogram(), 101)).toThrow(RangeError);
    expect(() => exactPercentile([1], -1)).toThrow(RangeError);
  });
});

describe("nearest-rank percentiles", () => {
  it("follows the nearest-rank definition on plain values", () => {
    const values = [15, 20, 35, 40, 50];
    expect(exactPercentile(values, 0)).toBe(15);
    expect(exactPercentile(values, 5)).toBe(15);
    expect(exactPercentile(values, 30)).toBe(20);
    expect(exactPercentile(values, 40)).toBe(20);
    expect(exactPercentile(values, 50)).toBe(35);
    expect(exactPercentile(values, 100)).toBe(50);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(exactPercentile(hundred, 95)).toBe(95);
    expect(exactPercentile(hundred, 99)).toBe(99);
    expect(exactPercentile(hundred, 99.9)).toBe(100);
  });

  it("returns null for no data", () => {
    expect(exactPercentile([], 50)).toBeNull();
    expect(percentileFromHistogram(emptyHistogram(), 50)).toBeNull();
  });

  it("reads the bucket of the ranked value from a histogram", () => {
    const h = emptyHistogram();
    for (const ms of [15, 20, 35, 40, 50]) addToHistogram(h, ms);
    expect(histogramCount(h)).toBe(5);
    expect(percentileFromHistogram(h, 50)).toBe(bucketValue(bucketOf(35)));
    expect(percentileFromHistogram(h, 100)).toBe(bucketValue(bucketOf(50)));
    expect(percentileFromHistogram(h, 0)).toBe(bucketValue(bucketOf(15)));
  });

  it("merges by adding counts and accepts arrays with trailing zeros trimmed", () => {
    const a = addToHistogram(addToHistogram(emptyHistogram(), 3), 3);
    const b = addToHistogram(emptyHistogram(), 1000);
    const trimmed = b.slice(0, bucketOf(1000) + 1);
    const merged = mergeHistograms(a, trimmed);
    expect(merged).toHaveLength(HISTOGRAM_BUCKETS);
    expect(merged[bucketOf(3)]).toBe(2);
    expect(merged[bucketOf(1000)]).toBe(1);
    expect(a[bucketOf(1000)]).toBe(0);
  });
});

describe("sparse histograms", () => {
  it("reads the rollups' bucket and count arrays, adding repeated buckets", () => {
    const h = histogramFromSparse([bucketOf(3), bucketOf(1000), bucketOf(3)], [2, 1, 1]);
    expect(h[bucketOf(3)]).toBe(3);
    expect(histogramCount(h)).toBe(4);
    expect(percentileFromSparse([bucketOf(1000), bucketOf(3)], [1, 3], 75)).toBe(bucketValue(bucketOf(3)));
    expect(percentileFromSparse([bucketOf(1000), bucketOf(3)], [1, 3], 76)).toBe(bucketValue(bucketOf(1000)));
    expect(percentileFromSparse([], [], 50)).toBeNull();
    expect(() => histogramFromSparse([HISTOGRAM_BUCKETS], [1])).toThrow(RangeError);
  });

  it("writes a dense histogram back as the buckets that hold something, in order", () => {
    const h = histogramFromSparse([bucketOf(1000), bucketOf(3)], [1, 2]);
    expect(sparseFromHistogram(h)).toEqual({ buckets: [bucketOf(3), bucketOf(1000)], counts: [2, 1] });
    expect(sparseFromHistogram(emptyHistogram())).toEqual({ buckets: [], counts: [] });
  });
});

describe("percentiles of merged minute histograms", () => {
  function minutes(seed: number, count: number, round: boolean): { values: number[][]; hists: Histogram[] } {
    const random = rng(seed);
    const values: number[][] = [];
    const hists: Histogram[] = [];
    for (let m = 0; m < count; m++) {
      const median = 5 + random() * 400;
      const sigma = 0.3 + random() * 1.2;
      const n = Math.floor(random() * 60);
      const minute: number[] = [];
      const h = emptyHistogram();
      for (let k = 0; k < n; k++) {
        let ms = Math.min(900_000, logNormal(random, median, sigma));
        if (round) ms = Math.round(ms * 100) / 100;
        minute.push(ms);
        addToHistogram(h, ms);
      }
      values.push(minute);
      hists.push(h);
    }
    return { values, hists };
  }

  for (const [seed, round] of [
    [1, false],
    [2, true],
    [3, false],
    [4, true],
  ] as const) {
    it(`p50, p95 and p99 over random ranges are within 2 % of exact (seed ${seed}${round ? ", 0.01 ms resolution" : ""})`, () => {
      const { values, hists } = minutes(seed, 240, round);
      const random = rng(seed * 7919);
      let worst = 0;
      let checked = 0;
      for (let r = 0; r < 300; r++) {
        const from = Math.floor(random() * values.length);
        const to = from + 1 + Math.floor(random() * (values.length - from));
        const exact = values.slice(from, to).flat().sort((x, y) => x - y);
        if (exact.length === 0) continue;
        const merged = hists.slice(from, to).reduce((acc, h) => mergeHistograms(acc, h), emptyHistogram());
        expect(histogramCount(merged)).toBe(exact.length);
        for (const p of [50, 95, 99]) {
          const error = relativeError(percentileFromHistogram(merged, p)!, exactPercentile(exact, p)!);
          worst = Math.max(worst, error);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(800);
      expect(worst).toBeLessThan(0.02);
    });
  }

  it("stays within 2 % for sub-millisecond and near-timeout durations", () => {
    const values = [0, 0.01, 0.02, 0.37, 0.99, 1.01, 899_999.99, 900_000];
    const h = emptyHistogram();
    for (const ms of values) addToHistogram(h, ms);
    for (let p = 1; p <= 100; p++) {
      expect(relativeError(percentileFromHistogram(h, p)!, exactPercentile(values, p)!)).toBeLessThan(0.02);
    }
  });
});

describe("the stated bound, with the window's longest duration", () => {
  it("reports a function that times out at 60 s as p95 = p99 = 60.0 s, not its bucket's midpoint", () => {
    // 10.8 % of the invocations time out at 60 s (Duration 60,000.92 ms); the rest take 200 ms to 2 s.
    const values: number[] = [];
    for (let i = 0; i < 892; i++) values.push(200 + ((i * 37) % 1800));
    for (let i = 0; i < 108; i++) values.push(60_000 + (i % 93) / 100);
    const h = emptyHistogram();
    for (const ms of values) addToHistogram(h, ms);
    const max = Math.max(...values);
    expect(percentileFromHistogram(h, 95)).toBeLessThan(59_500);
    expect(percentileFromHistogram(h, 95, max)).toBe(max);
    expect(percentileFromHistogram(h, 99, max)).toBe(max);
    expect((max / 1000).toFixed(1)).toBe("60.0");
    // Lower percentiles are in other buckets: their midpoints, as before.
    expect(percentileFromHistogram(h, 50, max)).toBe(percentileFromHistogram(h, 50));
  });

  it("ignores a longest duration outside the top bucket (rows that did not record it)", () => {
    const h = emptyHistogram();
    for (const ms of [10, 20, 5_000]) addToHistogram(h, ms);
    expect(percentileFromHistogram(h, 99, 20)).toBe(bucketValue(bucketOf(5_000)));
  });

  it("never sits more than PERCENTILE_BOUND.below under the true value, nor PERCENTILE_BOUND.above over it", () => {
    expect(PERCENTILE_BOUND.below).toBeCloseTo(0.0194, 4);
    expect(PERCENTILE_BOUND.above).toBeCloseTo(0.04, 12);
    for (const seed of [1, 2, 3]) {
      const random = rng(seed);
      const values = Array.from({ length: 2000 }, () => Math.round(logNormal(random, 150, 1.2) * 100) / 100).sort((a, b) => a - b);
      const h = emptyHistogram();
      for (const ms of values) addToHistogram(h, ms);
      for (const p of [1, 10, 50, 90, 95, 99, 99.9, 100]) {
        const exact = exactPercentile(values, p)!;
        const got = percentileFromHistogram(h, p, values.at(-1)!)!;
        expect(got, `p${p}`).toBeGreaterThanOrEqual(exact * (1 - PERCENTILE_BOUND.below));
        expect(got, `p${p}`).toBeLessThanOrEqual(exact * (1 + PERCENTILE_BOUND.above));
      }
    }
  });
});
