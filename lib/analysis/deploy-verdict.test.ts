import { describe, expect, it } from "vitest";
import { deployVerdict, twoProportionZ } from "./deploy-verdict";

const w = (invocations: number, errors: number, p95Ms: number | null = 200, costUsd = invocations * 2e-6) => ({ invocations, errors, p95Ms, costUsd });

describe("twoProportionZ", () => {
  it("matches the textbook pooled z", () => {
    // 10/1000 against 30/1000: pooled 0.02, se = sqrt(0.02 × 0.98 × 0.002) = 0.00626, z = 0.02 / 0.00626 = 3.19.
    expect(twoProportionZ(10, 1000, 30, 1000)).toBeCloseTo(3.194, 2);
    expect(twoProportionZ(0, 1000, 0, 1000)).toBe(0);
  });
});

describe("deployVerdict", () => {
  it("calls a deploy worse when the error rate rises beyond chance", () => {
    const v = deployVerdict(w(1000, 10), w(1000, 30));
    expect(v.verdict).toBe("worse");
    expect(v.errorRate.direction).toBe("worse");
    expect(v.text).toContain("Worse after the deploy: error rate 1.00 % → 3.00 % (worse, z = 3.2)");
  });

  it("does not call a small wobble in errors a change", () => {
    const v = deployVerdict(w(1000, 10), w(1000, 14));
    expect(v.verdict).toBe("no-change");
    expect(v.text).toMatch(/^No significant change/);
  });

  it("calls a 20 % slower p95 or a dearer invocation worse, and a faster one better", () => {
    expect(deployVerdict(w(500, 0, 200), w(500, 0, 260)).p95.direction).toBe("worse");
    expect(deployVerdict(w(500, 0, 200, 0.001), w(500, 0, 200, 0.0015)).verdict).toBe("worse");
    expect(deployVerdict(w(500, 0, 200), w(500, 0, 120)).verdict).toBe("better");
  });

  it("says too few invocations rather than judge on a handful", () => {
    const v = deployVerdict(w(40, 0), w(40, 20));
    expect(v.verdict).toBe("too-few-invocations");
    expect(v.errorRate.direction).toBe("same");
    expect(v.text).toContain("Too few invocations to judge (40 before, 40 after; 100 needed on each side)");
  });
});
