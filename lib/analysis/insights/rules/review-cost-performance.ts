import type { InsightRule } from "../types";
import { CONFIG, EVENT_SOURCES, LOGS, METRICS, PROVISIONED, QUEUE_ATTRIBUTES, TABLE } from "./requirements";
import { consumersOf } from "./review-reliability";
import { coveredWindow, createFinding, describeWindow, eachResource, formatPercent, functionsWithStats, NO_THRESHOLDS, percent, roundPercent, tableUtilisation, windowHours } from "./shared";

const VERBOSE_LEVELS = new Set(["DEBUG", "TRACE"]);

export const lambdaVerboseLogLevel: InsightRule = {
  id: "lambda-verbose-log-level",
  title: "Debug logging left on",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      !config.applicationLogLevel || !VERBOSE_LEVELS.has(config.applicationLogLevel)
        ? null
        : createFinding(
            lambdaVerboseLogLevel,
            config.arn,
            "info",
            { applicationLogLevel: config.applicationLogLevel },
            `${config.functionName} logs at ${config.applicationLogLevel}: every debug line is ingested and stored by ` +
              `CloudWatch Logs at $0.50 per GB. Set the application log level to INFO or WARN and raise it while debugging.`,
          ),
    );
  },
};

export const sqsShortPolling: InsightRule = {
  id: "sqs-short-polling",
  title: "Queue read with short polling",
  service: "sqs",
  pillar: "cost",
  question: "COST1",
  requires: [QUEUE_ATTRIBUTES, EVENT_SOURCES, METRICS],
  needs: ["config", "metrics"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    // Lambda's event source mapping long-polls whatever the queue says: only other consumers pay for short polls.
    return eachResource(ctx.queues, (q) =>
      q.receiveWaitTimeS > 0 || q.received === 0 || consumersOf(ctx, q).length > 0
        ? null
        : createFinding(
            sqsShortPolling,
            q.arn,
            "info",
            { receiveWaitTimeS: 0, received: q.received },
            `${q.name} answers receives at once (ReceiveMessageWaitTimeSeconds 0), so a consumer polling an empty ` +
              `queue pays for every empty receive. Set it to 20 s: long polling waits for messages and cuts empty receives.`,
          ),
    );
  },
};

export const lambdaProvisionedConcurrencyUnderused: InsightRule = {
  id: "lambda-provisioned-concurrency-underused",
  title: "Provisioned concurrency mostly idle",
  service: "lambda",
  pillar: "cost",
  question: "COST1",
  requires: [PROVISIONED, METRICS, LOGS],
  needs: ["config", "logs", "metrics"],
  defaults: { minUtilisationPct: 60 },
  thresholdSources: { minUtilisationPct: "AWS: provisioned concurrency pays off above about 60 % utilisation" },
  evaluate(ctx, t) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) => {
      const pc = config.provisionedConcurrency;
      if (!pc || stats.invocations === 0) return null;
      // Busy environment-time over paid environment-time: provisioned invocations × their mean billed duration.
      const meanMs = stats.billedMs / stats.invocations;
      const busyMs = stats.provisionedConcurrencyInvocations * meanMs;
      // Paid time over the hours with data: before them Osprey saw no invocations, not idle environments.
      const covered = coveredWindow(stats);
      const utilisationPct = percent(busyMs, pc * windowHours(covered) * 3_600_000);
      if (utilisationPct >= t.minUtilisationPct) return null;
      return createFinding(
        lambdaProvisionedConcurrencyUnderused,
        config.arn,
        "warning",
        { provisionedConcurrency: pc, utilisationPct: roundPercent(utilisationPct), thresholdPct: t.minUtilisationPct },
        `The ${pc} provisioned environments of ${config.functionName} were busy ${formatPercent(utilisationPct)} of ` +
          `${describeWindow(covered)}: you pay for them all the time. Lower the provisioned concurrency, schedule it ` +
          `for busy hours with Application Auto Scaling, or drop it if cold starts are acceptable.`,
      );
    });
  },
};

