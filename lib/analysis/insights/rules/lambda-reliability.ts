import { formatMb } from "@/lib/util/units";
import { errorRate, failedInvocations, ratio } from "../../metrics";
import { memoryWithHeadroomMB, MAX_MEMORY_MB } from "../memory";
import type { Finding, InsightRule } from "../types";
import { CONFIG, INVOKE_CONFIG, LOGS, METRICS } from "./requirements";
import {
  createFinding,
  describeWindow,
  formatMs,
  formatPercent,
  functionsWithStats,
  percent,
  plural,
  roundPercent,
  roundTo,
} from "./shared";

const DATADOG = "Datadog serverless warnings (AWS-FACTS.md, thresholds peers publish)";
const SERVERLESS_FRAMEWORK = "Serverless Framework dashboard (AWS-FACTS.md, thresholds peers publish)";
const OSPREY = "Osprey default";

export const lambdaTimeouts: InsightRule = {
  id: "lambda-timeouts",
  title: "Invocations time out",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { minTimeouts: 1, criticalRatePct: 10 },
  thresholdSources: {
    minTimeouts: `${DATADOG}: any timeout`,
    criticalRatePct: `${DATADOG}: high error rate above 10 %`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.timeouts < t.minTimeouts) continue;
      const ratePct = (ratio(stats.timeouts, stats.invocations) ?? 0) * 100;
      findings.push(
        createFinding(
          lambdaTimeouts,
          config.arn,
          ratePct > t.criticalRatePct ? "critical" : "warning",
          {
            timeouts: stats.timeouts,
            invocations: stats.invocations,
            timeoutRatePct: roundPercent(ratePct),
            timeoutS: config.timeoutS,
            ...(stats.p99Ms !== null ? { p99Ms: roundTo(stats.p99Ms, 1) } : {}),
          },
          `${plural(stats.timeouts, "invocation")} of ${stats.invocations} (${formatPercent(ratePct)}) ran into the ` +
            `${config.timeoutS} s timeout in ${describeWindow(stats)}. Open a timed-out invocation and its trace to see what it ` +
            `waited on; give calls to other services their own timeouts, shorter than the function's, and raise the ` +
            `timeout only if the work really takes longer.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaOutOfMemory: InsightRule = {
  id: "lambda-out-of-memory",
  title: "Invocations run out of memory",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [LOGS],
  needs: ["config", "logs"],
  defaults: { minOutOfMemory: 1, criticalRatePct: 10 },
  thresholdSources: {
    minOutOfMemory: `${DATADOG}: any out-of-memory`,
    criticalRatePct: `${DATADOG}: high error rate above 10 %`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.outOfMemory < t.minOutOfMemory) continue;
      const ratePct = (ratio(stats.outOfMemory, stats.invocations) ?? 0) * 100;
      const suggestedMB = memoryWithHeadroomMB(Math.max(config.memorySizeMB, stats.maxMemoryUsedMB ?? 0));
      const raise =
        config.memorySizeMB >= MAX_MEMORY_MB
          ? `It already has the maximum ${formatMb(MAX_MEMORY_MB)}: reduce what one invocation holds in memory (stream large payloads, process in batches).`
          : `Raise memory from ${formatMb(config.memorySizeMB)} to ${formatMb(suggestedMB)}, and check for data held across invocations (a leak shows as memory climbing on a warm environment).`;
      findings.push(
        createFinding(
          lambdaOutOfMemory,
          config.arn,
          ratePct > t.criticalRatePct ? "critical" : "warning",
          {
            outOfMemory: stats.outOfMemory,
            invocations: stats.invocations,
            outOfMemoryRatePct: roundPercent(ratePct),
            memorySizeMB: config.memorySizeMB,
            suggestedMemoryMB: suggestedMB,
          },
          `${plural(stats.outOfMemory, "invocation")} of ${stats.invocations} ran out of memory in ${describeWindow(stats)}. ${raise}`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaErrorRate: InsightRule = {
  id: "lambda-error-rate",
  title: "High error rate",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { warningRatePct: 1, criticalRatePct: 10 },
  thresholdSources: {
    warningRatePct: `${DATADOG}: errors above 1 %`,
    criticalRatePct: `${DATADOG}: high above 10 %`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      const rate = errorRate(stats);
      if (rate === null) continue;
      const ratePct = rate * 100;
      if (ratePct <= t.warningRatePct) continue;
      const failed = failedInvocations(stats);
      const critical = ratePct > t.criticalRatePct;
      findings.push(
        createFinding(
          lambdaErrorRate,
          config.arn,
          critical ? "critical" : "warning",
          {
            failed,
            invocations: stats.invocations,
            errorRatePct: roundPercent(ratePct),
            thresholdPct: critical ? t.criticalRatePct : t.warningRatePct,
            errors: stats.errors,
            timeouts: stats.timeouts,
            outOfMemory: stats.outOfMemory,
            crashes: stats.crashes,
          },
          `${formatPercent(ratePct)} of invocations failed (${failed} of ${stats.invocations}) in ${describeWindow(stats)}, ` +
            `above the ${critical ? t.criticalRatePct : t.warningRatePct}% threshold: ${plural(stats.errors, "error")}, ` +
            `${plural(stats.timeouts, "timeout")}, ${stats.outOfMemory} out of memory and ${stats.crashes} crashed. ` +
            `Start with the largest error group on the function's Errors tab.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaDurationNearTimeout: InsightRule = {
  id: "lambda-duration-near-timeout",
  title: "Duration close to the timeout",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [CONFIG, LOGS],
  needs: ["config", "logs"],
  defaults: { pctOfTimeout: 90 },
  thresholdSources: { pctOfTimeout: `${SERVERLESS_FRAMEWORK}: approaching timeout above 90 % (Datadog uses 95 %)` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.p99Ms === null) continue;
      const timeoutMs = config.timeoutS * 1000;
      const pctOfTimeout = percent(stats.p99Ms, timeoutMs);
      if (pctOfTimeout <= t.pctOfTimeout) continue;
      findings.push(
        createFinding(
          lambdaDurationNearTimeout,
          config.arn,
          "warning",
          { p99Ms: roundTo(stats.p99Ms, 1), timeoutMs, p99PctOfTimeout: roundPercent(pctOfTimeout), thresholdPct: t.pctOfTimeout },
          `p99 duration is ${formatMs(stats.p99Ms)}, ${formatPercent(pctOfTimeout)} of the ${config.timeoutS} s timeout: ` +
            `the slowest invocations are about to time out. Find what the slow ones wait on in their traces, or raise the ` +
            `timeout with room above the p99.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaThrottles: InsightRule = {
  id: "lambda-throttles",
  title: "Invocations are throttled",
  service: "lambda",
  pillar: "reliability",
  question: "REL1",
  requires: [METRICS],
  needs: ["logs", "metrics"],
  defaults: { minThrottles: 1, criticalRatePct: 10 },
  thresholdSources: {
    minThrottles: `${OSPREY}: any throttle is a rejected request`,
    criticalRatePct: `${DATADOG}: throttles above 10 %`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.throttles < t.minThrottles) continue;
      const ratePct = percent(stats.throttles, stats.invocations + stats.throttles);
      const limit =
        config.reservedConcurrency !== null
          ? `Its reserved concurrency of ${config.reservedConcurrency} caps it: raise it if the downstream can take more.`
          : `It has no reserved concurrency, so the account's concurrency limit was reached: reserve concurrency for this function or request a higher account limit.`;
      findings.push(
        createFinding(
          lambdaThrottles,
          config.arn,
          ratePct > t.criticalRatePct ? "critical" : "warning",
          {
            throttles: stats.throttles,
            invocations: stats.invocations,
            throttleRatePct: roundPercent(ratePct),
            reservedConcurrency: config.reservedConcurrency ?? "none",
          },
          `${plural(stats.throttles, "request")} (${formatPercent(ratePct)} of attempts) were throttled in ${describeWindow(stats)}. ${limit}`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaAsyncWithoutFailureDestination: InsightRule = {
  id: "lambda-async-without-failure-destination",
  title: "Async function without a dead-letter queue or on-failure destination",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [INVOKE_CONFIG],
  needs: ["config"],
  defaults: {},
  thresholdSources: {},
  evaluate(ctx) {
    return ctx.functions
      .filter(({ config }) => config.invokedAsync && !config.deadLetterTargetArn && !config.onFailureDestination)
      .map(({ config }) =>
        createFinding(
          lambdaAsyncWithoutFailureDestination,
          config.arn,
          "warning",
          { invokedAsync: true, deadLetterQueue: false, onFailureDestination: false },
          `${config.functionName} is invoked asynchronously but has neither a dead-letter queue nor an on-failure ` +
            `destination: an event that still fails after Lambda's two retries is dropped without a trace. Add an ` +
            `on-failure destination (SQS, SNS, EventBridge or another function) to keep the event and its error.`,
        ),
      );
  },
};

export const lambdaIteratorAge: InsightRule = {
  id: "lambda-iterator-age",
  title: "Stream consumer falls behind",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["logs", "metrics"],
  defaults: { maxIteratorAgeMs: 2 * 3_600_000 },
  thresholdSources: { maxIteratorAgeMs: `${DATADOG}: iterator age above 2 h` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.maxIteratorAgeMs === null || stats.maxIteratorAgeMs <= t.maxIteratorAgeMs) continue;
      const hours = roundTo(stats.maxIteratorAgeMs / 3_600_000, 1);
      findings.push(
        createFinding(
          lambdaIteratorAge,
          config.arn,
          "warning",
          { maxIteratorAgeMs: stats.maxIteratorAgeMs, maxIteratorAgeHours: hours, thresholdMs: t.maxIteratorAgeMs },
          `The oldest record waiting for ${config.functionName} was ${hours} h old: the function reads its stream slower ` +
            `than records arrive, and records older than the stream's retention (24 h by default) are lost. Raise the ` +
            `batch size or the parallelization factor, or fix the failing batch that blocks the shard.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaNewErrorType: InsightRule = {
  id: "lambda-new-error-type",
  title: "New error type",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { lookbackHours: 48, baselineHours: 24 },
  thresholdSources: {
    lookbackHours: `${SERVERLESS_FRAMEWORK}: new error types in the last 48 h`,
    baselineHours: `${OSPREY}: the first full day of a function's data is its baseline; nothing in it is new`,
  },
  evaluate(ctx, t) {
    const since = ctx.now.getTime() - t.lookbackHours * 3_600_000;
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.dataSince === null) continue;
      // Error types already raised while the baseline was being gathered are what the function always raises.
      const baselineEnd = stats.dataSince.getTime() + t.baselineHours * 3_600_000;
      if (ctx.now.getTime() < baselineEnd) continue;
      const fresh = stats.errorTypes
        .filter((e) => e.firstSeen.getTime() >= since && e.firstSeen.getTime() >= baselineEnd)
        .sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
      if (fresh.length === 0) continue;
      const types = fresh.map((e) => e.type).join(", ");
      findings.push(
        createFinding(
          lambdaNewErrorType,
          config.arn,
          "warning",
          {
            newErrorTypes: types,
            count: fresh.length,
            firstSeen: fresh[0].firstSeen.toISOString(),
            lookbackHours: t.lookbackHours,
          },
          `${config.functionName} raised ${fresh.length === 1 ? "an error type" : `${fresh.length} error types`} it had not ` +
            `raised before, first at ${fresh[0].firstSeen.toISOString()}: ${types}. Check what was deployed around then ` +
            `(last modified ${config.lastModified.toISOString()}).`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaInvocationSpike: InsightRule = {
  id: "lambda-invocation-spike",
  title: "Invocation spike",
  service: "lambda",
  pillar: "reliability",
  question: "REL1",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { pctOfBusiest5Min: 125, minInvocations: 10 },
  thresholdSources: {
    pctOfBusiest5Min: `${SERVERLESS_FRAMEWORK}: last 5 min above 125 % of the busiest 5 min in 48 h`,
    minInvocations: `${OSPREY}: a handful of calls after a quiet spell is not a spike`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.last5MinInvocations < t.minInvocations) continue;
      const limit = (stats.busiest5MinInvocations48h * t.pctOfBusiest5Min) / 100;
      if (stats.last5MinInvocations <= limit) continue;
      const pctOfBusiest = percent(stats.last5MinInvocations, stats.busiest5MinInvocations48h);
      findings.push(
        createFinding(
          lambdaInvocationSpike,
          config.arn,
          "warning",
          {
            last5MinInvocations: stats.last5MinInvocations,
            busiest5MinInvocations48h: stats.busiest5MinInvocations48h,
            ...(stats.busiest5MinInvocations48h > 0 ? { pctOfBusiest: roundPercent(pctOfBusiest) } : {}),
            thresholdPct: t.pctOfBusiest5Min,
          },
          `${stats.last5MinInvocations} invocations in the last 5 minutes against at most ` +
            `${stats.busiest5MinInvocations48h} in any 5 minutes of the previous 48 h. Check the caller (a retry loop, a ` +
            `backlog being drained, a traffic surge) and that concurrency and downstream capacity can take it.`,
        ),
      );
    }
    return findings;
  },
};

export const LAMBDA_RELIABILITY_RULES: InsightRule[] = [
  lambdaTimeouts,
  lambdaOutOfMemory,
  lambdaErrorRate,
  lambdaDurationNearTimeout,
  lambdaThrottles,
  lambdaAsyncWithoutFailureDestination,
  lambdaIteratorAge,
  lambdaNewErrorType,
  lambdaInvocationSpike,
];
