import { formatMb } from "@/lib/util/units";
import { coldStartRate } from "../../metrics";
import { MAX_MEMORY_MB, MEMORY_HEADROOM, memoryWithHeadroomMB } from "../memory";
import {
  computeCostUsd,
  LAMBDA_USD_PER_GB_SECOND,
  logIngestionCostUsd,
  BYTES_PER_GB,
  perDay,
  perMonth,
  PRICED_REGION,
} from "../prices";
import { rightSize, type RightSizingInput } from "../../right-sizing";
import type { Finding, FunctionWindowStats, InsightRule, LambdaConfig } from "../types";
import { CONFIG, LOGS } from "./requirements";
import {
  createFinding,
  coveredSpanMs,
  coveredWindow,
  describeWindow,
  formatMs,
  formatPercent,
  formatUsd,
  functionsWithStats,
  percent,
  roundPercent,
  roundTo,
  windowHours,
} from "./shared";

const DATADOG = "Datadog serverless warnings (AWS-FACTS.md, thresholds peers publish)";
const SERVERLESS_FRAMEWORK = "Serverless Framework dashboard (AWS-FACTS.md, thresholds peers publish)";
const OSPREY = "Osprey default";
const MB = 1024 * 1024;

export const lambdaMemoryOverProvisioned: InsightRule = {
  id: "lambda-memory-over-provisioned",
  title: "Memory over-provisioned",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [LOGS],
  needs: ["config", "logs"],
  defaults: { maxUsedPct: 30, minWindowHours: 6, minInvocations: 100 },
  thresholdSources: {
    maxUsedPct: `${OSPREY}, between Datadog's 10 % and the Serverless Framework's 80 % of allocated (AWS-FACTS.md)`,
    minWindowHours: `${OSPREY}: hours of data (at most the 7-day window) before the peak is judged; the card names them. The ${SERVERLESS_FRAMEWORK} judges on 7 days (168)`,
    minInvocations: `${OSPREY}: too few invocations say little about the heaviest request`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats, traces } of functionsWithStats(ctx)) {
      if (stats.maxMemoryUsedMB === null || stats.invocations < t.minInvocations) continue;
      const covered = coveredWindow(stats);
      if (windowHours(covered) < t.minWindowHours) continue;
      const usedPct = percent(stats.maxMemoryUsedMB, config.memorySizeMB);
      if (usedPct >= t.maxUsedPct) continue;
      // The cost page's right-sizing table asks the same engine: one answer for one function.
      const advice = rightSize({ ...rightSizingInputOf(config, stats), ownCodeShare: traces?.ownCodeShare ?? null });
      if (!advice || advice.action !== "cut") continue;
      const targetMB = advice.recommendedMemoryMB;
      const saving = advice.monthlySavingUsd;
      findings.push(
        createFinding(
          lambdaMemoryOverProvisioned,
          config.arn,
          "info",
          {
            maxMemoryUsedMB: stats.maxMemoryUsedMB,
            memorySizeMB: config.memorySizeMB,
            maxUsedPct: roundPercent(usedPct),
            recommendedMemoryMB: targetMB,
            monthlyCostUsd: roundTo(advice.currentMonthlyCostUsd, 2),
            monthlyCostAtRecommendedUsd: roundTo(advice.recommendedMonthlyCostUsd, 2),
            monthlySavingUsd: roundTo(saving, 2),
            monthlyBasis: advice.basis,
            invocations: stats.invocations,
          },
          `In ${describeWindow(covered)} ${config.functionName} used at most ${formatMb(stats.maxMemoryUsedMB)} of its ` +
            `${formatMb(config.memorySizeMB)} (${formatPercent(usedPct)}). Set memory to ${formatMb(targetMB)} (the highest use plus ` +
            `${Math.round((MEMORY_HEADROOM - 1) * 100)}%, rounded up to 64 MB) to save about ${formatUsd(saving)} a month ` +
            `(${advice.basis})` +
            (advice.ownCodeShare === null
              ? `, assuming duration stays the same. Lambda gives CPU in proportion to memory, so a CPU-bound function may run ` +
                `longer at the smaller size: compare its duration after the change.`
              : `. Lambda gives CPU in proportion to memory: the estimate lets its own code run slower at the smaller size.`),
          saving,
        ),
      );
    }
    return findings;
  },
};

