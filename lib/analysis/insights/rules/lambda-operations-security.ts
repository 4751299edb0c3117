import { runtimeDeprecation } from "../runtimes";
import type { Finding, InsightRule, LambdaConfig } from "../types";
import { createFinding, describeWindow, plural } from "./shared";
import { CONCURRENCY, CONFIG, LOG_GROUPS, TRACES } from "./requirements";

const DAY_MS = 86_400_000;
const SLS_MENTOR = "sls-mentor (AWS-FACTS.md, thresholds peers publish)";
const OSPREY = "Osprey default";
const MAX_LISTED_FUNCTIONS = 10;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`, rounded up (negative when `to` has passed). */
function daysBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / DAY_MS);
}

export const lambdaDeprecatedRuntime: InsightRule = {
  id: "lambda-deprecated-runtime",
  title: "Deprecated runtime",
  service: "lambda",
  pillar: "security",
  question: "SEC3",
  requires: [CONFIG],
  needs: ["config"],
  defaults: { soonDays: 180 },
  thresholdSources: { soonDays: `${OSPREY}: six months to plan and test the upgrade` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config } of ctx.functions) {
      if (!config.runtime) continue;
      const deprecation = runtimeDeprecation(config.runtime);
      if (!deprecation) continue;
      const daysToDeprecation = daysBetween(ctx.now, deprecation.deprecationDate);
      if (daysToDeprecation > t.soonDays) continue;
      const date = isoDate(deprecation.deprecationDate);
      const blockDate = isoDate(deprecation.blockUpdateDate);
      const updatesBlocked = ctx.now.getTime() >= deprecation.blockUpdateDate.getTime();
      const deprecated = daysToDeprecation <= 0;
      const upgrade = deprecation.successor
        ? `Upgrade to ${deprecation.successor} and test it before switching.`
        : "Upgrade to a supported runtime.";
      const block = `${deprecation.blockUpdateEstimated ? "about " : ""}${blockDate}` +
        (deprecation.blockUpdateEstimated ? " (AWS blocks updates at least 60 days after deprecation)" : "");
      const when = deprecated ? `deprecated ${plural(-daysToDeprecation, "day")} ago` : `deprecated in ${plural(daysToDeprecation, "day")}`;
      const text = updatesBlocked
        ? `${config.runtime} was ${when} (${date}) and since ${block} AWS blocks updates to functions on it: a fix to ` +
          `${config.functionName} cannot be deployed until it moves to a supported runtime. ${upgrade}`
        : deprecated
          ? `${config.runtime} was ${when} (${date}): it no longer gets security patches, and from ${block} AWS blocks ` +
            `updates to functions on it. ${upgrade}`
          : `${config.runtime} will be ${when} (${date}): security patches stop then, and AWS blocks updates to ` +
            `functions on it from ${block}. ${upgrade}`;
      findings.push(
        createFinding(
          lambdaDeprecatedRuntime,
          config.arn,
          updatesBlocked ? "critical" : "warning",
          {
            runtime: config.runtime,
            deprecationDate: date,
            ...(deprecated ? { deprecatedDaysAgo: -daysToDeprecation } : { daysUntilDeprecation: daysToDeprecation }),
            updatesBlockedFrom: blockDate,
            updatesBlocked,
            ...(deprecation.successor ? { suggestedRuntime: deprecation.successor } : {}),
          },
          text,
        ),
      );
    }
    return findings;
  },
};

export const lambdaTracingOff: InsightRule = {
  id: "lambda-tracing-off",
  title: "X-Ray tracing off on a function that calls other services",
  service: "lambda",
  pillar: "operational_excellence",
  question: "OPS1",
  requires: [CONFIG, ...TRACES],
  needs: ["config", "traces"],
  defaults: { minDownstreamCalls: 1 },
  thresholdSources: { minDownstreamCalls: `${OSPREY}: any call to another service is worth seeing in a trace` },
  evaluate(ctx, t) {
    return ctx.functions
      .filter(({ config, stats }) => config.tracingMode !== "Active" && (stats?.downstreamCalls ?? 0) >= t.minDownstreamCalls)
      .map(({ config, stats }) =>
        createFinding(
          lambdaTracingOff,
          config.arn,
          "info",
          { tracingMode: config.tracingMode, downstreamCalls: stats?.downstreamCalls ?? 0 },
          `${config.functionName} called other services ${stats?.downstreamCalls ?? 0} times in the traces of ` +
            `${stats ? describeWindow(stats) : "the window"}, but only when a caller sampled the request: its own ` +
            `tracing is ${config.tracingMode}. Set tracing to Active to see in every sampled invocation what it waited on.`,
        ),
      );
  },
};

export const lambdaLogRetentionUnset: InsightRule = {
  id: "lambda-log-retention-unset",
  title: "Log group keeps logs forever",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [LOG_GROUPS],
  needs: ["config"],
  defaults: {},
  thresholdSources: {},
  evaluate(ctx) {
    return ctx.functions
      .filter(({ config }) => config.logRetentionDays === null)
      .map(({ config }) =>
        createFinding(
          lambdaLogRetentionUnset,
          config.arn,
          "info",
          { logGroup: config.logGroup, retention: "never expire" },
          `${config.logGroup} never expires its events, so its storage bill only grows. Set a retention period that ` +
            `matches how far back you debug (30 days is common) and export what audits need to S3.`,
        ),
      );
  },
};

export const lambdaSharedRole: InsightRule = {
  id: "lambda-shared-role",
  title: "IAM role shared by several functions",
  service: "lambda",
  pillar: "security",
  question: "SEC2",
  requires: [CONFIG],
  needs: ["config"],
  defaults: { maxFunctionsPerRole: 1 },
  thresholdSources: { maxFunctionsPerRole: `${SLS_MENTOR}: no role shared between functions` },
  evaluate(ctx, t) {
    const byRole = new Map<string, LambdaConfig[]>();
    for (const { config } of ctx.functions) {
      if (!config.role) continue;
      byRole.set(config.role, [...(byRole.get(config.role) ?? []), config]);
    }
    const findings: Finding[] = [];
    for (const [role, configs] of byRole) {
      if (configs.length <= t.maxFunctionsPerRole) continue;
      for (const config of configs) {
        const others = configs.filter((c) => c.arn !== config.arn).map((c) => c.functionName).sort();
        const listed = others.slice(0, MAX_LISTED_FUNCTIONS).join(", ");
        const more = others.length > MAX_LISTED_FUNCTIONS ? ` and ${others.length - MAX_LISTED_FUNCTIONS} more` : "";
        findings.push(
          createFinding(
            lambdaSharedRole,
            config.arn,
            "info",
            { role, sharedWithCount: others.length, sharedWith: listed + more },
            `${config.functionName} shares its role ${role} with ${others.length} other function` +
              `${others.length === 1 ? "" : "s"} (${listed}${more}), so each holds the permissions all of them need. ` +
              `Give it a role of its own with only the actions and resources it uses.`,
          ),
        );
      }
    }
    return findings;
  },
};

export const lambdaReservedConcurrencyZero: InsightRule = {
  id: "lambda-reserved-concurrency-zero",
  title: "Function disabled by a reserved concurrency of 0",
  service: "lambda",
  pillar: "reliability",
  question: "REL1",
  requires: [CONCURRENCY],
  needs: ["config"],
  defaults: {},
  thresholdSources: {},
  evaluate(ctx) {
    return ctx.functions
      .filter(({ config }) => config.reservedConcurrency === 0)
      .map(({ config, stats }) => {
        const throttles = stats?.throttles ?? 0;
        return createFinding(
          lambdaReservedConcurrencyZero,
          config.arn,
          throttles > 0 ? "critical" : "warning",
          { reservedConcurrency: 0, throttles },
          `Reserved concurrency is 0, so every invocation of ${config.functionName} is throttled` +
            `${throttles > 0 ? ` (${throttles} in the window)` : ""}. If that is not a deliberate kill switch, remove the ` +
            `reservation or set it to the concurrency the function needs.`,
        );
      });
  },
};

export const LAMBDA_OPERATIONS_SECURITY_RULES: InsightRule[] = [
  lambdaDeprecatedRuntime,
  lambdaTracingOff,
  lambdaLogRetentionUnset,
  lambdaSharedRole,
  lambdaReservedConcurrencyZero,
];
