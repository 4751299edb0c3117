import { describe, expect, it } from "vitest";
import { evaluateRule } from "../__fixtures__/builders";
import { aTopic } from "../__fixtures__/service-builders";
import { snsFailedDeliveriesNoDlq } from "./sns";

const https = { protocol: "https", endpoint: "https://partner.example.com/hook", dlq: null };
const sqsWithDlq = { protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:q", dlq: "arn:aws:sqs:us-east-1:123456789012:dlq" };

describe("sns-failed-deliveries-no-dlq", () => {
  it("warns when deliveries fail and a subscription has no dead-letter queue", () => {
    const [f] = evaluateRule(snsFailedDeliveriesNoDlq, { topics: [aTopic({ delivered: 9_000, failedNotifications: 1_000, subscriptions: [sqsWithDlq, https] })] });
    expect(f).toMatchObject({ severity: "warning", evidence: { failedNotifications: 1_000, failedPct: 10, subscriptionsWithoutDlq: 1, subscriptionsWithoutDlqProtocols: "https" } });
  });

  it("stays quiet without failures, or when every subscription has a dead-letter queue", () => {
    expect(evaluateRule(snsFailedDeliveriesNoDlq, { topics: [aTopic({ failedNotifications: 0, subscriptions: [https] })] })).toEqual([]);
    expect(evaluateRule(snsFailedDeliveriesNoDlq, { topics: [aTopic({ failedNotifications: 30, subscriptions: [sqsWithDlq] })] })).toEqual([]);
  });
});
