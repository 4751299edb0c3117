import type { EventRuleStats, KinesisStreamStats, SnsTopicStats, StateMachineStats } from "../types";
import { DAY, NOW } from "./builders";

const REGION = "us-east-1";
const WINDOW_START = new Date(NOW.getTime() - 7 * DAY);
const ACCOUNT = "123456789012";
const window = { region: REGION, accountId: ACCOUNT, windowStart: WINDOW_START, windowEnd: NOW };

export function aStream(overrides: Partial<KinesisStreamStats> = {}): KinesisStreamStats {
  const name = overrides.name ?? "clickstream";
  return { name, arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`, ...window, retentionHours: 24, incomingRecords: 100_000, writeThrottled: 0, readThrottled: 0, iteratorAgeMs: [500, 700, 400, 600, 500, 800, 450, 650], ...overrides };
}

export function aStateMachine(overrides: Partial<StateMachineStats> = {}): StateMachineStats {
  const name = overrides.name ?? "order-fulfilment";
  return { name, arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`, ...window, started: 1_000, failed: 0, timedOut: 0, throttled: 0, failedStates: [], loggingLevel: "ERROR", ...overrides };
}

export function aTopic(overrides: Partial<SnsTopicStats> = {}): SnsTopicStats {
  const name = overrides.name ?? "order-events";
  return {
    name,
    arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
    ...window,
    published: 5_000,
    delivered: 10_000,
    failedNotifications: 0,
    subscriptions: [{ protocol: "sqs", endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue`, dlq: null }],
    ...overrides,
  };
}

export function anEventRule(overrides: Partial<EventRuleStats> = {}): EventRuleStats {
  const name = overrides.name ?? "order-placed";
  return {
    name,
    arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`,
    ...window,
    triggered: 2_000,
    invocations: 2_000,
    failedInvocations: 0,
    throttled: 0,
    targets: [{ id: "fulfilment", arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-fulfilment`, dlq: null }],
    ...overrides,
  };
}
