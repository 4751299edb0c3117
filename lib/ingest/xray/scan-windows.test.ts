import { describe, expect, it } from "vitest";
import { backfillBelow, forwardWindowAfter, MAX_SUMMARY_WINDOW_MS, planFirstScan } from "./scan-windows";

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

describe("trace scan windows", () => {
  it("the first read takes the last hour forward and backfills the rest of the logs' 24 h, most recent window first", () => {
    const { forward, backfill } = planFirstScan(NOW, 24 * H, H);
    expect(forward).toEqual({ from: NOW - H, to: NOW, nextToken: null });
    expect(backfill).toEqual({ from: NOW - 7 * H, to: NOW - H, floor: NOW - 24 * H, nextToken: null });
    const windows = [];
    for (let w = backfill; w; w = backfillBelow(w.from, w.floor)) windows.push([(NOW - w.to) / H, (NOW - w.from) / H]);
    expect(windows).toEqual([[1, 7], [7, 13], [13, 19], [19, 24]]);
  });

  it("a lookback no longer than the recent window is read forward only", () => {
    expect(planFirstScan(NOW, 10 * 60_000, H)).toEqual({ forward: { from: NOW - 10 * 60_000, to: NOW, nextToken: null }, backfill: null });
  });

  it("forward windows are at most 6 h (GetTraceSummaries' limit) and stop at now", () => {
    expect(forwardWindowAfter(NOW - 10 * H, NOW)).toEqual({ from: NOW - 10 * H, to: NOW - 10 * H + MAX_SUMMARY_WINDOW_MS, nextToken: null });
    expect(forwardWindowAfter(NOW - H, NOW)).toEqual({ from: NOW - H, to: NOW, nextToken: null });
    expect(forwardWindowAfter(NOW, NOW)).toBeNull();
  });
});
