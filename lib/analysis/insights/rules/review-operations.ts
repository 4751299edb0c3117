import type { InsightRule } from "../types";
import { API_READ, CONFIG, LOGS, TAGS } from "./requirements";
import { createFinding, eachResource, NO_THRESHOLDS, ownTags, plural, STACK_NAME_TAG } from "./shared";

const DAY_MS = 86_400_000;

export const lambdaTextLogFormat: InsightRule = {
  id: "lambda-text-log-format",
  title: "Logs in plain text",
  service: "lambda",
  pillar: "operational_excellence",
  question: "OPS1",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.logFormat !== "Text"
        ? null
        : createFinding(
            lambdaTextLogFormat,
            config.arn,
            "info",
            { logFormat: "Text" },
            `${config.functionName} writes plain-text logs. With LoggingConfig LogFormat JSON, Lambda writes its ` +
              `own lines as JSON with the request id, log search can filter on fields (level = ERROR), and the ` +
              `application log level can be changed without a deploy.`,
          ),
    );
  },
};

export const lambdaUntagged: InsightRule = {
  id: "lambda-untagged",
  title: "Function without tags",
  service: "lambda",
  pillar: "operational_excellence",
  question: "OPS2",
  requires: [TAGS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      ownTags(config.tags).length > 0
        ? null
        : createFinding(
            lambdaUntagged,
            config.arn,
            "info",
            { tags: 0 },
            `${config.functionName} has no tags of your own, so nobody can tell from it which team, service or ` +
              `environment it belongs to, and cost reports cannot split it out. Tag it (team, service, environment).`,
          ),
    );
  },
};

export const lambdaNotInfrastructureAsCode: InsightRule = {
  id: "lambda-not-infrastructure-as-code",
  title: "Function not deployed by CloudFormation",
  service: "lambda",
  pillar: "operational_excellence",
  question: "OPS2",
  requires: [TAGS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.tags[STACK_NAME_TAG]
        ? null
        : createFinding(
            lambdaNotInfrastructureAsCode,
            config.arn,
            "info",
            { [STACK_NAME_TAG]: "missing" },
            `${config.functionName} has no ${STACK_NAME_TAG} tag: it was not deployed by CloudFormation, SAM, CDK ` +
              `or the Serverless Framework. If no other tool (Terraform) manages it, a change made by hand cannot be ` +
              `reviewed or rolled back; define it in code.`,
          ),
    );
  },
};

export const lambdaUnused: InsightRule = {
  id: "lambda-unused",
  title: "Function not invoked and not changed for months",
  service: "lambda",
  pillar: "operational_excellence",
  question: "OPS2",
  requires: [CONFIG, LOGS],
  // No invocation is its evidence: a function without logs is what it looks for, not one it cannot judge.
  needs: ["config"],
  defaults: { minDaysUnchanged: 90 },
  thresholdSources: { minDaysUnchanged: "Osprey default: a quarter without a deploy" },
  evaluate(ctx, t) {
    return eachResource(ctx.functions, ({ config, stats }) => {
      if (stats && stats.invocations > 0) return null;
      const days = Math.floor((ctx.now.getTime() - config.lastModified.getTime()) / DAY_MS);
      if (config.lastModified.getTime() <= 0 || days < t.minDaysUnchanged) return null;
      return createFinding(
        lambdaUnused,
        config.arn,
        "info",
        { invocations: 0, daysSinceLastChange: days },
        `${config.functionName} ran no invocation in the window and was last changed ${plural(days, "day")} ago. ` +
          `If nothing calls it any more, delete it: an unused function still holds a role, triggers and a runtime ` +
          `that will need upgrading.`,
      );
    });
  },
};

export const apiGatewayNoAccessLogs: InsightRule = {
  id: "apigateway-no-access-logs",
  title: "API stage without access logs",
  service: "apigateway",
  pillar: "operational_excellence",
  question: "OPS1",
  requires: [API_READ],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.apis, (api) =>
      api.stagesWithoutAccessLogs.length === 0
        ? null
        : createFinding(
            apiGatewayNoAccessLogs,
            api.arn,
            "info",
            { stages: api.stagesWithoutAccessLogs.join(", ") },
            `${api.name} keeps no access log on ${api.stagesWithoutAccessLogs.join(", ")}: a request that never ` +
              `reached a function (authorizer denial, throttling, a bad route) leaves no trace. Set access log ` +
              `settings with a JSON format that includes the request id, status and integration latency.`,
          ),
    );
  },
};

export const apiGatewayTracingOff: InsightRule = {
  id: "apigateway-tracing-off",
  title: "REST API stage without X-Ray tracing",
  service: "apigateway",
  pillar: "operational_excellence",
  question: "OPS1",
  requires: [API_READ],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.apis, (api) =>
      api.protocol !== "REST" || api.stagesWithoutTracing.length === 0
        ? null
        : createFinding(
            apiGatewayTracingOff,
            api.arn,
            "info",
            { stages: api.stagesWithoutTracing.join(", ") },
            `Tracing is off on ${api.stagesWithoutTracing.join(", ")} of ${api.name}, so a trace starts at the ` +
              `function and the time spent in API Gateway (authorizer, integration) is not seen. Turn on X-Ray tracing on the stage.`,
          ),
    );
  },
};

export const apiGatewayNotInfrastructureAsCode: InsightRule = {
  id: "apigateway-not-infrastructure-as-code",
  title: "API not deployed by CloudFormation",
  service: "apigateway",
  pillar: "operational_excellence",
  question: "OPS2",
  requires: [API_READ],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.apis, (api) =>
      api.tags[STACK_NAME_TAG]
        ? null
        : createFinding(
            apiGatewayNotInfrastructureAsCode,
            api.arn,
            "info",
            { [STACK_NAME_TAG]: "missing", tags: ownTags(api.tags).length },
            `${api.name} has no ${STACK_NAME_TAG} tag: it was not deployed by CloudFormation, SAM or CDK. Routes, ` +
              `authorizers and throttling changed by hand cannot be reviewed or rolled back; define the API in code.`,
          ),
    );
  },
};

export const REVIEW_OPERATIONS_RULES: InsightRule[] = [
  lambdaTextLogFormat,
  lambdaUntagged,
  lambdaNotInfrastructureAsCode,
  lambdaUnused,
  apiGatewayNoAccessLogs,
  apiGatewayTracingOff,
  apiGatewayNotInfrastructureAsCode,
];
