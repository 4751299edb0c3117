import { describe, expect, it } from "vitest";
import { coverRange, GRAIN_MS, seriesGrain } from "./rollup-range";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 10, 20, 12, 17, 0);

/** The segments sorted by start: each aligned to its grain, each starting where the one before ends. */
function check(from: number, to: number) {
  const segs = coverRange(from, to).sort((a, b) => a.from - b.from);
  for (const s of segs) {
    expect(s.from % GRAIN_MS[s.grain], JSON.stringify(s)).toBe(0);
    expect(s.to % GRAIN_MS[s.grain], JSON.stringify(s)).toBe(0);
    expect(s.to).toBeGreaterThan(s.from);
  }
  for (let i = 1; i < segs.length; i++) expect(segs[i].from).toBe(segs[i - 1].to);
  return segs;
}

describe("coverRange", () => {
  it.each([
    ["1h", HOUR],
    ["6h", 6 * HOUR],
    ["24h", DAY],
    ["7d", 7 * DAY],
    ["30d", 30 * DAY],
    ["400d", 400 * DAY],
  ])("covers exactly a %s range ending off the hour, and nothing of the period before", (_, length) => {
    const segs = check(T - length, T);
    expect(segs[0].from).toBe(T - length);
    expect(segs.at(-1)!.to).toBe(T);
    const prev = check(T - 2 * length, T - length);
    expect(prev.at(-1)!.to).toBe(segs[0].from);
  });

  it("reads partial hours from minute rows and partial days from hour rows", () => {
    const segs = check(T - 30 * DAY, T);
    expect(segs.map((s) => s.grain)).toEqual(["minute", "hour", "day", "hour", "minute"]);
    expect(segs[0]).toEqual({ grain: "minute", from: T - 30 * DAY, to: T - 30 * DAY + 43 * MIN });
    expect(segs[2]).toEqual({ grain: "day", from: Date.UTC(2026, 9, 22), to: Date.UTC(2026, 10, 20) });
    expect(segs.at(-1)).toEqual({ grain: "minute", from: T - 17 * MIN, to: T });
  });

  it("widens a range off the minute to whole minutes", () => {
    expect(coverRange(T + 1_500, T + 2 * MIN + 1)).toEqual([{ grain: "minute", from: T, to: T + 3 * MIN }]);
    expect(check(T - DAY + 7_000, T + 59_999).at(-1)!.to).toBe(T + MIN);
  });

  it("uses hour rows only on hour-aligned ranges inside one day", () => {
    expect(coverRange(Date.UTC(2026, 10, 20, 1), Date.UTC(2026, 10, 20, 13))).toEqual([{ grain: "hour", from: Date.UTC(2026, 10, 20, 1), to: Date.UTC(2026, 10, 20, 13) }]);
  });

  it("picks one series grain by span", () => {
    expect([seriesGrain(0, 6 * HOUR), seriesGrain(0, DAY), seriesGrain(0, 9 * DAY)]).toEqual(["minute", "hour", "day"]);
  });
});
