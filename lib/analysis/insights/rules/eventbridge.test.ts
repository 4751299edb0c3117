import { describe, expect, it } from "vitest";
import { evaluateRule } from "../__fixtures__/builders";
import { anEventRule } from "../__fixtures__/service-builders";
import { eventBridgeFailedInvocations, eventBridgeThrottledRules } from "./eventbridge";

describe("eventbridge-failed-invocations", () => {
  it("warns and names the targets without a dead-letter queue", () => {
    const [f] = evaluateRule(eventBridgeFailedInvocations, { eventRules: [anEventRule({ invocations: 4_000, failedInvocations: 120 })] });
    expect(f).toMatchObject({ severity: "warning", pillar: "reliability", evidence: { failedInvocations: 120, failedPct: 3, targetsWithoutDlq: 1, targetsWithoutDlqIds: "fulfilment" } });
    expect(f.recommendation).toContain("Target fulfilment has no dead-letter queue");
  });

  it("is only informational when every target has a dead-letter queue, and quiet without failures", () => {
    const withDlq = [{ id: "t", arn: "arn:aws:lambda:us-east-1:123456789012:function:f", dlq: "arn:aws:sqs:us-east-1:123456789012:dlq" }];
    expect(evaluateRule(eventBridgeFailedInvocations, { eventRules: [anEventRule({ failedInvocations: 5, targets: withDlq })] })[0].severity).toBe("info");
    expect(evaluateRule(eventBridgeFailedInvocations, { eventRules: [anEventRule({ failedInvocations: 0 })] })).toEqual([]);
  });
});

describe("eventbridge-throttled-rules", () => {
  it("warns on a throttled rule (REL 1, regulating inbound rates)", () => {
    const [f] = evaluateRule(eventBridgeThrottledRules, { eventRules: [anEventRule({ throttled: 42 })] });
    expect(f).toMatchObject({ severity: "warning", evidence: { throttled: 42 } });
    expect(eventBridgeThrottledRules.question).toBe("REL1");
    expect(evaluateRule(eventBridgeThrottledRules, { eventRules: [anEventRule({ throttled: 0 })] })).toEqual([]);
  });
});
