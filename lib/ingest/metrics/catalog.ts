import type { ResourceKind } from "../../resource-kinds";

export type MetricResourceKind = ResourceKind;

/**
 * One catalog entry per resource kind, plus HTTP APIs: they are resources of kind apigateway, but
 * AWS publishes their metrics under ApiId and other names than those of REST APIs.
 */
export type MetricCatalogKey = MetricResourceKind | "apigatewayHttp";

export interface MetricSpec {
  metric: string;
  stats: readonly string[];
  /**
   * The name the points are stored under when it is not `metric`: charts and insight rules read
   * one name per measure, whichever API Gateway flavour published it.
   */
  storeAs?: string;
  /**
   * AWS publishes the metric only per value of this extra dimension, never for the resource as a
   * whole: one query per value is sent and their points are added up.
   */
  perDimension?: { name: string; values: readonly string[] };
  /**
   * A presence metric: a resource with no datapoint above zero in any of its presence metrics over a
   * window has no data in its other metrics either, so those are not asked for (GetMetricData bills every
   * metric asked for, answered or empty). For a Lambda function: no invocation and no throttle in the
   * window means no duration, concurrency, iterator age, async event or DLQ datapoint.
   */
  presence?: true;
}

export interface ServiceMetrics {
  namespace: string;
  dimension: string;
  metrics: readonly MetricSpec[];
}

// The Operation values DynamoDB publishes ThrottledRequests and SystemErrors under.
const DYNAMODB_OPERATIONS = [
  "GetItem",
  "BatchGetItem",
  "Scan",
  "Query",
  "GetRecords",
  "PutItem",
  "DeleteItem",
  "UpdateItem",
  "BatchWriteItem",
  "TransactWriteItems",
  "TransactGetItems",
  "ExecuteTransaction",
  "BatchExecuteStatement",
  "ExecuteStatement",
] as const;

const SUM = ["Sum"] as const;
const MAX = ["Maximum"] as const;

