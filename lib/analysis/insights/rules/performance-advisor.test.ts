import { describe, expect, it } from "vitest";
import { traceBreakdown, type TracedCall, type TracedInvocation } from "../../trace-breakdown";
import { aFunction, aQueue, aTable, evaluateRule, HOUR, NOW } from "../__fixtures__/builders";
import { dynamodbProvisionedUnderused } from "./review-cost-performance";
import type { FunctionInsightInput, LambdaConfig } from "../types";
import {
  dynamoCapacityMode,
  eventSourceFallingBehind,
  eventSourceSmallBatches,
  lambdaDownstreamIsTheLever,
  lambdaMemoryIsTheLever,
  lambdaSynchronousChain,
} from "./performance-advisor";

const call = (name: string, namespace: "aws" | "remote", startMs: number, endMs: number, resource: string | null = null): TracedCall => ({
  name, namespace, operation: null, resource, startMs, endMs,
});
/** `n` identical invocations of `durationMs` with the given calls. */
const traces = (n: number, durationMs: number, calls: TracedCall[]) =>
  traceBreakdown(Array.from({ length: n }, (): TracedInvocation => ({ startMs: 0, durationMs, calls })));

function traced(config: Partial<LambdaConfig>, durationMs: number, calls: TracedCall[], n = 50): FunctionInsightInput {
  return { ...aFunction(config, { billedMs: 10_000 * durationMs }), traces: traces(n, durationMs, calls) };
}

// image-processor: 900 ms, 90 % in its own code (resizing), a short S3 read.
const cpuHeavy = () => traced({ functionName: "image-processor", memorySizeMB: 1024 }, 900, [call("S3", "aws", 0, 90, "uploads")]);
// checkout: 400 ms, 70 % waiting on Stripe and 15 % on DynamoDB.
const waiting = () =>
  traced({ functionName: "checkout" }, 400, [call("DynamoDB", "aws", 10, 70, "orders"), call("api.stripe.com", "remote", 100, 380)]);

describe("lambda-memory-is-the-lever", () => {
  it("explains a CPU-heavy function's memory advice from its trace breakdown", () => {
    const [f] = evaluateRule(lambdaMemoryIsTheLever, { functions: [cpuHeavy(), waiting()] });
    expect(f.resourceArn).toContain("image-processor");
    expect(f.evidence).toMatchObject({ ownCodePct: 90, whatIfMemoryMB: 2048, avgHandlerMs: 900, avgHandlerAtWhatIfMs: 495, slowestDownstream: "S3 uploads" });
    expect(f.recommendation).toContain("memory is the lever");
    expect(f.recommendation).toContain("from 900 ms to about 495 ms");
    // Twice the memory for 55 % of the time: the bill goes up 10 %, not 100 %.
    expect(Number(f.evidence.monthlyCostAtWhatIfUsd) / Number(f.evidence.monthlyCostUsd)).toBeCloseTo(1.1, 1);
  });

  it("waits for enough traces", () => {
    const fn = { ...cpuHeavy(), traces: traces(5, 900, []) };
    expect(evaluateRule(lambdaMemoryIsTheLever, { functions: [fn] })).toEqual([]);
    expect(evaluateRule(lambdaMemoryIsTheLever, { functions: [aFunction()] })).toEqual([]);
  });
});

describe("lambda-downstream-is-the-lever", () => {
  it("names the slowest downstream and says memory is not the lever", () => {
    const [f] = evaluateRule(lambdaDownstreamIsTheLever, { functions: [cpuHeavy(), waiting()] });
    expect(f.resourceArn).toContain("checkout");
    expect(f.evidence).toMatchObject({ waitingPct: 85, slowestDownstream: "api.stripe.com", slowestDownstreamPct: 70 });
    expect(f.recommendation).toContain("the downstream is the lever, not memory");
    expect(f.recommendation).toContain("api.stripe.com");
  });
});

