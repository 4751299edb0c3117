/**
 * The performance advisor (Serverless Lens PERF 1: is a function processing-heavy, where more memory helps,
 * or waiting on another service, where it does not?) and the capacity choice of a DynamoDB table (COST 1).
 * The function rules read the trace breakdown (lib/analysis/trace-breakdown.ts): the share of handler time in
 * the function's own code against each downstream service, from its X-Ray subsegments.
 */
import { costAtMemory } from "../../cost";
import { monthlyInvocations } from "../../right-sizing";
import { performanceAdvice, type TraceBreakdown } from "../../trace-breakdown";
import { MAX_MEMORY_MB } from "../memory";
import { HOURS_PER_MONTH } from "../prices";
import type { EventSourceMapping, Finding, FunctionWindowStats, InsightRule, LambdaConfig } from "../types";
import { coveredHours, coveredWindow, createFinding, formatMs, formatUsd, functionsWithStats, plural, roundTo, sum, tableUtilisation } from "./shared";
import { CONFIG, EVENT_SOURCES, LOGS, METRICS, TABLE, TRACES } from "./requirements";

const OSPREY = "Osprey default";
const LENS = "AWS Well-Architected Serverless Lens, PERF 1";
const pct = (share: number) => Math.round(share * 100);

/** Functions with stats and enough traced invocations to judge where their time goes. */
function traced(ctx: Parameters<InsightRule["evaluate"]>[0], minTraced: number) {
  return functionsWithStats(ctx).filter((f): f is typeof f & { traces: TraceBreakdown } => (f.traces?.invocations ?? 0) >= minTraced);
}

function breakdownEvidence(b: TraceBreakdown) {
  return {
    tracedInvocations: b.invocations,
    ownCodePct: pct(b.ownCodeShare),
    waitingPct: pct(b.waitingShare),
    slowestDownstream: b.slowest?.label ?? "none",
    slowestDownstreamPct: b.slowest ? pct(b.slowest.share) : 0,
  };
}

/** Monthly cost now and at another size, the right-sizing engine's model fed with the measured own-code share. */
function monthlyAt(config: LambdaConfig, stats: FunctionWindowStats, b: TraceBreakdown, targetMemoryMB: number) {
  const covered = coveredWindow(stats);
  const base = {
    invocations: monthlyInvocations(stats.invocations, covered.windowEnd.getTime() - covered.windowStart.getTime()),
    avgBilledDurationMs: stats.billedMs / stats.invocations,
    currentMemoryMB: config.memorySizeMB,
    architecture: config.architecture,
    region: config.region,
    cpuBoundFraction: b.ownCodeShare,
  };
  return { now: costAtMemory({ ...base, targetMemoryMB: config.memorySizeMB }).costUsd, then: costAtMemory({ ...base, targetMemoryMB }).costUsd };
}

