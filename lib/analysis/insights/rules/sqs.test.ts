import { describe, expect, it } from "vitest";
import { aQueue, evaluateRule } from "../__fixtures__/builders";
import { fittedRise, sqsBacklogGrowing, sqsDeadLetterQueueReceiving, sqsOldestMessageAge, sqsUnreadQueue } from "./sqs";

describe("sqs-oldest-message-age", () => {
  const fourDays = 4 * 86_400;

  it("warns past half the retention period and is critical past 90 %", () => {
    const [finding] = evaluateRule(sqsOldestMessageAge, { queues: [aQueue({ retentionS: fourDays, maxAgeOfOldestMessageS: 200_000 })] });
    expect(finding).toMatchObject({
      severity: "warning",
      evidence: { maxAgeOfOldestMessageS: 200_000, retentionS: fourDays, pctOfRetention: 57.9 },
    });
    expect(finding.recommendation).toContain("57.9%");
    const [critical] = evaluateRule(sqsOldestMessageAge, { queues: [aQueue({ retentionS: fourDays, maxAgeOfOldestMessageS: 320_000 })] });
    expect(critical.severity).toBe("critical");
  });

  it("stays quiet at exactly half", () => {
    expect(evaluateRule(sqsOldestMessageAge, { queues: [aQueue({ retentionS: fourDays, maxAgeOfOldestMessageS: fourDays / 2 })] })).toEqual([]);
  });
});

describe("sqs-backlog-growing", () => {
  it("fits the trend rather than comparing two samples", () => {
    expect(fittedRise([0, 50, 100])).toBe(100);
    expect(fittedRise([10, 500, 10])).toBe(0);
  });

  it("warns when visible messages rise by 100 or more across the window", () => {
    const [finding] = evaluateRule(sqsBacklogGrowing, { queues: [aQueue({ visibleMessages: [0, 50, 100], sent: 900, deleted: 800 })] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { visibleAtStart: 0, visibleAtEnd: 100, trendRise: 100 } });
    expect(finding.recommendation).toContain("from 0 to 100");
  });

  it("stays quiet below the rise, on a passing burst, on DLQs and on short series", () => {
    expect(evaluateRule(sqsBacklogGrowing, { queues: [aQueue({ visibleMessages: [0, 50, 99] })] })).toEqual([]);
    expect(evaluateRule(sqsBacklogGrowing, { queues: [aQueue({ visibleMessages: [10, 5000, 10] })] })).toEqual([]);
    expect(evaluateRule(sqsBacklogGrowing, { queues: [aQueue({ isDlq: true, visibleMessages: [0, 500, 1000] })] })).toEqual([]);
    expect(evaluateRule(sqsBacklogGrowing, { queues: [aQueue({ visibleMessages: [0, 1000] })] })).toEqual([]);
  });
});

describe("sqs-dlq-receiving", () => {
  it("warns when a dead-letter queue holds messages, counting what arrived", () => {
    const [finding] = evaluateRule(sqsDeadLetterQueueReceiving, {
      queues: [aQueue({ name: "orders-dlq", isDlq: true, visibleMessages: [0, 0, 3, 5], sent: 0, received: 0 })],
    });
    expect(finding).toMatchObject({ severity: "warning", evidence: { visibleMessages: 5, arrivedInWindow: 5, sent: 0 } });
    expect(finding.recommendation).toContain("holds 5 messages");
  });

  it("stays quiet on an empty dead-letter queue and on ordinary queues", () => {
    expect(evaluateRule(sqsDeadLetterQueueReceiving, { queues: [aQueue({ isDlq: true, visibleMessages: [0, 0, 0], sent: 0 })] })).toEqual([]);
    expect(evaluateRule(sqsDeadLetterQueueReceiving, { queues: [aQueue({ isDlq: false, visibleMessages: [0, 5, 9] })] })).toEqual([]);
  });
});

describe("sqs-unread-queue", () => {
  it("warns when messages are sent and none received", () => {
    const [finding] = evaluateRule(sqsUnreadQueue, { queues: [aQueue({ sent: 50, received: 0 })] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { sent: 50, received: 0 } });
    expect(finding.recommendation).toContain("50 messages");
  });

  it("stays quiet when something reads, when nothing is sent, and on DLQs", () => {
    expect(evaluateRule(sqsUnreadQueue, { queues: [aQueue({ sent: 50, received: 1 })] })).toEqual([]);
    expect(evaluateRule(sqsUnreadQueue, { queues: [aQueue({ sent: 0, received: 0 })] })).toEqual([]);
    expect(evaluateRule(sqsUnreadQueue, { queues: [aQueue({ isDlq: true, sent: 50, received: 0 })] })).toEqual([]);
  });
});