describe("lambda-synchronous-chain", () => {
  it("flags a function waiting on HTTP or another function for most of its time", () => {
    const chained = traced({ functionName: "orchestrator" }, 300, [call("Lambda", "aws", 0, 120, "pricing"), call("api.example.com", "remote", 120, 270)]);
    const findings = evaluateRule(lambdaSynchronousChain, { functions: [chained, cpuHeavy()] });
    expect(findings.map((f) => f.resourceArn)).toEqual([chained.config.arn]);
    expect(findings[0].evidence).toMatchObject({ synchronousWaitPct: 90, synchronousTargets: "api.example.com, Lambda pricing" });
    expect(findings[0].recommendation).toContain("asynchronously");
  });

  it("does not count waits on AWS data services", () => {
    const dynamo = traced({ functionName: "reader" }, 300, [call("DynamoDB", "aws", 0, 290, "orders")]);
    expect(evaluateRule(lambdaSynchronousChain, { functions: [dynamo] })).toEqual([]);
  });
});

const kinesis = "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream";

describe("event-source-falling-behind", () => {
  it("asks a lagging Kinesis consumer for a higher parallelization factor and larger batches", () => {
    const fn = aFunction(
      { eventSourceMappings: [{ eventSourceArn: kinesis, kind: "kinesis", batchSize: 10, batchingWindowS: 0, parallelizationFactor: 1 }] },
      { maxIteratorAgeMs: 240_000 },
    );
    const [f] = evaluateRule(eventSourceFallingBehind, { functions: [fn] });
    expect(f.evidence).toMatchObject({ eventSource: "clickstream", lagMs: 240_000, parallelizationFactor: 1, batchSize: 10 });
    expect(f.recommendation).toContain("raise ParallelizationFactor from 1");
    expect(f.recommendation).toContain("raise BatchSize from 10");
  });

  it("reads an SQS source's lag from its queue's oldest message", () => {
    const queue = aQueue({ name: "orders-queue", maxAgeOfOldestMessageS: 900 });
    const fn = aFunction({ eventSourceMappings: [{ eventSourceArn: queue.arn, kind: "sqs", batchSize: 10, batchingWindowS: 0 }] });
    const [f] = evaluateRule(eventSourceFallingBehind, { functions: [fn], queues: [queue] });
    expect(f.evidence).toMatchObject({ kind: "sqs", lagMs: 900_000 });
    expect(f.recommendation).not.toContain("ParallelizationFactor");
    expect(evaluateRule(eventSourceFallingBehind, { functions: [fn], queues: [{ ...queue, maxAgeOfOldestMessageS: 20 }] })).toEqual([]);
  });

  it("stays quiet on a stream that keeps up", () => {
    const fn = aFunction({ eventSourceMappings: [{ eventSourceArn: kinesis, kind: "kinesis", batchSize: 100, parallelizationFactor: 1 }] }, { maxIteratorAgeMs: 800 });
    expect(evaluateRule(eventSourceFallingBehind, { functions: [fn] })).toEqual([]);
  });
});

describe("event-source-small-batches", () => {
  const sqs = "arn:aws:sqs:us-east-1:123456789012:orders-queue";
  const week = 7 * 86_400;
  it("suggests a batching window to a busy consumer without one", () => {
    const fn = aFunction({ eventSourceMappings: [{ eventSourceArn: sqs, kind: "sqs", batchSize: 10, batchingWindowS: 0 }] }, { invocations: 3 * week });
    const [f] = evaluateRule(eventSourceSmallBatches, { functions: [fn] });
    expect(f.evidence).toMatchObject({ eventSource: "orders-queue", invocationsPerSecond: 3 });
    expect(f.recommendation).toContain("MaximumBatchingWindowInSeconds to about 5 s");
  });

  it("counts the rate over the hours with data, not the whole week, for a newly added account", () => {
    // 6 hours of data at 1.5 invocations a second: 32,400 invocations, 0.05 a second if spread over 7 days.
    const since = new Date(Date.UTC(2026, 0, 1));
    const stats = { invocations: 32_400, windowStart: new Date(since.getTime() - 7 * 86_400_000 + 6 * 3_600_000), windowEnd: new Date(since.getTime() + 6 * 3_600_000), dataSince: since, coveredSince: since };
    const fn = aFunction({ eventSourceMappings: [{ eventSourceArn: sqs, kind: "sqs", batchSize: 10, batchingWindowS: 0 }] }, stats);
    expect(evaluateRule(eventSourceSmallBatches, { functions: [fn] })[0]?.evidence).toMatchObject({ invocationsPerSecond: 1.5 });
    const slower = aFunction(fn.config, { ...stats, invocations: 18_000 });
    expect(evaluateRule(eventSourceSmallBatches, { functions: [slower] })).toEqual([]);
  });

  it("leaves quiet consumers, consumers with a window and unknown configurations alone", () => {
    const m = { eventSourceArn: sqs, kind: "sqs" as const, batchSize: 10 };
    const quiet = aFunction({ eventSourceMappings: [{ ...m, batchingWindowS: 0 }] }, { invocations: 1000 });
    const windowed = aFunction({ eventSourceMappings: [{ ...m, batchingWindowS: 2 }] }, { invocations: 3 * week });
    const unknown = aFunction({ eventSourceMappings: [m] }, { invocations: 3 * week });
    expect(evaluateRule(eventSourceSmallBatches, { functions: [quiet, windowed, unknown] })).toEqual([]);
  });
});

