import type { InsightContext, InsightRule, LambdaConfig, SqsQueueStats } from "../types";
import { API_READ, BACKUPS, CONCURRENCY, CONFIG, EVENT_SOURCES, METRICS, QUEUE_ATTRIBUTES, TRACES } from "./requirements";
import { createFinding, describeWindow, eachResource, functionsWithStats, NO_THRESHOLDS } from "./shared";

/** The functions an event source mapping feeds from the queue. */
export function consumersOf(ctx: InsightContext, queue: SqsQueueStats): LambdaConfig[] {
  return ctx.functions.map((f) => f.config).filter((c) => c.eventSourceMappings.some((m) => m.eventSourceArn === queue.arn));
}

export const lambdaAsyncEventsDropped: InsightRule = {
  id: "lambda-async-events-dropped",
  title: "Asynchronous events dropped",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["logs", "metrics"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) =>
      stats.asyncEventsDropped <= 0
        ? null
        : createFinding(
            lambdaAsyncEventsDropped,
            config.arn,
            "critical",
            { asyncEventsDropped: stats.asyncEventsDropped, onFailureDestination: config.onFailureDestination ?? "none", deadLetterQueue: config.deadLetterTargetArn ?? "none" },
            `Lambda dropped ${stats.asyncEventsDropped} asynchronous events of ${config.functionName} in ` +
              `${describeWindow(stats)} (AsyncEventsDropped): they failed every retry or grew too old and went ` +
              `nowhere. Add an on-failure destination or dead-letter queue, and raise the maximum event age if they expired.`,
          ),
    );
  },
};

export const lambdaFailedEventDelivery: InsightRule = {
  id: "lambda-failed-event-delivery",
  title: "Failed events could not reach the DLQ or destination",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["logs", "metrics"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) => {
      const failures = stats.deadLetterErrors + stats.destinationDeliveryFailures;
      if (failures <= 0) return null;
      return createFinding(
        lambdaFailedEventDelivery,
        config.arn,
        "critical",
        { deadLetterErrors: stats.deadLetterErrors, destinationDeliveryFailures: stats.destinationDeliveryFailures },
        `${failures} failed events of ${config.functionName} could not be written to its dead-letter queue or ` +
          `on-failure destination in ${describeWindow(stats)} and are lost. Check that the function's role may send ` +
          `to the target (sqs:SendMessage, sns:Publish), that the target exists and that its KMS key allows the role.`,
      );
    });
  },
};

export const sqsConsumedWithoutDlq: InsightRule = {
  id: "sqs-consumed-without-dlq",
  title: "Queue feeding a function has no dead-letter queue",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [QUEUE_ATTRIBUTES, EVENT_SOURCES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.queues, (q) => {
      const consumers = consumersOf(ctx, q);
      if (q.isDlq || q.hasRedrivePolicy || consumers.length === 0) return null;
      return createFinding(
        sqsConsumedWithoutDlq,
        q.arn,
        "warning",
        { redrivePolicy: false, consumers: consumers.map((c) => c.functionName).join(", ") },
        `${q.name} feeds ${consumers.map((c) => c.functionName).join(", ")} but has no redrive policy: a message ` +
          `that always fails is retried until the retention period ends and blocks nothing but costs invocations, ` +
          `then disappears. Add a dead-letter queue (maxReceiveCount 3 to 5) and alert on it.`,
      );
    });
  },
};

