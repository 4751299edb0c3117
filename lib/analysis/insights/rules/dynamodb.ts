import type { InsightRule } from "../types";
import { createFinding, describeWindow } from "./shared";
import { METRICS } from "./requirements";

export const dynamoThrottles: InsightRule = {
  id: "dynamodb-throttles",
  title: "Table throttles requests",
  service: "dynamodb",
  pillar: "reliability",
  question: "REL1",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minThrottledRequests: 1 },
  thresholdSources: { minThrottledRequests: "Osprey default: any throttled request is work retried or lost" },
  evaluate(ctx, t) {
    return ctx.tables
      .filter((table) => table.throttledRequests >= t.minThrottledRequests)
      .map((table) =>
        createFinding(
          dynamoThrottles,
          table.arn,
          "warning",
          { throttledRequests: table.throttledRequests },
          `${table.throttledRequests} requests to ${table.name} were throttled in ${describeWindow(table)}. Raise ` +
            `provisioned capacity or its auto-scaling maximum, or switch to on-demand; if the table has capacity to ` +
            `spare, a hot partition key is concentrating traffic.`,
        ),
      );
  },
};

export const dynamoSystemErrors: InsightRule = {
  id: "dynamodb-system-errors",
  title: "Table returns system errors",
  service: "dynamodb",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minSystemErrors: 1 },
  thresholdSources: { minSystemErrors: "Osprey default: any 500 from DynamoDB is worth knowing" },
  evaluate(ctx, t) {
    return ctx.tables
      .filter((table) => table.systemErrors >= t.minSystemErrors)
      .map((table) =>
        createFinding(
          dynamoSystemErrors,
          table.arn,
          "warning",
          { systemErrors: table.systemErrors },
          `${table.name} answered ${table.systemErrors} requests with an internal server error in ` +
            `${describeWindow(table)}. Make sure callers retry with backoff (the AWS SDK does by default); if errors ` +
            `persist, check the AWS Health Dashboard for the region.`,
        ),
      );
  },
};

export const DYNAMODB_RULES: InsightRule[] = [dynamoThrottles, dynamoSystemErrors];
