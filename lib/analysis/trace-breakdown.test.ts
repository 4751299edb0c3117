import { describe, expect, it } from "vitest";
import { performanceAdvice, traceBreakdown, type TracedCall, type TracedInvocation } from "./trace-breakdown";

const ddb = (startMs: number, endMs: number, table = "orders"): TracedCall => ({ name: "DynamoDB", namespace: "aws", operation: "GetItem", resource: table, startMs, endMs });
const http = (startMs: number, endMs: number): TracedCall => ({ name: "api.stripe.com", namespace: "remote", operation: "POST", resource: null, startMs, endMs });
const inv = (durationMs: number, calls: TracedCall[], startMs = 0): TracedInvocation => ({ startMs, durationMs, calls });

describe("traceBreakdown", () => {
  it("splits handler time into own code and each downstream service", () => {
    // 100 ms handler: DynamoDB 10..30, Stripe 40..90 → own code 30 ms.
    const b = traceBreakdown([inv(100, [ddb(10, 30), http(40, 90)])])!;
    expect(b.ownCodeShare).toBeCloseTo(0.3);
    expect(b.waitingShare).toBeCloseTo(0.7);
    expect(b.downstream.map((d) => [d.label, Math.round(d.share * 100)])).toEqual([["api.stripe.com", 50], ["DynamoDB orders", 20]]);
    expect(b.slowest?.label).toBe("api.stripe.com");
    expect(b.synchronousWaitShare).toBeCloseTo(0.5);
    expect(b.lever).toBe("downstream");
  });

  it("counts parallel calls once and splits the overlap between them", () => {
    // Both services awaited 0..50 together, DynamoDB alone 50..60: waiting 60 of 100 ms.
    const b = traceBreakdown([inv(100, [ddb(0, 60), http(0, 50)])])!;
    expect(b.waitingShare).toBeCloseTo(0.6);
    const share = Object.fromEntries(b.downstream.map((d) => [d.label, d.share]));
    expect(share["DynamoDB orders"]).toBeCloseTo(0.35);
    expect(share["api.stripe.com"]).toBeCloseTo(0.25);
  });

  it("clips calls to the handler and sums over invocations", () => {
    // A call running past the handler's end counts only inside it; two invocations of 100 and 300 ms.
    const b = traceBreakdown([inv(100, [ddb(90, 150)]), inv(300, [], 1000)])!;
    expect(b.invocations).toBe(2);
    expect(b.handlerMs).toBe(400);
    expect(b.downstream[0].totalMs).toBeCloseTo(10);
    expect(b.downstream[0].avgCallMs).toBe(60);
    expect(b.ownCodeShare).toBeCloseTo(0.975);
    expect(b.lever).toBe("memory");
  });

  it("has nothing to say without handler time", () => {
    expect(traceBreakdown([])).toBeNull();
    expect(traceBreakdown([inv(0, [])])).toBeNull();
  });
});

describe("performanceAdvice", () => {
  it("names memory as the lever for a CPU-heavy function and scales only its own code", () => {
    // 900 ms handler, 90 % own code; at twice the memory: 900 × (0.1 + 0.9 / 2) = 495 ms.
    const b = traceBreakdown([inv(900, [ddb(0, 90, "uploads")])])!;
    const a = performanceAdvice(b, 1024);
    expect(a.lever).toBe("memory");
    expect(a.whatIfMemoryMB).toBe(2048);
    expect(a.avgDurationAtWhatIfMs).toBeCloseTo(495);
    expect(a.text).toContain("memory is the lever");
    expect(a.text).toContain("900 ms to about 495 ms");
    expect(a.text).toContain("DynamoDB uploads");
  });

  it("names the slowest downstream as the lever for a waiting function", () => {
    const b = traceBreakdown([inv(200, [ddb(10, 40), http(50, 190)])])!;
    const a = performanceAdvice(b, 512);
    expect(a.lever).toBe("downstream");
    // 200 × (0.85 + 0.15 / 2) = 185 ms: doubling memory saves little.
    expect(a.avgDurationAtWhatIfMs).toBeCloseTo(185);
    expect(a.text).toContain("the downstream is the lever, not memory");
    expect(a.text).toContain("slowest downstream is api.stripe.com (70 %");
  });

  it("says so when the function already has the most memory", () => {
    const b = traceBreakdown([inv(100, [])])!;
    expect(performanceAdvice(b, 10_240).text).toContain("already has the most memory");
  });
});
