import { lambdaPriceFor } from "@/lib/analysis/prices";
import { COLORS } from "../charts/colors";
import type { ChartSpec } from "./metric-chart";

const DAY = 86_400_000;

export function lambdaCharts(region: string, spanMs: number): ChartSpec[] {
  const perRequest = lambdaPriceFor(region).usdPerRequest;
  const daily = spanMs >= 2 * DAY;
  return [
    {
      title: "Invocations, failed and throttles",
      unit: "count",
      testId: "chart-invocations",
      requests: [{ metrics: ["invocations", "errors", "throttles"] }],
      series: [
        { key: "invocations", label: "Invocations", color: COLORS.blue, type: "area" },
        { key: "errors", label: "Failed", color: COLORS.red, type: "bar" },
        { key: "throttles", label: "Throttles", color: COLORS.amber, type: "bar" },
      ],
    },
    {
      title: "Duration",
      unit: "ms",
      testId: "chart-duration",
      requests: [{ metrics: ["duration:p50", "duration:p95", "duration:p99"], keys: ["p50", "p95", "p99"] }],
      series: [
        { key: "p50", label: "p50", color: COLORS.blue },
        { key: "p95", label: "p95", color: COLORS.violet },
        { key: "p99", label: "p99", color: COLORS.pink, dashed: true },
      ],
    },
    {
      title: "Memory used against memory size",
      unit: "mb",
      subtitle: "MB",
      testId: "chart-memory",
      requests: [{ metrics: ["memory", "memory_size"] }],
      series: [
        { key: "memory", label: "Max memory used", color: COLORS.teal, type: "area" },
        { key: "memory_size", label: "Memory size", color: COLORS.zinc, dashed: true },
      ],
    },
    {
      title: "Cold starts",
      unit: "count",
      rightUnit: "ratio",
      testId: "chart-cold-starts",
      requests: [{ metrics: ["cold_starts", "cold_start_rate"] }],
      series: [
        { key: "cold_starts", label: "Cold starts", color: COLORS.sky, type: "bar" },
        { key: "cold_start_rate", label: "Cold-start rate", color: COLORS.orange, right: true, unit: "ratio" },
      ],
    },
    {
      title: "Concurrency",
      unit: "count",
      testId: "chart-concurrency",
      requests: [{ metrics: ["concurrency", "concurrency_avg"] }],
      series: [
        { key: "concurrency", label: "Max concurrent (CloudWatch)", color: COLORS.violet },
        { key: "concurrency_avg", label: "Average (from durations)", color: COLORS.blue, type: "area" },
      ],
    },
    {
      title: daily ? "Cost per day" : "Cost per hour",
      unit: "usd",
      testId: "chart-cost",
      period: daily ? 86_400 : 3_600,
      requests: [{ metrics: ["invocations", "cost"] }],
      derive: (rows) =>
        rows.map((r) => {
          const requests = (r.invocations ?? 0) * perRequest;
          return { ...r, requests, compute: Math.max(0, (r.cost ?? 0) - requests) };
        }),
      series: [
        { key: "compute", label: "Compute (GB-s)", color: COLORS.emerald, type: "bar", stack: "cost" },
        { key: "requests", label: "Requests", color: COLORS.lime, type: "bar", stack: "cost" },
      ],
    },
  ];
}

