import { describe, expect, it } from "vitest";
import { rightSize, type RightSizingInput } from "./right-sizing";

const HOUR = 3_600_000;

function input(overrides: Partial<RightSizingInput> = {}): RightSizingInput {
  return {
    memorySizeMB: 1024,
    maxMemoryUsedMB: 140,
    timeoutS: 30,
    invocations: 1000,
    timeouts: 0,
    outOfMemory: 0,
    p99Ms: 400,
    billedMs: 1000 * 200,
    windowMs: 24 * HOUR,
    architecture: "x86_64",
    region: "us-east-1",
    ...overrides,
  };
}

describe("rightSize", () => {
  it("cuts to the peak plus 30 % headroom, rounded up to 64 MB", () => {
    const r = rightSize(input())!;
    expect(r).toMatchObject({ action: "cut", recommendedMemoryMB: 192, hold: null, currentMemoryMB: 1024 });
    expect(r.options.find((o) => o.recommended)).toMatchObject({ memoryMB: 192, fits: true });
    expect(r.options.find((o) => o.memoryMB === 128)?.fits).toBe(false);
    expect(r.monthlySavingUsd).toBeCloseTo(r.currentMonthlyCostUsd - r.recommendedMonthlyCostUsd, 12);
    expect(r.monthlySavingUsd).toBeGreaterThan(0);
  });

  it("writes memory in its reason as every page does (formatMb)", () => {
    const r = rightSize(input({ memorySizeMB: 10240, maxMemoryUsedMB: 1500 }))!;
    expect(r.reason).toBe("Cut to 1,984 MB: the highest use was 1,500 MB, plus 30 % headroom.");
  });

  it("never advises less memory to a function that times out (report-generator: 2 GB, 9 of 84 timed out)", () => {
    const r = rightSize(input({ memorySizeMB: 2048, maxMemoryUsedMB: 310, timeoutS: 60, invocations: 84, timeouts: 9, p99Ms: 60_000, billedMs: 84 * 20_000 }))!;
    expect(r).toMatchObject({ action: "keep", recommendedMemoryMB: 2048, hold: "timeouts", monthlySavingUsd: 0 });
    expect(r.reason).toContain("9 invocations timed out");
    expect(r.options.filter((o) => o.memoryMB < 2048 && o.fits)).toEqual([]);
  });

  it("never advises less memory when the p99 runs at 80 % of the timeout or more, even without timeouts", () => {
    expect(rightSize(input({ timeoutS: 10, p99Ms: 8_000 }))).toMatchObject({ action: "keep", hold: "near-timeout", recommendedMemoryMB: 1024 });
    expect(rightSize(input({ timeoutS: 10, p99Ms: 7_999 }))).toMatchObject({ action: "cut", hold: null });
  });

  it("raises memory after out-of-memory failures", () => {
    const r = rightSize(input({ memorySizeMB: 1024, maxMemoryUsedMB: 1024, outOfMemory: 3 }))!;
    expect(r).toMatchObject({ action: "raise", recommendedMemoryMB: 1344, hold: "out-of-memory" });
    expect(r.monthlySavingUsd).toBeLessThan(0);
  });

  it("raises memory when the peak is above 95 % of it, as the memory-nearly-exhausted card does", () => {
    expect(rightSize(input({ memorySizeMB: 512, maxMemoryUsedMB: 497 }))).toMatchObject({ action: "raise", recommendedMemoryMB: 704 });
    expect(rightSize(input({ memorySizeMB: 512, maxMemoryUsedMB: 486 }))).toMatchObject({ action: "keep", recommendedMemoryMB: 512 });
  });

  it("keeps the size when the peak leaves no smaller size with headroom", () => {
    expect(rightSize(input({ memorySizeMB: 256, maxMemoryUsedMB: 200 }))).toMatchObject({ action: "keep", recommendedMemoryMB: 256 });
  });

  it("extrapolates the window's rate to 30 days and says so", () => {
    const r = rightSize(input({ invocations: 1000, billedMs: 1000 * 200, windowMs: 24 * HOUR, memorySizeMB: 1024 }))!;
    expect(r.monthlyInvocations).toBe(30_000);
    expect(r.avgBilledDurationMs).toBe(200);
    // 30,000 requests and 30,000 x 0.2 s x 1 GB at us-east-1's first tier.
    expect(r.currentMonthlyCostUsd).toBeCloseTo(30_000 * 0.0000002 + 30_000 * 0.2 * 0.0000166667, 9);
    expect(r.basis).toBe("30 days at the rate of the last 24 h (1000 invocations, average billed duration as measured)");
    expect(rightSize(input({ windowMs: 7 * 24 * HOUR }))!.basis).toContain("the last 7 days");
  });

  it("scales only the traces' own-code share with memory instead of assuming I/O-bound", () => {
    // 200 ms at 1024 MB, 80 % own code: at 2048 MB 200 × (0.2 + 0.8 / 2) = 120 ms; I/O-bound it stays 200 ms.
    const measured = rightSize(input({ ownCodeShare: 0.8 }))!;
    const assumed = rightSize(input())!;
    expect(measured.options.find((o) => o.memoryMB === 2048)?.avgBilledDurationMs).toBe(120);
    expect(assumed.options.find((o) => o.memoryMB === 2048)?.avgBilledDurationMs).toBe(200);
    expect(measured.ownCodeShare).toBe(0.8);
    expect(assumed.ownCodeShare).toBeNull();
    expect(measured.basis).toContain("80 % of it in the function's own code");
    // A cut slows a CPU-heavy function, so it saves less than the I/O-bound estimate said.
    expect(measured.monthlySavingUsd).toBeLessThan(assumed.monthlySavingUsd);
  });

  it("has nothing to say without invocations", () => {
    expect(rightSize(input({ invocations: 0, billedMs: 0 }))).toBeNull();
  });
});
