// What the rules of Kinesis, Step Functions, SNS and EventBridge read (issue 16 item 3): each resource's
// configuration as discovery stored it and its CloudWatch metrics over the insight window.

interface ResourceWindow {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  windowStart: Date;
  windowEnd: Date;
}

export interface KinesisStreamStats extends ResourceWindow {
  retentionHours: number;
  incomingRecords: number;
  writeThrottled: number;
  readThrottled: number;
  /** Highest GetRecords.IteratorAgeMilliseconds per hour across the window, oldest first (hours without data left out). */
  iteratorAgeMs: number[];
}

export interface StateMachineStats extends ResourceWindow {
  started: number;
  failed: number;
  timedOut: number;
  throttled: number;
  /** Failed executions stored for the window, per state they failed in, most first. */
  failedStates: { state: string; error: string | null; count: number }[];
  loggingLevel: string;
}

export interface SnsTopicStats extends ResourceWindow {
  published: number;
  delivered: number;
  failedNotifications: number;
  subscriptions: { protocol: string; endpoint: string | null; dlq: string | null }[];
}

export interface EventRuleStats extends ResourceWindow {
  triggered: number;
  invocations: number;
  failedInvocations: number;
  throttled: number;
  /** null when the targets could not be read */
  targets: { id: string; arn: string; dlq: string | null }[] | null;
}
