import { describe, expect, it } from "vitest";
import { aFunction, anApi, aQueue, aTable, evaluateOnFunction, evaluateRule } from "../__fixtures__/builders";
import {
  apiGatewayNoThrottling,
  dynamodbPointInTimeRecoveryOff,
  lambdaAsyncEventsDropped,
  lambdaFailedEventDelivery,
  lambdaUnboundedConcurrencyToRemote,
  sqsConsumedWithoutDlq,
  sqsVisibilityTimeoutShort,
} from "./review-reliability";

const QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:orders-queue";
const consumer = (timeoutS: number) => aFunction({ functionName: "orders-consumer", timeoutS, eventSourceMappings: [{ eventSourceArn: QUEUE_ARN, kind: "sqs" }] });

describe("lambda-async-events-dropped", () => {
  it("is critical on any dropped event", () => {
    expect(evaluateOnFunction(lambdaAsyncEventsDropped, aFunction({}, { asyncEventsDropped: 4 }))).toMatchObject({ severity: "critical", evidence: { asyncEventsDropped: 4 } });
    expect(evaluateOnFunction(lambdaAsyncEventsDropped, aFunction({}, { asyncEventsDropped: 0 }))).toBeUndefined();
  });
});

describe("lambda-failed-event-delivery", () => {
  it("adds DeadLetterErrors and DestinationDeliveryFailures", () => {
    const finding = evaluateOnFunction(lambdaFailedEventDelivery, aFunction({}, { deadLetterErrors: 2, destinationDeliveryFailures: 1 }));
    expect(finding?.evidence).toEqual({ deadLetterErrors: 2, destinationDeliveryFailures: 1 });
    expect(finding!.recommendation).toMatch(/^3 failed events/);
    expect(evaluateOnFunction(lambdaFailedEventDelivery, aFunction())).toBeUndefined();
  });
});

describe("sqs-consumed-without-dlq", () => {
  it("fails a queue a function reads that has no redrive policy", () => {
    const [finding] = evaluateRule(sqsConsumedWithoutDlq, { queues: [aQueue({ hasRedrivePolicy: false })], functions: [consumer(30)] });
    expect(finding.evidence).toEqual({ redrivePolicy: false, consumers: "orders-consumer" });
  });
  it("passes with a redrive policy, with no consumer, and on dead-letter queues", () => {
    expect(evaluateRule(sqsConsumedWithoutDlq, { queues: [aQueue({ hasRedrivePolicy: true })], functions: [consumer(30)] })).toEqual([]);
    expect(evaluateRule(sqsConsumedWithoutDlq, { queues: [aQueue({ hasRedrivePolicy: false })], functions: [] })).toEqual([]);
    expect(evaluateRule(sqsConsumedWithoutDlq, { queues: [aQueue({ hasRedrivePolicy: false, isDlq: true })], functions: [consumer(30)] })).toEqual([]);
  });
});

describe("sqs-visibility-timeout-short", () => {
  it("wants six times the consumer's timeout", () => {
    const [finding] = evaluateRule(sqsVisibilityTimeoutShort, { queues: [aQueue({ visibilityTimeoutS: 60 })], functions: [consumer(30)] });
    expect(finding.evidence).toEqual({ visibilityTimeoutS: 60, consumer: "orders-consumer", consumerTimeoutS: 30, recommendedS: 180 });
    expect(evaluateRule(sqsVisibilityTimeoutShort, { queues: [aQueue({ visibilityTimeoutS: 180 })], functions: [consumer(30)] })).toEqual([]);
    expect(evaluateRule(sqsVisibilityTimeoutShort, { queues: [aQueue({ visibilityTimeoutS: 5 })], functions: [] })).toEqual([]);
  });
});

describe("apigateway-no-throttling", () => {
  it("names the stages without a rate limit", () => {
    expect(evaluateRule(apiGatewayNoThrottling, { apis: [anApi({ stagesWithoutThrottling: ["$default"] })] })[0].evidence).toEqual({ stages: "$default" });
    expect(evaluateRule(apiGatewayNoThrottling, { apis: [anApi()] })).toEqual([]);
  });
});

describe("lambda-unbounded-concurrency-remote", () => {
  it("fails a function calling non-AWS downstreams without reserved concurrency", () => {
    expect(evaluateOnFunction(lambdaUnboundedConcurrencyToRemote, aFunction({ reservedConcurrency: null }, { remoteCalls: 12 }))?.evidence).toEqual({ remoteCalls: 12, reservedConcurrency: "none" });
    expect(evaluateOnFunction(lambdaUnboundedConcurrencyToRemote, aFunction({ reservedConcurrency: 20 }, { remoteCalls: 12 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaUnboundedConcurrencyToRemote, aFunction({ reservedConcurrency: null }, { remoteCalls: 0 }))).toBeUndefined();
  });
});

describe("dynamodb-pitr-off", () => {
  it("fails a table with point-in-time recovery off and says nothing when it could not be read", () => {
    expect(evaluateRule(dynamodbPointInTimeRecoveryOff, { tables: [aTable({ pointInTimeRecovery: false })] })).toHaveLength(1);
    expect(evaluateRule(dynamodbPointInTimeRecoveryOff, { tables: [aTable({ pointInTimeRecovery: true })] })).toEqual([]);
    expect(evaluateRule(dynamodbPointInTimeRecoveryOff, { tables: [aTable({ pointInTimeRecovery: null })] })).toEqual([]);
  });
});
