import { describe, expect, it } from "vitest";
import { formatDuration, formatMb, formatMbOf, formatMs } from "./units";

describe("formatDuration", () => {
  it("keeps seconds over a minute, up to an hour", () => {
    expect(formatDuration(83_000)).toBe("1 min 23 s");
    expect(formatDuration(60_000)).toBe("1 min 0 s");
    expect(formatDuration(59_400)).toBe("59 s");
    expect(formatDuration(59_600)).toBe("1 min 0 s");
    expect(formatDuration(3_599_000)).toBe("59 min 59 s");
  });
  it("shows hours and minutes, then days", () => {
    expect(formatDuration(3_600_000 + 5 * 60_000 + 7_000)).toBe("1 h 5 min");
    expect(formatDuration(50 * 3_600_000)).toBe("2 d");
    expect(formatDuration(null)).toBe("–");
  });
});

describe("formatMs", () => {
  it("shows a duration over a minute to the tenth of a second", () => {
    expect(formatMs(83_400)).toBe("83.4 s");
    expect(formatMs(61_571)).toBe("61.6 s");
    expect(formatMs(16 * 60_000 + 3_250)).toBe("16 min 3.3 s");
    expect(formatMs(546)).toBe("546 ms");
  });
});

describe("memory", () => {
  it("is always MB with thousands separators", () => {
    expect(formatMb(1024)).toBe("1,024 MB");
    expect(formatMbOf(512, 1024)).toBe("512 / 1,024 MB");
    expect(formatMbOf(null, 10_240)).toBe("– / 10,240 MB");
  });
});
