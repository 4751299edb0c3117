import type { InsightRule } from "../types";
import { createFinding, describeWindow, formatMs, formatPercent, percent, roundPercent, roundTo } from "./shared";
import { METRICS } from "./requirements";

export const apiGateway5xxRate: InsightRule = {
  id: "apigateway-5xx-rate",
  title: "API returns server errors",
  service: "apigateway",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { warningRatePct: 1, criticalRatePct: 10 },
  thresholdSources: {
    warningRatePct: "Datadog serverless warnings: errors above 1 % (AWS-FACTS.md), applied to 5XXError / Count",
    criticalRatePct: "Datadog serverless warnings: high above 10 % (AWS-FACTS.md)",
  },
  evaluate(ctx, t) {
    return ctx.apis.flatMap((api) => {
      if (api.count === 0) return [];
      const ratePct = percent(api.errors5xx, api.count);
      if (ratePct <= t.warningRatePct) return [];
      return [
        createFinding(
          apiGateway5xxRate,
          api.arn,
          ratePct > t.criticalRatePct ? "critical" : "warning",
          { errors5xx: api.errors5xx, count: api.count, errorRatePct: roundPercent(ratePct), thresholdPct: t.warningRatePct },
          `${formatPercent(ratePct)} of requests to ${api.name} (${api.errors5xx} of ${api.count}) answered 5xx in ` +
            `${describeWindow(api)}. Look at the integrations behind it: a failing or timing-out function shows as 502 ` +
            `or 504, and the integration timeout is 29 s by default.`,
        ),
      ];
    });
  },
};

export const apiGatewayLatency: InsightRule = {
  id: "apigateway-latency",
  title: "Slow API",
  service: "apigateway",
  pillar: "performance",
  question: "PERF1",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { maxP99Ms: 5000 },
  thresholdSources: { maxP99Ms: "Osprey default from the insights issue: p99 latency above 5 s" },
  evaluate(ctx, t) {
    return ctx.apis.flatMap((api) => {
      if (api.p99LatencyMs === null || api.p99LatencyMs <= t.maxP99Ms) return [];
      return [
        createFinding(
          apiGatewayLatency,
          api.arn,
          "warning",
          { p99LatencyMs: roundTo(api.p99LatencyMs, 1), thresholdMs: t.maxP99Ms, count: api.count },
          `p99 latency of ${api.name} is ${formatMs(api.p99LatencyMs)} in ${describeWindow(api)}, above ` +
            `${formatMs(t.maxP99Ms)}. Check the integration latency and the functions behind the slowest routes ` +
            `(cold starts, slow downstream calls).`,
        ),
      ];
    });
  },
};

export const API_GATEWAY_RULES: InsightRule[] = [apiGateway5xxRate, apiGatewayLatency];
