import type { ResourceKind } from "./resource-kinds";

/**
 * The metric columns of each non-function tab of the resource list: one definition the API computes
 * (lib/db/queries/resource-metrics.ts) and the list shows (components/functions). Each reads one stored
 * CloudWatch metric over the range, or a ratio of two of them.
 */
export interface KindColumn {
  key: string;
  label: string;
  title: string;
  unit: "count" | "ratio" | "ms";
  /** metric and stat as stored in metric_points, and how the range's points combine */
  metric?: { name: string; stat: string; agg: "sum" | "max" | "avg" };
  /** numerator and denominator column keys (metric columns of the same kind, hidden or not) */
  ratio?: [string, string];
  /** computed by the API, not shown: the parts of a ratio */
  hidden?: true;
  /** the value is the queue's DLQ's (its redrive policy's target), not the queue's own */
  ofDlq?: true;
  /** the stored value is in seconds; shown in ms units */
  seconds?: true;
}

const sum = (name: string) => ({ name, stat: "Sum", agg: "sum" as const });
const max = (name: string, stat = "Maximum") => ({ name, stat, agg: "max" as const });

export const KIND_COLUMNS: Readonly<Partial<Record<ResourceKind, readonly KindColumn[]>>> = {
  sqs: [
    { key: "depth", label: "Depth", title: "Most messages visible at once (ApproximateNumberOfMessagesVisible, maximum)", unit: "count", metric: max("ApproximateNumberOfMessagesVisible") },
    { key: "oldestAge", label: "Oldest message", title: "Age of the oldest message, at its highest (ApproximateAgeOfOldestMessage)", unit: "ms", metric: max("ApproximateAgeOfOldestMessage"), seconds: true },
    { key: "dlqDepth", label: "DLQ", title: "Most messages visible at once in the queue's dead-letter queue", unit: "count", metric: max("ApproximateNumberOfMessagesVisible"), ofDlq: true },
    { key: "sent", label: "Sent", title: "Messages sent (NumberOfMessagesSent)", unit: "count", metric: sum("NumberOfMessagesSent") },
  ],
  apigateway: [
    { key: "requests", label: "Requests", title: "Requests (Count)", unit: "count", metric: sum("Count") },
    { key: "errors5xx", label: "5xx", title: "Server errors (5XXError)", unit: "count", metric: sum("5XXError"), hidden: true },
    { key: "rate5xx", label: "5xx rate", title: "5xx / requests", unit: "ratio", ratio: ["errors5xx", "requests"] },
    { key: "p99", label: "p99 latency", title: "Highest p99 latency of any period in the range", unit: "ms", metric: max("Latency", "p99") },
  ],
  dynamodb: [
    { key: "throttles", label: "Throttles", title: "Throttled requests (ThrottledRequests)", unit: "count", metric: sum("ThrottledRequests") },
    { key: "systemErrors", label: "System errors", title: "Requests answered with a 500 (SystemErrors)", unit: "count", metric: sum("SystemErrors") },
    { key: "readUnits", label: "Read units", title: "Consumed read capacity units", unit: "count", metric: sum("ConsumedReadCapacityUnits") },
    { key: "writeUnits", label: "Write units", title: "Consumed write capacity units", unit: "count", metric: sum("ConsumedWriteCapacityUnits") },
  ],
  kinesis: [
    { key: "incoming", label: "Records in", title: "Records put (IncomingRecords)", unit: "count", metric: sum("IncomingRecords") },
    { key: "iteratorAge", label: "Iterator age", title: "How far behind consumers were at most (GetRecords.IteratorAgeMilliseconds)", unit: "ms", metric: max("GetRecords.IteratorAgeMilliseconds") },
    { key: "writeThrottled", label: "Write throttles", title: "WriteProvisionedThroughputExceeded", unit: "count", metric: sum("WriteProvisionedThroughputExceeded") },
    { key: "readThrottled", label: "Read throttles", title: "ReadProvisionedThroughputExceeded", unit: "count", metric: sum("ReadProvisionedThroughputExceeded") },
  ],
  firehose: [
    { key: "incoming", label: "Records in", title: "IncomingRecords", unit: "count", metric: sum("IncomingRecords") },
    { key: "delivered", label: "Delivered to S3", title: "DeliveryToS3.Records", unit: "count", metric: sum("DeliveryToS3.Records") },
    { key: "throttled", label: "Throttled", title: "ThrottledRecords", unit: "count", metric: sum("ThrottledRecords") },
  ],
  stepfunctions: [
    { key: "started", label: "Started", title: "ExecutionsStarted", unit: "count", metric: sum("ExecutionsStarted") },
    { key: "failed", label: "Failed", title: "ExecutionsFailed", unit: "count", metric: sum("ExecutionsFailed") },
    { key: "failedRate", label: "Failed rate", title: "Failed / started", unit: "ratio", ratio: ["failed", "started"] },
    { key: "timedOut", label: "Timed out", title: "ExecutionsTimedOut", unit: "count", metric: sum("ExecutionsTimedOut") },
    { key: "throttled", label: "Throttled", title: "ExecutionThrottled", unit: "count", metric: sum("ExecutionThrottled") },
  ],
  sns: [
    { key: "published", label: "Published", title: "NumberOfMessagesPublished", unit: "count", metric: sum("NumberOfMessagesPublished") },
    { key: "delivered", label: "Delivered", title: "NumberOfNotificationsDelivered", unit: "count", metric: sum("NumberOfNotificationsDelivered") },
    { key: "failed", label: "Failed", title: "NumberOfNotificationsFailed", unit: "count", metric: sum("NumberOfNotificationsFailed") },
  ],
  eventbridge: [
    { key: "triggered", label: "Triggered", title: "TriggeredRules", unit: "count", metric: sum("TriggeredRules") },
    { key: "invocations", label: "Invocations", title: "Invocations", unit: "count", metric: sum("Invocations") },
    { key: "failed", label: "Failed", title: "FailedInvocations", unit: "count", metric: sum("FailedInvocations") },
    { key: "throttled", label: "Throttled", title: "ThrottledRules", unit: "count", metric: sum("ThrottledRules") },
  ],
};
