import { resolveThresholds } from "../engine";
import type {
  ApiGatewayStats,
  DynamoTableStats,
  Finding,
  FunctionInsightInput,
  FunctionWindowStats,
  InsightContext,
  InsightRule,
  LambdaConfig,
  SqsQueueStats,
  Thresholds,
} from "../types";

export const NOW = new Date("2026-03-01T12:00:00Z");
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const GIB = 1024 ** 3;
const WINDOW_START = new Date(NOW.getTime() - 7 * DAY);
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** A healthy, well-configured function: no rule should fire on it. */
export function aConfig(overrides: Partial<LambdaConfig> = {}): LambdaConfig {
  const functionName = overrides.functionName ?? "orders-api";
  return {
    functionName,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    region: REGION,
    accountId: ACCOUNT,
    runtime: "nodejs22.x",
    memorySizeMB: 512,
    timeoutS: 30,
    architecture: "arm64",
    packageType: "Zip",
    codeSizeBytes: 1024 * 1024,
    handler: "index.handler",
    role: `arn:aws:iam::${ACCOUNT}:role/${functionName}-role`,
    tracingMode: "Active",
    logGroup: `/aws/lambda/${functionName}`,
    logFormat: "JSON",
    logRetentionDays: 30,
    reservedConcurrency: null,
    provisionedConcurrency: null,
    deadLetterTargetArn: null,
    onFailureDestination: null,
    snapStart: false,
    lastModified: new Date("2026-02-20T09:30:00Z"),
    envVarCount: 3,
    eventSourceMappings: [],
    invokedAsync: false,
    userFacing: false,
    tags: { team: "orders", "aws:cloudformation:stack-name": "orders" },
    layers: [],
    functionUrlAuthType: null,
    functionUrlCorsAnyOrigin: false,
    secretLikeEnvNames: [],
    applicationLogLevel: null,
    ...overrides,
  };
}

/** Seven days of quiet, healthy traffic. */
export function aStats(overrides: Partial<FunctionWindowStats> = {}): FunctionWindowStats {
  return {
    windowStart: WINDOW_START,
    windowEnd: NOW,
    invocations: 10_000,
    errors: 0,
    timeouts: 0,
    outOfMemory: 0,
    crashes: 0,
    coldStarts: 5,
    retries: 0,
    throttles: 0,
    p50Ms: 80,
    p95Ms: 150,
    p99Ms: 200,
    maxMemoryUsedMB: 300,
    maxMemoryRatio: 300 / 512,
    billedMs: 2_000_000,
    gbSeconds: 1_000,
    costUsd: 0.0153,
    logBytes: 10 * 1024 * 1024,
    downstreamCalls: 0,
    dataSince: new Date(NOW.getTime() - 30 * DAY),
    coveredSince: new Date(NOW.getTime() - 30 * DAY),
    errorTypes: [],
    busiest5MinInvocations48h: 40,
    last5MinInvocations: 30,
    medianDuration7dMs: 80,
    medianDurationRecentMs: 85,
    maxIteratorAgeMs: null,
    asyncEventsDropped: 0,
    deadLetterErrors: 0,
    destinationDeliveryFailures: 0,
    provisionedConcurrencyInvocations: 0,
    provisionedConcurrencySpilloverInvocations: 0,
    remoteCalls: 0,
    ...overrides,
  };
}

export function aFunction(
  config: Partial<LambdaConfig> = {},
  stats: Partial<FunctionWindowStats> | null = {},
): FunctionInsightInput {
  return { config: aConfig(config), stats: stats === null ? null : aStats(stats) };
}

export function aQueue(overrides: Partial<SqsQueueStats> = {}): SqsQueueStats {
  const name = overrides.name ?? "orders-queue";
  return {
    name,
    arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
    region: REGION,
    accountId: ACCOUNT,
    retentionS: 4 * 86_400,
    isDlq: false,
    windowStart: WINDOW_START,
    windowEnd: NOW,
    maxAgeOfOldestMessageS: 30,
    visibleMessages: [3, 0, 5, 2, 1],
    sent: 5_000,
    received: 5_100,
    deleted: 5_000,
    visibilityTimeoutS: 180,
    hasRedrivePolicy: true,
    encrypted: true,
    publicPolicy: false,
    receiveWaitTimeS: 20,
    ...overrides,
  };
}

export function anApi(overrides: Partial<ApiGatewayStats> = {}): ApiGatewayStats {
  const name = overrides.name ?? "orders-http";
  return {
    name,
    arn: `arn:aws:apigateway:${REGION}::/restapis/${name}`,
    region: REGION,
    accountId: ACCOUNT,
    windowStart: WINDOW_START,
    windowEnd: NOW,
    count: 10_000,
    errors5xx: 2,
    p99LatencyMs: 450,
    protocol: "REST",
    stagesWithoutThrottling: [],
    stagesWithoutAccessLogs: [],
    stagesWithoutTracing: [],
    tags: { team: "orders", "aws:cloudformation:stack-name": "orders" },
    ...overrides,
  };
}

export function aTable(overrides: Partial<DynamoTableStats> = {}): DynamoTableStats {
  const name = overrides.name ?? "orders";
  return {
    name,
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    region: REGION,
    accountId: ACCOUNT,
    windowStart: WINDOW_START,
    windowEnd: NOW,
    throttledRequests: 0,
    systemErrors: 0,
    pointInTimeRecovery: true,
    billingMode: "PAY_PER_REQUEST",
    readCapacityUnits: null,
    writeCapacityUnits: null,
    consumedReadPerHour: [],
    consumedWritePerHour: [],
    coveredSince: new Date(NOW.getTime() - 30 * DAY),
    ...overrides,
  };
}

export function aContext(overrides: Partial<InsightContext> = {}): InsightContext {
  return { now: NOW, functions: [], queues: [], apis: [], tables: [], ...overrides };
}

/** Runs one rule with its defaults, changed by `thresholds`. */
export function evaluateRule(rule: InsightRule, ctx: Partial<InsightContext>, thresholds: Thresholds = {}): Finding[] {
  return rule.evaluate(aContext(ctx), resolveThresholds(rule, { [rule.id]: thresholds }));
}

/** Runs one rule on one function and returns its only finding, or undefined. */
export function evaluateOnFunction(
  rule: InsightRule,
  fn: FunctionInsightInput,
  thresholds: Thresholds = {},
  now: Date = NOW,
): Finding | undefined {
  const findings = evaluateRule(rule, { functions: [fn], now }, thresholds);
  if (findings.length > 1) throw new Error(`expected at most one finding, got ${findings.length}`);
  return findings[0];
}