export const lambdaMemoryIsTheLever: InsightRule = {
  id: "lambda-memory-is-the-lever",
  title: "Processing-heavy: more memory would speed it up",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [...TRACES, LOGS, CONFIG],
  needs: ["config", "logs", "traces"],
  defaults: { minOwnCodePct: 60, minTracedInvocations: 20, minAvgHandlerMs: 100 },
  thresholdSources: {
    minOwnCodePct: `${OSPREY}: most of the handler time in the function's own code, the part Lambda's CPU (given in proportion to memory) speeds up`,
    minTracedInvocations: `${OSPREY}: a handful of traces says little about the rest`,
    minAvgHandlerMs: `${OSPREY}: below this a faster handler is rarely worth more memory`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats, traces: b } of traced(ctx, t.minTracedInvocations)) {
      if (b.ownCodeShare * 100 < t.minOwnCodePct || config.memorySizeMB >= MAX_MEMORY_MB || stats.invocations <= 0) continue;
      const advice = performanceAdvice(b, config.memorySizeMB, MAX_MEMORY_MB);
      if (advice.avgDurationMs < t.minAvgHandlerMs) continue;
      const cost = monthlyAt(config, stats, b, advice.whatIfMemoryMB);
      const delta = cost.then - cost.now;
      findings.push(
        createFinding(
          lambdaMemoryIsTheLever,
          config.arn,
          "info",
          {
            ...breakdownEvidence(b),
            memorySizeMB: config.memorySizeMB,
            whatIfMemoryMB: advice.whatIfMemoryMB,
            avgHandlerMs: roundTo(advice.avgDurationMs, 1),
            avgHandlerAtWhatIfMs: roundTo(advice.avgDurationAtWhatIfMs, 1),
            monthlyCostUsd: roundTo(cost.now, 2),
            monthlyCostAtWhatIfUsd: roundTo(cost.then, 2),
          },
          `${config.functionName}: ${advice.text} Its monthly Lambda cost would go from ${formatUsd(cost.now)} to about ` +
            `${formatUsd(cost.then)} (${delta >= 0 ? "+" : "−"}${formatUsd(Math.abs(delta))}), from ${plural(b.invocations, "traced invocation")}.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaDownstreamIsTheLever: InsightRule = {
  id: "lambda-downstream-is-the-lever",
  title: "Waiting on a downstream: memory will not speed it up",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [...TRACES, LOGS],
  needs: ["logs", "traces"],
  defaults: { minWaitingPct: 60, minTracedInvocations: 20, minAvgHandlerMs: 100 },
  thresholdSources: {
    minWaitingPct: `${OSPREY}: most of the handler time spent waiting on other services, which more memory does not shorten`,
    minTracedInvocations: `${OSPREY}: a handful of traces says little about the rest`,
    minAvgHandlerMs: `${OSPREY}: below this the wait is rarely worth reworking`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, traces: b } of traced(ctx, t.minTracedInvocations)) {
      if (b.waitingShare * 100 < t.minWaitingPct || !b.slowest) continue;
      const advice = performanceAdvice(b, config.memorySizeMB, MAX_MEMORY_MB);
      if (advice.avgDurationMs < t.minAvgHandlerMs) continue;
      findings.push(
        createFinding(
          lambdaDownstreamIsTheLever,
          config.arn,
          "info",
          { ...breakdownEvidence(b), slowestDownstreamAvgCallMs: roundTo(b.slowest.avgCallMs, 1), avgHandlerMs: roundTo(advice.avgDurationMs, 1) },
          `${config.functionName}: ${advice.text} Raising memory mostly adds cost here.`,
        ),
      );
    }
    return findings;
  },
};

export const lambdaSynchronousChain: InsightRule = {
  id: "lambda-synchronous-chain",
  title: "Synchronous chain: waits on another function or on HTTP",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [...TRACES],
  needs: ["logs", "traces"],
  defaults: { minSynchronousWaitPct: 50, minTracedInvocations: 20 },
  thresholdSources: {
    minSynchronousWaitPct: `${LENS}: a function that waits on another function or on HTTP for most of its time pays for the wait; decouple it`,
    minTracedInvocations: `${OSPREY}: a handful of traces says little about the rest`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, traces: b } of traced(ctx, t.minTracedInvocations)) {
      if (b.synchronousWaitShare * 100 < t.minSynchronousWaitPct) continue;
      const sync = b.downstream.filter((d) => d.kind !== "aws");
      const names = sync.slice(0, 3).map((d) => `${d.label} (${pct(d.share)} %)`).join(", ");
      findings.push(
        createFinding(
          lambdaSynchronousChain,
          config.arn,
          "info",
          { ...breakdownEvidence(b), synchronousWaitPct: pct(b.synchronousWaitShare), synchronousTargets: sync.map((d) => d.label).join(", ") },
          `${config.functionName} waits synchronously for ${pct(b.synchronousWaitShare)} % of its handler time on ${names}, ` +
            `and is billed for the wait. If the caller does not need the answer at once, hand the work over asynchronously ` +
            `(SQS, EventBridge, an asynchronous invoke or a Step Functions workflow) and answer early.`,
        ),
      );
    }
    return findings;
  },
};

const STREAM_KINDS = new Set<EventSourceMapping["kind"]>(["kinesis", "dynamodb"]);
const TUNABLE_KINDS = new Set<EventSourceMapping["kind"]>(["sqs", "kinesis", "dynamodb"]);
/** ParallelizationFactor's upper bound: concurrent batches per Kinesis shard or DynamoDB stream shard. */
const MAX_PARALLELIZATION = 10;
const sourceName = (arn: string) => arn.split(/[:/]/).filter(Boolean).at(-1) ?? arn;

export const eventSourceFallingBehind: InsightRule = {
  id: "event-source-falling-behind",
  title: "Event source falling behind",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [EVENT_SOURCES, METRICS],
  needs: ["config", "logs", "metrics"],
  defaults: { maxIteratorAgeMs: 60_000, maxQueueAgeS: 300, smallBatchSize: 100 },
  thresholdSources: {
    maxIteratorAgeMs: `${OSPREY}: records waiting a minute on a stream means the consumer does not keep up (peers warn at 2 h, AWS-FACTS.md)`,
    maxQueueAgeS: `${OSPREY}: the oldest message of the queue waiting five minutes`,
    smallBatchSize: `${OSPREY}: Kinesis and DynamoDB streams default to 100 records a batch`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      for (const m of config.eventSourceMappings.filter((e) => TUNABLE_KINDS.has(e.kind))) {
        const stream = STREAM_KINDS.has(m.kind);
        const queue = stream ? undefined : ctx.queues.find((q) => q.arn === m.eventSourceArn);
        const lagMs = stream ? stats.maxIteratorAgeMs : queue ? queue.maxAgeOfOldestMessageS * 1000 : null;
        if (lagMs === null || lagMs < (stream ? t.maxIteratorAgeMs : t.maxQueueAgeS * 1000)) continue;
        const levers: string[] = [];
        const factor = m.parallelizationFactor ?? 1;
        if (stream && factor < MAX_PARALLELIZATION) levers.push(`raise ParallelizationFactor from ${factor} (up to ${MAX_PARALLELIZATION} batches per shard at once)`);
        if (m.batchSize != null && m.batchSize < t.smallBatchSize) levers.push(`raise BatchSize from ${m.batchSize} so each invocation takes more records`);
        if (!stream) levers.push("raise the mapping's maximum concurrency or the function's reserved concurrency");
        levers.push("make each record faster to process (see the function's breakdown of own code against downstream)");
        const hours = coveredHours(stats);
        const perSecond = hours > 0 ? stats.invocations / (hours * 3600) : 0;
        findings.push(
          createFinding(
            eventSourceFallingBehind,
            config.arn,
            "warning",
            {
              eventSource: sourceName(m.eventSourceArn),
              kind: m.kind,
              lagMs: Math.round(lagMs),
              batchSize: m.batchSize ?? "unknown",
              batchingWindowS: m.batchingWindowS ?? "unknown",
              parallelizationFactor: stream ? factor : "n/a",
              invocationsPerSecond: roundTo(perSecond, 3),
            },
            `${config.functionName} falls behind ${sourceName(m.eventSourceArn)}: records waited up to ${formatMs(lagMs)} ` +
              `(${stream ? "IteratorAge" : "age of the oldest message"}) at ${roundTo(perSecond, 2)} invocations a second. ` +
              `To keep up: ${levers.join("; ")}.`,
          ),
        );
      }
    }
    return findings;
  },
};

export const eventSourceSmallBatches: InsightRule = {
  id: "event-source-small-batches",
  title: "Event source invokes often with no batching window",
  service: "lambda",
  pillar: "performance",
  question: "PERF1",
  requires: [EVENT_SOURCES, LOGS],
  needs: ["config", "logs"],
  defaults: { minInvocationsPerSecond: 1, suggestedWindowS: 5, maxIteratorAgeMs: 60_000 },
  thresholdSources: {
    minInvocationsPerSecond: `${OSPREY}: busy enough that fewer, fuller batches cut request and start-up overhead`,
    suggestedWindowS: `${OSPREY}: a few seconds of added latency; MaximumBatchingWindowInSeconds goes up to 300`,
    maxIteratorAgeMs: "Same as event-source-falling-behind: a consumer that falls behind wants more throughput, not a window",
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const { config, stats } of functionsWithStats(ctx)) {
      // Over the hours with data: a week-old account's feed is as busy as it is, not diluted over 7 days.
      const hours = coveredHours(stats);
      if (hours <= 0) continue;
      const perSecond = stats.invocations / (hours * 3600);
      if (perSecond < t.minInvocationsPerSecond) continue;
      for (const m of config.eventSourceMappings.filter((e) => TUNABLE_KINDS.has(e.kind))) {
        if (m.batchingWindowS == null || m.batchingWindowS > 0) continue;
        if (STREAM_KINDS.has(m.kind) && (stats.maxIteratorAgeMs ?? 0) >= t.maxIteratorAgeMs) continue;
        findings.push(
          createFinding(
            eventSourceSmallBatches,
            config.arn,
            "info",
            { eventSource: sourceName(m.eventSourceArn), kind: m.kind, batchSize: m.batchSize ?? "unknown", batchingWindowS: 0, invocationsPerSecond: roundTo(perSecond, 2) },
            `${config.functionName} is invoked ${roundTo(perSecond, 2)} times a second from ${sourceName(m.eventSourceArn)} with no batching window, ` +
              `so Lambda sends each batch as soon as it has records. Set MaximumBatchingWindowInSeconds to about ${t.suggestedWindowS} s ` +
              `(BatchSize ${m.batchSize ?? "as it is"}) to get fewer, fuller batches: fewer requests and less per-invocation overhead, for a few seconds of latency.`,
          ),
        );
      }
    }
    return findings;
  },
};

/**
 * us-east-1 DynamoDB Standard prices (aws.amazon.com/dynamodb/pricing, on-demand since 1 November 2024):
 * on-demand $0.125 per million read request units and $0.625 per million write request units; provisioned
 * $0.00013 per RCU-hour and $0.00065 per WCU-hour. A consumed capacity unit is a request unit, so both modes
 * price the same ConsumedRead/WriteCapacityUnits.
 */
export const DYNAMODB_PRICES = { readRequestUsd: 0.125 / 1e6, writeRequestUsd: 0.625 / 1e6, rcuHourUsd: 0.00013, wcuHourUsd: 0.00065 };

/** Provisioned capacity that follows the hourly mean at a target utilisation (what auto scaling aims for), at least 1 unit. */
function provisionedFollowingCostUsd(perHour: number[], unitHourUsd: number, targetUtilization: number): number {
  return perHour.reduce((a, units) => a + Math.max(1, units / 3600 / targetUtilization) * unitHourUsd, 0);
}

export const dynamoCapacityMode: InsightRule = {
  id: "dynamodb-capacity-mode",
  title: "DynamoDB capacity mode costs more than the other would",
  service: "dynamodb",
  pillar: "cost",
  question: "COST1",
  requires: [TABLE, METRICS],
  needs: ["config", "metrics"],
  defaults: { minHours: 24, minSavingPct: 20, maxPeakToMean: 3, autoScalingTargetPct: 70 },
  thresholdSources: {
    minHours: `${OSPREY}: a day of consumed capacity shows the daily pattern`,
    minSavingPct: `${OSPREY}: a switch is worth it for a fifth of the throughput bill or more`,
    maxPeakToMean: `${OSPREY}: a busiest hour above 3 x the mean is too spiky for provisioned capacity to follow without throttling`,
    autoScalingTargetPct: "DynamoDB auto scaling's default target utilisation (70 %)",
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    const p = DYNAMODB_PRICES;
    for (const table of ctx.tables) {
      const reads = table.consumedReadPerHour ?? [];
      const writes = table.consumedWritePerHour ?? [];
      // Over the hours Osprey covers: provisioned capacity is paid in the hours nothing was consumed too.
      const hours = coveredHours(table);
      if (!table.billingMode || hours < t.minHours || !reads.length) continue;
      const onDemandUsd = sum(reads) * p.readRequestUsd + sum(writes) * p.writeRequestUsd;
      const perMonth = (usd: number) => (usd * HOURS_PER_MONTH) / hours;
      // The pattern weighs a write as five reads, as their prices do.
      const hourly = reads.map((r, i) => r + (writes[i] ?? 0) * (p.writeRequestUsd / p.readRequestUsd));
      const mean = sum(hourly) / hourly.length;
      const peakToMean = mean > 0 ? Math.max(...hourly) / mean : 0;
      let from: string, to: string, currentUsd: number, otherUsd: number, why: string;
      if (table.billingMode === "PROVISIONED") {
        if (table.readCapacityUnits == null || table.writeCapacityUnits == null) continue;
        currentUsd = hours * (table.readCapacityUnits * p.rcuHourUsd + table.writeCapacityUnits * p.wcuHourUsd);
        otherUsd = onDemandUsd;
        const used = tableUtilisation(table);
        if (!used) continue;
        [from, to] = ["provisioned", "on-demand"];
        why = `it uses about ${Math.round((used.readPct + used.writePct) / 2)} % of its ${table.readCapacityUnits} RCU and ${table.writeCapacityUnits} WCU on average, and on-demand bills only what is consumed`;
      } else {
        if (peakToMean > t.maxPeakToMean || mean <= 0) continue;
        const target = t.autoScalingTargetPct / 100;
        currentUsd = onDemandUsd;
        otherUsd = provisionedFollowingCostUsd(reads, p.rcuHourUsd, target) + provisionedFollowingCostUsd(writes, p.wcuHourUsd, target);
        [from, to] = ["on-demand", "provisioned"];
        why = `its traffic is steady (busiest hour ${roundTo(peakToMean, 1)} x the mean), so provisioned capacity with auto scaling at ${t.autoScalingTargetPct} % would follow it`;
      }
      const saving = perMonth(currentUsd - otherUsd);
      if (currentUsd <= 0 || (currentUsd - otherUsd) / currentUsd < t.minSavingPct / 100) continue;
      findings.push(
        createFinding(
          dynamoCapacityMode,
          table.arn,
          "info",
          {
            billingMode: table.billingMode,
            hours: roundTo(hours, 1),
            monthlyThroughputCostUsd: roundTo(perMonth(currentUsd), 2),
            monthlyThroughputCostOtherModeUsd: roundTo(perMonth(otherUsd), 2),
            peakToMean: roundTo(peakToMean, 2),
          },
          `${table.name} is ${from}; ${to} would cost about ${formatUsd(perMonth(otherUsd))} a month for its reads and writes instead of ` +
            `${formatUsd(perMonth(currentUsd))}: ${why}. Measured over ${roundTo(hours, 1)} hours of consumed capacity, at us-east-1 prices.`,
          saving,
        ),
      );
    }
    return findings;
  },
};

export const PERFORMANCE_ADVISOR_RULES: InsightRule[] = [
  lambdaMemoryIsTheLever,
  lambdaDownstreamIsTheLever,
  lambdaSynchronousChain,
  eventSourceFallingBehind,
  eventSourceSmallBatches,
  dynamoCapacityMode,
];