/** What the metrics job reads per resource kind (../shared/AWS-FACTS.md, "CloudWatch metrics worth reading"). */
export const METRIC_CATALOG: Readonly<Record<MetricCatalogKey, ServiceMetrics>> = {
  lambda: {
    namespace: "AWS/Lambda",
    dimension: "FunctionName",
    metrics: [
      { metric: "Invocations", stats: SUM, presence: true },
      { metric: "Errors", stats: SUM },
      { metric: "Throttles", stats: SUM, presence: true },
      { metric: "Duration", stats: ["Average", "p50", "p95", "p99", "Maximum"] },
      { metric: "ConcurrentExecutions", stats: MAX },
      { metric: "IteratorAge", stats: MAX },
      { metric: "DeadLetterErrors", stats: SUM },
      { metric: "DestinationDeliveryFailures", stats: SUM },
      { metric: "AsyncEventsReceived", stats: SUM },
      { metric: "AsyncEventAge", stats: MAX },
      { metric: "AsyncEventsDropped", stats: SUM },
      { metric: "ProvisionedConcurrencyInvocations", stats: SUM },
      { metric: "ProvisionedConcurrencySpilloverInvocations", stats: SUM },
      { metric: "PostRuntimeExtensionsDuration", stats: ["Average"] },
    ],
  },
  sqs: {
    namespace: "AWS/SQS",
    dimension: "QueueName",
    metrics: [
      { metric: "ApproximateNumberOfMessagesVisible", stats: MAX },
      { metric: "ApproximateNumberOfMessagesNotVisible", stats: MAX },
      { metric: "ApproximateAgeOfOldestMessage", stats: MAX },
      { metric: "NumberOfMessagesSent", stats: SUM },
      { metric: "NumberOfMessagesReceived", stats: SUM },
      { metric: "NumberOfMessagesDeleted", stats: SUM },
    ],
  },
  // REST APIs.
  apigateway: {
    namespace: "AWS/ApiGateway",
    dimension: "ApiName",
    metrics: [
      { metric: "Count", stats: SUM },
      { metric: "4XXError", stats: SUM },
      { metric: "5XXError", stats: SUM },
      { metric: "Latency", stats: ["Average", "p99"] },
      { metric: "IntegrationLatency", stats: ["Average"] },
    ],
  },
  // HTTP APIs (API Gateway v2): AWS docs, apigateway/latest/developerguide/http-api-metrics.
  apigatewayHttp: {
    namespace: "AWS/ApiGateway",
    dimension: "ApiId",
    metrics: [
      { metric: "Count", stats: SUM },
      { metric: "4xx", stats: SUM, storeAs: "4XXError" },
      { metric: "5xx", stats: SUM, storeAs: "5XXError" },
      { metric: "Latency", stats: ["Average", "p99"] },
      { metric: "IntegrationLatency", stats: ["Average"] },
      { metric: "DataProcessed", stats: SUM },
    ],
  },
  // UserErrors is left out: DynamoDB publishes it per account and region, with no TableName.
  dynamodb: {
    namespace: "AWS/DynamoDB",
    dimension: "TableName",
    metrics: [
      { metric: "ThrottledRequests", stats: SUM, perDimension: { name: "Operation", values: DYNAMODB_OPERATIONS } },
      { metric: "ReadThrottleEvents", stats: SUM },
      { metric: "WriteThrottleEvents", stats: SUM },
      { metric: "ConsumedReadCapacityUnits", stats: SUM },
      { metric: "ConsumedWriteCapacityUnits", stats: SUM },
      { metric: "SystemErrors", stats: SUM, perDimension: { name: "Operation", values: DYNAMODB_OPERATIONS } },
    ],
  },
  // Kinesis Data Streams publishes stream-level metrics under StreamName; iterator age is the stream's
  // consumers falling behind, the provisioned-throughput ones are shard limits hit.
  kinesis: {
    namespace: "AWS/Kinesis",
    dimension: "StreamName",
    metrics: [
      { metric: "IncomingRecords", stats: SUM },
      { metric: "IncomingBytes", stats: SUM },
      { metric: "GetRecords.IteratorAgeMilliseconds", stats: MAX },
      { metric: "WriteProvisionedThroughputExceeded", stats: SUM },
      { metric: "ReadProvisionedThroughputExceeded", stats: SUM },
    ],
  },
  firehose: {
    namespace: "AWS/Firehose",
    dimension: "DeliveryStreamName",
    metrics: [
      { metric: "IncomingRecords", stats: SUM },
      { metric: "DeliveryToS3.Records", stats: SUM },
      { metric: "DeliveryToS3.Success", stats: ["Average"] },
      { metric: "DeliveryToS3.DataFreshness", stats: MAX },
      { metric: "ThrottledRecords", stats: SUM },
    ],
  },
  // AWS/States names a state machine by its ARN, not its name (metricResourceOf passes the ARN).
  stepfunctions: {
    namespace: "AWS/States",
    dimension: "StateMachineArn",
    metrics: [
      { metric: "ExecutionsStarted", stats: SUM },
      { metric: "ExecutionsSucceeded", stats: SUM },
      { metric: "ExecutionsFailed", stats: SUM },
      { metric: "ExecutionsTimedOut", stats: SUM },
      { metric: "ExecutionsAborted", stats: SUM },
      { metric: "ExecutionThrottled", stats: SUM },
      { metric: "ExecutionTime", stats: ["Average", "p99"] },
    ],
  },
  sns: {
    namespace: "AWS/SNS",
    dimension: "TopicName",
    metrics: [
      { metric: "NumberOfMessagesPublished", stats: SUM },
      { metric: "NumberOfNotificationsDelivered", stats: SUM },
      { metric: "NumberOfNotificationsFailed", stats: SUM },
    ],
  },
  // Rules of the default event bus publish under RuleName alone; those of a custom bus also carry
  // EventBusName, which this catalog does not add (a known gap).
  eventbridge: {
    namespace: "AWS/Events",
    dimension: "RuleName",
    metrics: [
      { metric: "TriggeredRules", stats: SUM },
      { metric: "Invocations", stats: SUM },
      { metric: "FailedInvocations", stats: SUM },
      { metric: "ThrottledRules", stats: SUM },
    ],
  },
};
