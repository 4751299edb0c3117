import { describe, expect, it } from "vitest";
import { emptyHistogram, HISTOGRAM_BUCKETS } from "@/lib/analysis/histogram";
import { mergeSparseStrings } from "./hist";

/** The reference reading: split on commas, skip empty entries. */
function bySplit(hb: string, hc: string) {
  const h = emptyHistogram();
  const b = hb.split(",");
  const c = hc.split(",");
  b.forEach((x, i) => {
    if (x !== "") h[Number(x)] += Number(c[i]);
  });
  return h;
}

describe("mergeSparseStrings", () => {
  it("adds what string_agg of many rows' sparse histograms gives, empty rows included", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const rows = Array.from({ length: 300 }, () => {
      if (rand(10) === 0) return { b: "", c: "" };
      const buckets = [...new Set(Array.from({ length: 1 + rand(40) }, () => rand(HISTOGRAM_BUCKETS)))].sort((x, y) => x - y);
      return { b: buckets.join(","), c: buckets.map(() => 1 + rand(100_000)).join(",") };
    });
    const hb = rows.map((r) => r.b).join(",");
    const hc = rows.map((r) => r.c).join(",");
    expect(mergeSparseStrings(hb, hc)).toEqual(bySplit(hb, hc));
  });

  it("adds into a histogram it is given, and leaves it as it is for no data", () => {
    const h = mergeSparseStrings("3,10", "2,5");
    expect(mergeSparseStrings("10", "1", h)[10]).toBe(6);
    expect(mergeSparseStrings(null, null, h)).toBe(h);
    expect(mergeSparseStrings("", "", h)[3]).toBe(2);
  });
});