export function cloudwatchCharts(kind: string): ChartSpec[] {
  switch (kind) {
    case "sqs":
      return [
        {
          title: "Messages",
          unit: "count",
          requests: [{ metrics: ["NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"], stat: "Sum" }],
          series: [
            { key: "NumberOfMessagesSent", label: "Sent", color: COLORS.blue, type: "area" },
            { key: "NumberOfMessagesReceived", label: "Received", color: COLORS.violet },
            { key: "NumberOfMessagesDeleted", label: "Deleted", color: COLORS.emerald, dashed: true },
          ],
        },
        {
          title: "Backlog",
          unit: "count",
          requests: [{ metrics: ["ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible"], stat: "Maximum" }],
          series: [
            { key: "ApproximateNumberOfMessagesVisible", label: "Visible", color: COLORS.amber, type: "area" },
            { key: "ApproximateNumberOfMessagesNotVisible", label: "In flight", color: COLORS.sky },
          ],
        },
        {
          title: "Age of oldest message",
          unit: "ms",
          requests: [{ metrics: ["ApproximateAgeOfOldestMessage"], stat: "Maximum" }],
          derive: (rows) => rows.map((r) => ({ ...r, age: r.ApproximateAgeOfOldestMessage == null ? null : r.ApproximateAgeOfOldestMessage * 1000 })),
          series: [{ key: "age", label: "Oldest message", color: COLORS.red }],
        },
      ];
    case "apigateway":
      return [
        {
          title: "Requests and errors",
          unit: "count",
          requests: [{ metrics: ["Count", "4XXError", "5XXError"], stat: "Sum" }],
          series: [
            { key: "Count", label: "Requests", color: COLORS.blue, type: "area" },
            { key: "4XXError", label: "4xx", color: COLORS.amber, type: "bar" },
            { key: "5XXError", label: "5xx", color: COLORS.red, type: "bar" },
          ],
        },
        {
          title: "Latency",
          unit: "ms",
          requests: [
            { metrics: ["Latency", "IntegrationLatency"], stat: "Average", keys: ["latencyAvg", "integrationAvg"] },
            { metrics: ["Latency"], stat: "p99", keys: ["latencyP99"] },
          ],
          series: [
            { key: "latencyAvg", label: "Latency avg", color: COLORS.blue },
            { key: "latencyP99", label: "Latency p99", color: COLORS.pink, dashed: true },
            { key: "integrationAvg", label: "Integration avg", color: COLORS.violet },
          ],
        },
      ];
    case "dynamodb":
      return [
        {
          title: "Consumed capacity",
          unit: "count",
          requests: [{ metrics: ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"], stat: "Sum" }],
          series: [
            { key: "ConsumedReadCapacityUnits", label: "Read units", color: COLORS.blue, type: "area" },
            { key: "ConsumedWriteCapacityUnits", label: "Write units", color: COLORS.violet, type: "area" },
          ],
        },
        {
          title: "Throttles and system errors",
          unit: "count",
          requests: [{ metrics: ["ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors"], stat: "Sum" }],
          series: [
            { key: "ThrottledRequests", label: "Throttled requests", color: COLORS.amber, type: "bar" },
            { key: "ReadThrottleEvents", label: "Read throttles", color: COLORS.orange },
            { key: "WriteThrottleEvents", label: "Write throttles", color: COLORS.pink },
            { key: "SystemErrors", label: "System errors", color: COLORS.red, type: "bar" },
          ],
        },
      ];
    case "kinesis":
      return [
        {
          title: "Records in",
          unit: "count",
          testId: "chart-kinesis-records",
          requests: [{ metrics: ["IncomingRecords"], stat: "Sum" }],
          series: [{ key: "IncomingRecords", label: "Incoming records", color: COLORS.blue, type: "area" }],
        },
        {
          title: "Iterator age",
          subtitle: "how far behind consumers are",
          unit: "ms",
          testId: "chart-kinesis-iterator-age",
          // A dotted name would read as a nested path in the chart: keyed as iteratorAge.
          requests: [{ metrics: ["GetRecords.IteratorAgeMilliseconds"], stat: "Maximum", keys: ["iteratorAge"] }],
          series: [{ key: "iteratorAge", label: "Iterator age (max)", color: COLORS.red }],
        },
        {
          title: "Throttled reads and writes",
          unit: "count",
          requests: [{ metrics: ["WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded"], stat: "Sum" }],
          series: [
            { key: "WriteProvisionedThroughputExceeded", label: "Write throttles", color: COLORS.amber, type: "bar" },
            { key: "ReadProvisionedThroughputExceeded", label: "Read throttles", color: COLORS.orange, type: "bar" },
          ],
        },
      ];
    case "firehose":
      return [
        {
          title: "Records in and delivered to S3",
          unit: "count",
          testId: "chart-firehose-records",
          requests: [
            { metrics: ["IncomingRecords", "ThrottledRecords"], stat: "Sum" },
            { metrics: ["DeliveryToS3.Records"], stat: "Sum", keys: ["deliveredS3"] },
          ],
          series: [
            { key: "IncomingRecords", label: "Incoming", color: COLORS.blue, type: "area" },
            { key: "deliveredS3", label: "Delivered to S3", color: COLORS.emerald },
            { key: "ThrottledRecords", label: "Throttled", color: COLORS.amber, type: "bar" },
          ],
        },
        {
          title: "Delivery freshness",
          subtitle: "age of the oldest undelivered record",
          unit: "ms",
          requests: [{ metrics: ["DeliveryToS3.DataFreshness"], stat: "Maximum", keys: ["freshnessS"] }],
          derive: (rows) => rows.map((r) => ({ ...r, freshness: r.freshnessS == null ? null : r.freshnessS * 1000 })),
          series: [{ key: "freshness", label: "Data freshness", color: COLORS.violet }],
        },
      ];
    case "stepfunctions":
      return [
        {
          title: "Executions",
          unit: "count",
          testId: "chart-sfn-executions",
          requests: [{ metrics: ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"], stat: "Sum" }],
          series: [
            { key: "ExecutionsStarted", label: "Started", color: COLORS.blue, type: "area" },
            { key: "ExecutionsSucceeded", label: "Succeeded", color: COLORS.emerald },
            { key: "ExecutionsFailed", label: "Failed", color: COLORS.red, type: "bar" },
            { key: "ExecutionsTimedOut", label: "Timed out", color: COLORS.orange, type: "bar" },
            { key: "ExecutionThrottled", label: "Throttled", color: COLORS.amber, type: "bar" },
          ],
        },
        {
          title: "Execution time",
          unit: "ms",
          requests: [
            { metrics: ["ExecutionTime"], stat: "Average", keys: ["timeAvg"] },
            { metrics: ["ExecutionTime"], stat: "p99", keys: ["timeP99"] },
          ],
          series: [
            { key: "timeAvg", label: "Average", color: COLORS.blue },
            { key: "timeP99", label: "p99", color: COLORS.pink, dashed: true },
          ],
        },
      ];
    case "sns":
      return [
        {
          title: "Published, delivered and failed",
          unit: "count",
          testId: "chart-sns-notifications",
          requests: [{ metrics: ["NumberOfMessagesPublished", "NumberOfNotificationsDelivered", "NumberOfNotificationsFailed"], stat: "Sum" }],
          series: [
            { key: "NumberOfMessagesPublished", label: "Published", color: COLORS.blue, type: "area" },
            { key: "NumberOfNotificationsDelivered", label: "Delivered", color: COLORS.emerald },
            { key: "NumberOfNotificationsFailed", label: "Failed", color: COLORS.red, type: "bar" },
          ],
        },
      ];
    case "eventbridge":
      return [
        {
          title: "Invocations, failed and throttled",
          unit: "count",
          testId: "chart-events-invocations",
          requests: [{ metrics: ["TriggeredRules", "Invocations", "FailedInvocations", "ThrottledRules"], stat: "Sum" }],
          series: [
            { key: "Invocations", label: "Invocations", color: COLORS.blue, type: "area" },
            { key: "TriggeredRules", label: "Triggered", color: COLORS.violet },
            { key: "FailedInvocations", label: "Failed", color: COLORS.red, type: "bar" },
            { key: "ThrottledRules", label: "Throttled", color: COLORS.amber, type: "bar" },
          ],
        },
      ];
    default:
      return [];
  }
}