export const sqsVisibilityTimeoutShort: InsightRule = {
  id: "sqs-visibility-timeout-short",
  title: "Queue visibility timeout under 6 times the consumer's timeout",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [QUEUE_ATTRIBUTES, EVENT_SOURCES, CONFIG],
  needs: ["config"],
  defaults: { minTimeoutMultiple: 6 },
  thresholdSources: { minTimeoutMultiple: "AWS Lambda developer guide: visibility timeout at least six times the function timeout" },
  evaluate(ctx, t) {
    return eachResource(ctx.queues, (q) => {
      const slowest = consumersOf(ctx, q).sort((a, b) => b.timeoutS - a.timeoutS)[0];
      if (!slowest || q.visibilityTimeoutS >= t.minTimeoutMultiple * slowest.timeoutS) return null;
      return createFinding(
        sqsVisibilityTimeoutShort,
        q.arn,
        "warning",
        { visibilityTimeoutS: q.visibilityTimeoutS, consumer: slowest.functionName, consumerTimeoutS: slowest.timeoutS, recommendedS: t.minTimeoutMultiple * slowest.timeoutS },
        `${q.name} hides a received message for ${q.visibilityTimeoutS} s, but ${slowest.functionName} may run ` +
          `${slowest.timeoutS} s: while Lambda retries a throttled or slow batch, messages reappear and are processed ` +
          `twice. Set the visibility timeout to at least ${t.minTimeoutMultiple * slowest.timeoutS} s.`,
      );
    });
  },
};

export const apiGatewayNoThrottling: InsightRule = {
  id: "apigateway-no-throttling",
  title: "API stage without its own throttling",
  service: "apigateway",
  pillar: "reliability",
  question: "REL1",
  requires: [API_READ],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.apis, (api) =>
      api.stagesWithoutThrottling.length === 0
        ? null
        : createFinding(
            apiGatewayNoThrottling,
            api.arn,
            "warning",
            { stages: api.stagesWithoutThrottling.join(", ") },
            `${api.stagesWithoutThrottling.join(", ")} of ${api.name} set${api.stagesWithoutThrottling.length === 1 ? "s" : ""} ` +
              `no rate or burst limit, so only the account-wide 10,000 requests per second stand between a flood of ` +
              `requests and your functions and their downstreams. Set stage (or route) throttling to what the backend can take.`,
          ),
    );
  },
};

export const lambdaUnboundedConcurrencyToRemote: InsightRule = {
  id: "lambda-unbounded-concurrency-remote",
  title: "Unbounded concurrency in front of a non-serverless downstream",
  service: "lambda",
  pillar: "reliability",
  question: "REL1",
  requires: [CONFIG, CONCURRENCY, ...TRACES],
  needs: ["config", "logs", "traces"],
  defaults: { minRemoteCalls: 1 },
  thresholdSources: { minRemoteCalls: "Osprey default: any traced call to a non-AWS downstream" },
  evaluate(ctx, t) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) =>
      stats.remoteCalls < t.minRemoteCalls || config.reservedConcurrency !== null
        ? null
        : createFinding(
            lambdaUnboundedConcurrencyToRemote,
            config.arn,
            "warning",
            { remoteCalls: stats.remoteCalls, reservedConcurrency: "none" },
            `${config.functionName} calls non-AWS downstreams (${stats.remoteCalls} traced calls in the last day: ` +
              `HTTP APIs, databases) and may scale to the account's whole concurrency, opening as many connections. ` +
              `Reserve a concurrency the downstream can take, or put a queue in between.`,
          ),
    );
  },
};

export const dynamodbPointInTimeRecoveryOff: InsightRule = {
  id: "dynamodb-pitr-off",
  title: "Table without point-in-time recovery",
  service: "dynamodb",
  pillar: "reliability",
  question: "REL2",
  requires: [BACKUPS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.tables, (table) =>
      table.pointInTimeRecovery !== false
        ? null
        : createFinding(
            dynamodbPointInTimeRecoveryOff,
            table.arn,
            "warning",
            { pointInTimeRecovery: false },
            `${table.name} has point-in-time recovery off: a bad deploy or script that overwrites items cannot be ` +
              `undone. Turn it on to restore the table to any second of the last 35 days.`,
          ),
    );
  },
};

export const REVIEW_RELIABILITY_RULES: InsightRule[] = [
  lambdaAsyncEventsDropped,
  lambdaFailedEventDelivery,
  sqsConsumedWithoutDlq,
  sqsVisibilityTimeoutShort,
  apiGatewayNoThrottling,
  lambdaUnboundedConcurrencyToRemote,
  dynamodbPointInTimeRecoveryOff,
];