export const dynamodbProvisionedUnderused: InsightRule = {
  id: "dynamodb-provisioned-underused",
  title: "Provisioned table capacity mostly unused",
  service: "dynamodb",
  pillar: "cost",
  question: "COST1",
  requires: [TABLE, METRICS],
  needs: ["config", "metrics"],
  defaults: { minUtilisationPct: 20 },
  thresholdSources: { minUtilisationPct: "Osprey default: under a fifth of provisioned capacity, on-demand usually costs less" },
  evaluate(ctx, t) {
    return eachResource(ctx.tables, (table) => {
      if (table.billingMode !== "PROVISIONED" || !table.readCapacityUnits || !table.writeCapacityUnits) return null;
      const used = tableUtilisation(table);
      if (!used) return null;
      const { readPct, writePct } = used;
      if (Math.max(readPct, writePct) >= t.minUtilisationPct) return null;
      return createFinding(
        dynamodbProvisionedUnderused,
        table.arn,
        "info",
        { readCapacityUnits: table.readCapacityUnits, writeCapacityUnits: table.writeCapacityUnits, readUtilisationPct: roundPercent(readPct), writeUtilisationPct: roundPercent(writePct) },
        `${table.name} used ${formatPercent(readPct)} of its ${table.readCapacityUnits} read and ${formatPercent(writePct)} ` +
          `of its ${table.writeCapacityUnits} write capacity units in ${describeWindow(coveredWindow(table))}. Lower the capacity, ` +
          `turn on auto scaling, or switch to on-demand.`,
      );
    });
  },
};

export const lambdaDefaultMemory: InsightRule = {
  id: "lambda-default-memory",
  title: "Memory left at the 128 MB default",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.memorySizeMB !== 128
        ? null
        : createFinding(
            lambdaDefaultMemory,
            config.arn,
            "info",
            { memorySizeMB: 128 },
            `${config.functionName} runs with the 128 MB default, which also gives it the smallest share of a CPU. ` +
              `Unless it was measured to be enough, try more memory: CPU-bound code often runs faster for the same cost.`,
          ),
    );
  },
};

export const lambdaProvisionedConcurrencySpillover: InsightRule = {
  id: "lambda-provisioned-concurrency-spillover",
  title: "Invocations spilled over provisioned concurrency",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [PROVISIONED, METRICS],
  needs: ["config", "logs", "metrics"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) =>
      stats.provisionedConcurrencySpilloverInvocations <= 0
        ? null
        : createFinding(
            lambdaProvisionedConcurrencySpillover,
            config.arn,
            "warning",
            { spilloverInvocations: stats.provisionedConcurrencySpilloverInvocations, provisionedConcurrency: config.provisionedConcurrency ?? 0 },
            `${stats.provisionedConcurrencySpilloverInvocations} invocations of ${config.functionName} found every ` +
              `provisioned environment busy in ${describeWindow(stats)} and ran on on-demand ones, with cold starts. ` +
              `Raise the provisioned concurrency for the peak, or scale it with Application Auto Scaling.`,
          ),
    );
  },
};

export const lambdaJavaWithoutSnapStart: InsightRule = {
  id: "lambda-java-without-snapstart",
  title: "Java function with cold starts and no SnapStart",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [CONFIG, LOGS],
  needs: ["config", "logs"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(functionsWithStats(ctx), ({ config, stats }) =>
      !config.runtime?.startsWith("java") || config.snapStart || stats.coldStarts === 0
        ? null
        : createFinding(
            lambdaJavaWithoutSnapStart,
            config.arn,
            "info",
            { runtime: config.runtime, coldStarts: stats.coldStarts, snapStart: false },
            `${config.functionName} (${config.runtime}) had ${stats.coldStarts} cold starts in ${describeWindow(stats)} ` +
              `without SnapStart. SnapStart resumes published versions from a snapshot, cutting Java cold starts ` +
              `to a fraction at no extra cost; invoke it through a version or alias.`,
          ),
    );
  },
};

export const REVIEW_COST_PERFORMANCE_RULES: InsightRule[] = [
  lambdaVerboseLogLevel,
  sqsShortPolling,
  lambdaProvisionedConcurrencyUnderused,
  dynamodbProvisionedUnderused,
  lambdaDefaultMemory,
  lambdaProvisionedConcurrencySpillover,
  lambdaJavaWithoutSnapStart,
];
