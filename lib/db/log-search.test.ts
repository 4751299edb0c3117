import { describe, expect, it } from "vitest";
import { daysNewestFirst } from "./log-search";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe("daysNewestFirst", () => {
  it("cuts a range at UTC midnights, where the day partitions meet, newest day first, covering it exactly", () => {
    const from = at("2026-11-26T15:30:00Z");
    const to = at("2026-12-03T10:00:00Z");
    const days = daysNewestFirst(from, to);
    expect(days[0]).toEqual([at("2026-12-03T00:00:00Z"), to]);
    expect(days.at(-1)).toEqual([from, at("2026-11-27T00:00:00Z")]);
    expect(days).toHaveLength(8);
    for (let i = 1; i < days.length; i++) expect(days[i][1]).toBe(days[i - 1][0]);
    for (const [a, b] of days) {
      expect(b).toBeGreaterThan(a);
      expect(Math.floor(a / DAY)).toBe(Math.floor((b - 1) / DAY));
    }
  });

  it("keeps a range inside one day whole, and ends a range that stops at midnight on the day before", () => {
    expect(daysNewestFirst(at("2026-12-03T01:00:00Z"), at("2026-12-03T02:00:00Z"))).toEqual([[at("2026-12-03T01:00:00Z"), at("2026-12-03T02:00:00Z")]]);
    expect(daysNewestFirst(at("2026-12-02T12:00:00Z"), at("2026-12-03T00:00:00Z"))).toEqual([[at("2026-12-02T12:00:00Z"), at("2026-12-03T00:00:00Z")]]);
    expect(daysNewestFirst(5, 5)).toEqual([]);
  });
});