describe("dynamodb-capacity-mode", () => {
  const hours = (n: number, v: number) => Array.from({ length: n }, () => v);
  const twoDays = { coveredSince: new Date(NOW.getTime() - 48 * HOUR) };
  it("moves a mostly idle provisioned table to on-demand", () => {
    // 100 RCU and 50 WCU provisioned, consuming 1 read and 0.5 writes a second: about 1 % used.
    const table = aTable({ name: "sessions", billingMode: "PROVISIONED", readCapacityUnits: 100, writeCapacityUnits: 50, consumedReadPerHour: hours(48, 3600), consumedWritePerHour: hours(48, 1800), ...twoDays });
    const [f] = evaluateRule(dynamoCapacityMode, { tables: [table] });
    // Provisioned: (100 × 0.00013 + 50 × 0.00065) × 720 = $32.76; on-demand: 720 h × (3600 × $0.125 + 1800 × $0.625) per million = $1.13.
    expect(f.evidence).toMatchObject({ billingMode: "PROVISIONED", monthlyThroughputCostUsd: 32.76, monthlyThroughputCostOtherModeUsd: 1.13 });
    expect(f.monthlySavingUsd).toBeCloseTo(31.63, 2);
    expect(f.recommendation).toContain("about 1 % of its 100 RCU and 50 WCU");
    // The under-used check states the same utilisation, over the same 48 hours.
    expect(evaluateRule(dynamodbProvisionedUnderused, { tables: [table] })[0].evidence).toMatchObject({ readUtilisationPct: 1, writeUtilisationPct: 1 });
  });

  it("pays provisioned capacity for the covered hours nothing was consumed in", () => {
    // The same consumption in 48 of 96 covered hours: half the on-demand bill a month, the same provisioned one.
    const table = aTable({ billingMode: "PROVISIONED", readCapacityUnits: 100, writeCapacityUnits: 50, consumedReadPerHour: hours(48, 3600), consumedWritePerHour: hours(48, 1800), coveredSince: new Date(NOW.getTime() - 96 * HOUR) });
    const [f] = evaluateRule(dynamoCapacityMode, { tables: [table] });
    expect(f.evidence).toMatchObject({ hours: 96, monthlyThroughputCostUsd: 32.76, monthlyThroughputCostOtherModeUsd: 0.57 });
  });

  it("moves a steady, busy on-demand table to provisioned and leaves a spiky one", () => {
    // 200 reads and 100 writes a second, every hour alike.
    const steady = aTable({ name: "orders", billingMode: "PAY_PER_REQUEST", consumedReadPerHour: hours(48, 720_000), consumedWritePerHour: hours(48, 360_000) });
    const [f] = evaluateRule(dynamoCapacityMode, { tables: [steady] });
    expect(f.evidence).toMatchObject({ billingMode: "PAY_PER_REQUEST", peakToMean: 1 });
    expect(f.recommendation).toContain("provisioned would cost about");
    const spiky = { ...steady, consumedReadPerHour: [...hours(47, 1000), 5_000_000], consumedWritePerHour: hours(48, 0) };
    expect(evaluateRule(dynamoCapacityMode, { tables: [spiky] })).toEqual([]);
  });

  it("waits for a day of consumed capacity", () => {
    const table = aTable({ billingMode: "PROVISIONED", readCapacityUnits: 100, writeCapacityUnits: 50, consumedReadPerHour: hours(6, 10), consumedWritePerHour: hours(6, 10), coveredSince: new Date(NOW.getTime() - 6 * HOUR) });
    expect(evaluateRule(dynamoCapacityMode, { tables: [table] })).toEqual([]);
  });
});