/** What the right-sizing engine needs, from a function's configuration and window stats. */
export function rightSizingInputOf(config: LambdaConfig, stats: FunctionWindowStats): RightSizingInput {
  return {
    memorySizeMB: config.memorySizeMB,
    maxMemoryUsedMB: stats.maxMemoryUsedMB,
    timeoutS: config.timeoutS,
    invocations: stats.invocations,
    timeouts: stats.timeouts,
    outOfMemory: stats.outOfMemory,
    p99Ms: stats.p99Ms,
    billedMs: stats.billedMs,
    // Over the hours with data: a new account's rate is its own, not diluted over a week it was not read.
    windowMs: coveredSpanMs(stats),
    architecture: config.architecture,
    region: config.region,
  };
}

export const lambdaMemoryUnderProvisioned: InsightRule = {
  id: "lambda-memory-under-provisioned",
  title: "Memory nearly exhausted",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [LOGS],
  needs: ["config", "logs"],
  defaults: { maxUsedPct: 95 },
  thresholdSources: { maxUsedPct: `${DATADOG}: memory above 95 % on any invocation` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (stats.maxMemoryRatio === null) continue;
      const usedPct = stats.maxMemoryRatio * 100;
      if (usedPct <= t.maxUsedPct) continue;
      const usedMB = Math.max(stats.maxMemoryUsedMB ?? 0, stats.maxMemoryRatio * config.memorySizeMB);
      const targetMB = memoryWithHeadroomMB(usedMB);
      const advice =
        config.memorySizeMB >= MAX_MEMORY_MB
          ? `It already has the maximum ${formatMb(MAX_MEMORY_MB)}: reduce what one invocation holds in memory.`
          : `Raise memory from ${formatMb(config.memorySizeMB)} to ${formatMb(targetMB)}. GB-seconds cost ` +
            `${formatPercent(percent(targetMB - config.memorySizeMB, config.memorySizeMB))} more at the same duration, ` +
            `but the extra CPU that comes with memory often shortens it.`;
      findings.push(
        createFinding(
          lambdaMemoryUnderProvisioned,
          config.arn,
          "warning",
          {
            maxMemoryUsedPct: roundPercent(usedPct),
            maxMemoryUsedMB: roundTo(usedMB, 0),
            memorySizeMB: config.memorySizeMB,
            recommendedMemoryMB: targetMB,
            outOfMemory: stats.outOfMemory,
          },
          `An invocation used ${formatPercent(usedPct)} of the ${formatMb(config.memorySizeMB)} in ${describeWindow(stats)}: ` +
            `one heavier request away from running out of memory. ${advice}`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaColdStartRate: InsightRule = {
  id: "lambda-cold-start-rate",
  title: "Frequent cold starts on a user-facing function",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [LOGS],
  needs: ["config", "logs"],
  defaults: { maxRatePct: 1, minInvocations: 100 },
  thresholdSources: {
    maxRatePct: `${DATADOG}: cold starts above 1 %`,
    minInvocations: `${OSPREY}: on a rarely called function every call after an idle spell is cold, and warm capacity would sit unused`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (!config.userFacing || stats.invocations < t.minInvocations) continue;
      const ratePct = (coldStartRate(stats) ?? 0) * 100;
      if (ratePct <= t.maxRatePct) continue;
      const isJava = config.runtime?.startsWith("java") ?? false;
      const advice =
        isJava && !config.snapStart
          ? `Turn on SnapStart (no extra charge on Java): it restores a snapshot of the initialised environment instead of running init.`
          : config.provisionedConcurrency
            ? `Its provisioned concurrency of ${config.provisionedConcurrency} is not enough at peak: raise it, or schedule it for busy hours.`
            : `Configure provisioned concurrency for the usual concurrency at busy hours, and trim init (smaller package, lazy imports).`;
      findings.push(
        createFinding(
          lambdaColdStartRate,
          config.arn,
          "warning",
          {
            coldStarts: stats.coldStarts,
            invocations: stats.invocations,
            coldStartRatePct: roundPercent(ratePct),
            thresholdPct: t.maxRatePct,
            runtime: config.runtime ?? "image",
            snapStart: config.snapStart,
            provisionedConcurrency: config.provisionedConcurrency ?? 0,
          },
          `${formatPercent(ratePct)} of invocations (${stats.coldStarts} of ${stats.invocations}) started cold in ` +
            `${describeWindow(stats)}, and users wait for each one. ${advice}`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaDurationRegression: InsightRule = {
  id: "lambda-duration-regression",
  title: "Duration doubled",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { ratio: 2, minIncreaseMs: 50 },
  thresholdSources: {
    ratio: `${SERVERLESS_FRAMEWORK}: unusual duration above 2x the median`,
    minIncreaseMs: `${OSPREY}: a 5 ms function taking 11 ms is not worth a card`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      const recent = stats.medianDurationRecentMs;
      const baseline = stats.medianDuration7dMs;
      if (recent === null || baseline === null || baseline <= 0) continue;
      if (recent <= baseline * t.ratio || recent - baseline < t.minIncreaseMs) continue;
      const ratio = recent / baseline;
      findings.push(
        createFinding(
          lambdaDurationRegression,
          config.arn,
          "warning",
          {
            medianDurationRecentMs: roundTo(recent, 1),
            medianDuration7dMs: roundTo(baseline, 1),
            ratio: roundTo(ratio, 2),
            thresholdRatio: t.ratio,
          },
          `The median duration of the last hour is ${formatMs(recent)}, ${roundTo(ratio, 1)}x the 7-day median of ` +
            `${formatMs(baseline)}. Compare a slow invocation's trace with an older one to find the call that slowed ` +
            `down, and check recent deployments (last modified ${config.lastModified.toISOString()}).`,
        ),
      );
    }
    return findings;
  },
};

const ARM64_PRICE_RATIO = LAMBDA_USD_PER_GB_SECOND.arm64 / LAMBDA_USD_PER_GB_SECOND.x86_64;

export const lambdaArm64Saving: InsightRule = {
  id: "lambda-arm64-saving",
  title: "Cheaper on arm64",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [CONFIG, LOGS],
  needs: ["config", "logs"],
  defaults: { minMonthlySavingUsd: 1 },
  thresholdSources: { minMonthlySavingUsd: `${OSPREY}: below a dollar a month the move is not worth a card` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      if (config.architecture !== "x86_64") continue;
      const covered = coveredWindow(stats);
      const monthlyGbSeconds = perMonth(stats.gbSeconds, covered.windowStart, covered.windowEnd);
      if (monthlyGbSeconds === null) continue;
      const monthlyCompute = computeCostUsd(monthlyGbSeconds, "x86_64");
      const saving = monthlyCompute * (1 - ARM64_PRICE_RATIO);
      if (saving < t.minMonthlySavingUsd) continue;
      const caveat =
        config.packageType === "Image"
          ? "The image has to be rebuilt for arm64, and"
          : "This assumes the code and its layers carry no x86-only native binaries (rebuild those for arm64), and";
      findings.push(
        createFinding(
          lambdaArm64Saving,
          config.arn,
          "info",
          {
            architecture: config.architecture,
            monthlyComputeUsd: roundTo(monthlyCompute, 2),
            monthlySavingUsd: roundTo(saving, 2),
            savingPct: roundPercent((1 - ARM64_PRICE_RATIO) * 100),
            packageType: config.packageType,
            pricedAs: PRICED_REGION,
          },
          `${config.functionName} runs on x86_64 for about ${formatUsd(monthlyCompute)} of compute a month. arm64 ` +
            `(Graviton) costs ${formatPercent((1 - ARM64_PRICE_RATIO) * 100)} less per GB-second, about ` +
            `${formatUsd(saving)} a month (${PRICED_REGION} prices). ${caveat} that duration stays the same on arm64: ` +
            `measure it after the switch.`,
          saving,
        ),
      );
    }
    return findings;
  },
};

export const lambdaTimeoutAtMaximum: InsightRule = {
  id: "lambda-timeout-at-maximum",
  title: "Timeout set to the maximum",
  service: "lambda",
  pillar: "reliability",
  question: "REL2",
  requires: [CONFIG],
  needs: ["config"],
  defaults: { timeoutS: 900 },
  thresholdSources: { timeoutS: "Lambda's maximum timeout, 900 s; sls-mentor: not the maximum timeout (AWS-FACTS.md)" },
  evaluate(ctx, t) {
    return ctx.functions
      .filter(({ config }) => config.timeoutS >= t.timeoutS)
      .map(({ config, stats }) => {
        const p99 = stats?.p99Ms ?? null;
        const suggestedS = p99 !== null ? Math.max(3, Math.ceil((p99 * 3) / 1000)) : null;
        const suggestion =
          p99 === null || suggestedS === null
            ? ""
            : suggestedS < config.timeoutS
              ? ` Its p99 is ${formatMs(p99)}: a timeout of about ${suggestedS} s (3x the p99) would still leave room.`
              : ` Its p99 of ${formatMs(p99)} needs nearly all of it: split the work (batches, Step Functions) so a run fits with room to spare.`;
        return createFinding(
          lambdaTimeoutAtMaximum,
          config.arn,
          "info",
          { timeoutS: config.timeoutS, ...(p99 !== null ? { p99Ms: roundTo(p99, 1) } : {}) },
          `The timeout is ${config.timeoutS} s, Lambda's maximum: a hung invocation is billed for 15 minutes and its ` +
            `caller waits that long before it learns of the failure. Set the timeout a little above the longest expected ` +
            `run.${suggestion}`,
        );
      });
  },
};

export const lambdaLargePackage: InsightRule = {
  id: "lambda-large-package",
  title: "Large deployment package",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [CONFIG],
  needs: ["config"],
  defaults: { zipMB: 10, warningZipMB: 50 },
  thresholdSources: {
    zipMB: `${OSPREY}: packages above 10 MB zipped lengthen cold starts noticeably`,
    warningZipMB: "Lambda's 50 MB limit for a zip uploaded directly (AWS Lambda quotas)",
  },
  evaluate(ctx, t) {
    // The API reports the zipped size; an image's size is not comparable, so images are left out.
    return ctx.functions
      .filter(({ config }) => config.packageType === "Zip" && config.codeSizeBytes / MB > t.zipMB)
      .map(({ config }) => {
        const sizeMB = roundTo(config.codeSizeBytes / MB, 1);
        return createFinding(
          lambdaLargePackage,
          config.arn,
          sizeMB > t.warningZipMB ? "warning" : "info",
          { codeSizeMB: sizeMB, thresholdMB: sizeMB > t.warningZipMB ? t.warningZipMB : t.zipMB },
          `The deployment package is ${sizeMB} MB zipped. Every cold start downloads and loads it: bundle and ` +
            `tree-shake the code, leave dev dependencies and the AWS SDK the runtime already has out of it, and move ` +
            `large shared libraries to a layer.`,
        );
      });
  },
};

export const lambdaLogCost: InsightRule = {
  id: "lambda-log-cost",
  title: "Logs cost more than they should",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [LOGS],
  needs: ["logs"],
  defaults: { maxPctOfCompute: 50, minMonthlyLogCostUsd: 1 },
  thresholdSources: {
    maxPctOfCompute: `${OSPREY}: log ingestion above half the function's own cost`,
    minMonthlyLogCostUsd: `${OSPREY}: below a dollar a month not worth a card`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      const logCost = logIngestionCostUsd(stats.logBytes);
      const { windowStart, windowEnd } = coveredWindow(stats);
      const monthlyLog = perMonth(logCost, windowStart, windowEnd);
      const monthlyLambda = perMonth(stats.costUsd, windowStart, windowEnd);
      if (monthlyLog === null || monthlyLambda === null || monthlyLog < t.minMonthlyLogCostUsd) continue;
      if (monthlyLog <= (monthlyLambda * t.maxPctOfCompute) / 100) continue;
      const dailyLog = perDay(logCost, windowStart, windowEnd) ?? 0;
      const dailyLambda = perDay(stats.costUsd, windowStart, windowEnd) ?? 0;
      const saving = monthlyLog - (monthlyLambda * t.maxPctOfCompute) / 100;
      const levelAdvice =
        config.logFormat === "JSON"
          ? "Raise the application log level (the function's logging config takes WARN or ERROR without a code change)"
          : "Lower the log level in production (switching the log format to JSON lets you set the level in the function's configuration)";
      findings.push(
        createFinding(
          lambdaLogCost,
          config.arn,
          "warning",
          {
            logGBPerDay: roundTo((perDay(stats.logBytes, windowStart, windowEnd) ?? 0) / BYTES_PER_GB, 3),
            logCostPerDayUsd: roundTo(dailyLog, 2),
            lambdaCostPerDayUsd: roundTo(dailyLambda, 2),
            logPctOfLambdaCost: monthlyLambda > 0 ? roundPercent(percent(monthlyLog, monthlyLambda)) : "no compute cost",
            monthlySavingUsd: roundTo(saving, 2),
            pricedAs: PRICED_REGION,
          },
          `CloudWatch Logs ingestion for ${config.functionName} costs about ${formatUsd(dailyLog)} a day against ` +
            `${formatUsd(dailyLambda)} a day for the function itself. ${levelAdvice}, and stop logging whole ` +
            `requests and responses. Bringing logs down to ${t.maxPctOfCompute}% of the function's cost saves about ` +
            `${formatUsd(saving)} a month (${PRICED_REGION} prices).`,
          saving,
        ),
      );
    }
    return findings;
  },
};

export const LAMBDA_PERFORMANCE_COST_RULES: InsightRule[] = [
  lambdaMemoryOverProvisioned,
  lambdaMemoryUnderProvisioned,
  lambdaColdStartRate,
  lambdaDurationRegression,
  lambdaArm64Saving,
  lambdaTimeoutAtMaximum,
  lambdaLargePackage,
  lambdaLogCost,
];
