import { describe, expect, it } from "vitest";
import { formatGbSeconds, formatMb, formatMs, formatRange, formatUsd } from "./format";

describe("display formats", () => {
  it("keeps durations over a minute to the tenth of a second", () => {
    expect(formatMs(60_000.92)).toBe("60.0 s");
    expect(formatMs(61_571)).toBe("61.6 s");
    expect(formatMs(899_999)).toBe("900.0 s");
    expect(formatMs(3_723_400)).toBe("62 min 3.4 s");
    expect(formatMs(59_049)).toBe("59.0 s");
    expect(formatMs(3.1)).toBe("3.1 ms");
    expect(formatMs(546)).toBe("546 ms");
    expect(formatMs(1_234)).toBe("1.23 s");
  });

  it("shows tiny GB-seconds with significant digits, never 0.000", () => {
    expect(formatGbSeconds(0.0125)).toBe("0.0125 GB-s");
    expect(formatGbSeconds(0.000123456)).toBe("0.000123 GB-s");
    expect(formatGbSeconds(1.628)).toBe("1.63 GB-s");
    expect(formatGbSeconds(123_456.7)).toBe("123,457 GB-s");
    expect(formatGbSeconds(0)).toBe("0 GB-s");
    expect(formatGbSeconds(null)).toBe("–");
  });

  it("shows tiny costs with their digits", () => {
    expect(formatUsd(0.0000021)).toBe("$0.0000021");
    expect(formatUsd(0.00042)).toBe("$0.00042");
    expect(formatUsd(0.0012)).toBe("$0.0012");
    expect(formatUsd(0)).toBe("$0.00");
  });

  it("shows memory in MB everywhere", () => {
    expect(formatMb(1024)).toBe("1,024 MB");
    expect(formatMb(3008)).toBe("3,008 MB");
    expect(formatMb(128)).toBe("128 MB");
    expect(formatMb(10_240)).toBe("10,240 MB");
  });

  it("shows a range and the period before it end to start", () => {
    const to = new Date(2026, 10, 20, 12, 18).getTime();
    expect(formatRange(to - 86_400_000, to)).toBe("19 Nov, 12:18 – 20 Nov, 12:18");
  });
});
