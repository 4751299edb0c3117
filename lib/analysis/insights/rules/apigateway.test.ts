import { describe, expect, it } from "vitest";
import { anApi, evaluateRule } from "../__fixtures__/builders";
import { apiGateway5xxRate, apiGatewayLatency } from "./apigateway";

describe("apigateway-5xx-rate", () => {
  it("warns above 1 % and is critical above 10 %", () => {
    const [finding] = evaluateRule(apiGateway5xxRate, { apis: [anApi({ count: 1000, errors5xx: 11 })] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { errors5xx: 11, count: 1000, errorRatePct: 1.1 } });
    expect(finding.recommendation).toContain("1.1%");
    expect(evaluateRule(apiGateway5xxRate, { apis: [anApi({ count: 1000, errors5xx: 150 })] })[0].severity).toBe("critical");
  });

  it("stays quiet at exactly 1 % and without requests", () => {
    expect(evaluateRule(apiGateway5xxRate, { apis: [anApi({ count: 1000, errors5xx: 10 })] })).toEqual([]);
    expect(evaluateRule(apiGateway5xxRate, { apis: [anApi({ count: 0, errors5xx: 0, p99LatencyMs: null })] })).toEqual([]);
  });
});

describe("apigateway-latency", () => {
  it("warns when p99 latency is above 5 s", () => {
    const [finding] = evaluateRule(apiGatewayLatency, { apis: [anApi({ p99LatencyMs: 6200 })] });
    expect(finding).toMatchObject({ severity: "warning", pillar: "performance", evidence: { p99LatencyMs: 6200, thresholdMs: 5000 } });
    expect(finding.recommendation).toContain("6.2 s");
  });

  it("stays quiet at exactly 5 s and without requests", () => {
    expect(evaluateRule(apiGatewayLatency, { apis: [anApi({ p99LatencyMs: 5000 })] })).toEqual([]);
    expect(evaluateRule(apiGatewayLatency, { apis: [anApi({ count: 0, p99LatencyMs: null })] })).toEqual([]);
  });
});
