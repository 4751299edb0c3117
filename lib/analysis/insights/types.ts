import type { ResourceKind } from "../../resource-kinds";
import type { EventRuleStats, KinesisStreamStats, SnsTopicStats, StateMachineStats } from "./service-stats";

export type * from "./service-stats";
import type { TraceBreakdown } from "../trace-breakdown";
import type { WildcardStatement } from "../../ingest/discovery/role-policy";

export type Severity = "critical" | "warning" | "info";

export type Pillar = "operational_excellence" | "security" | "reliability" | "performance" | "cost";

export type InsightService = ResourceKind;

/**
 * The AWS Well-Architected Serverless Lens question a rule answers (SEC 1 access to serverless APIs, SEC 2
 * security boundaries, SEC 3 application security; OPS 1 understanding health, OPS 2 lifecycle management;
 * REL 1 regulating inbound request rates, REL 2 resiliency; COST 1; PERF 1).
 */
export type LensQuestion = "SEC1" | "SEC2" | "SEC3" | "OPS1" | "OPS2" | "REL1" | "REL2" | "COST1" | "PERF1";

export type EventSourceKind = "sqs" | "kinesis" | "dynamodb" | "kafka" | "other";

export interface EventSourceMapping {
  eventSourceArn: string;
  kind: EventSourceKind;
  /** BatchSize, MaximumBatchingWindowInSeconds and (Kinesis, DynamoDB streams) ParallelizationFactor; absent when not read. */
  batchSize?: number | null;
  batchingWindowS?: number | null;
  parallelizationFactor?: number | null;
}

export interface LambdaConfig {
  functionName: string;
  arn: string;
  region: string;
  accountId: string;
  /** Null for container images, which carry their runtime inside the image. */
  runtime: string | null;
  memorySizeMB: number;
  timeoutS: number;
  architecture: "x86_64" | "arm64";
  packageType: "Zip" | "Image";
  codeSizeBytes: number;
  handler: string | null;
  role: string;
  tracingMode: "Active" | "PassThrough";
  logGroup: string;
  logFormat: "Text" | "JSON";
  /** Null = the log group never expires its events. */
  logRetentionDays: number | null;
  reservedConcurrency: number | null;
  provisionedConcurrency: number | null;
  deadLetterTargetArn: string | null;
  onFailureDestination: string | null;
  snapStart: boolean;
  lastModified: Date;
  envVarCount: number;
  eventSourceMappings: EventSourceMapping[];
  /** Has asynchronous triggers (S3, SNS, EventBridge, ...) or an async invoke configuration. */
  invokedAsync: boolean;
  /** Fronted by API Gateway or a function URL, or tagged as user-facing. */
  userFacing: boolean;
  tags: Record<string, string>;
  /** Layer ARNs, for the check that flags code from another account. */
  layers: string[];
  /** AuthType of the function URL (lambda:ListFunctionUrlConfigs); null when it has none. */
  functionUrlAuthType: "NONE" | "AWS_IAM" | null;
  /** The function URL's CORS configuration allows any origin. */
  functionUrlCorsAnyOrigin: boolean;
  /** Names (never values) of environment variables that look like secrets kept in plain text. */
  secretLikeEnvNames: string[];
  /** LoggingConfig.ApplicationLogLevel of JSON-format logs; null with text logs or when unset. */
  applicationLogLevel: string | null;
  /**
   * The Allow statements of the execution role's policies with wildcard actions or any resource (iam:GetRolePolicy,
   * iam:GetPolicyVersion); null or absent when the role's policies were never read.
   */
  roleWildcards?: RoleWildcard[] | null;
  /**
   * IAM actions of optional discovery calls that failed with no earlier answer: the fields they feed hold defaults,
   * so the engine raises no finding of a rule that requires one of them (a denied ListTags is not "untagged").
   */
  unreadActions?: string[];
}

/** One Allow statement of a role's policy, as discovery summarises it and stores it in the function's config. */
export type RoleWildcard = WildcardStatement;

/**
 * Aggregates over [windowStart, windowEnd), computed from minute rollups. The window is meant to be
 * the last 7 days: "seen" rules (timeouts, out-of-memory, throttles) then mean "in the last 7 days".
 * Rates and monthly figures are taken over the part of it with data (rules/shared.ts, coveredWindow).
 * Fields named for another period (48 h, 7 d, 5 min, recent) carry that period whatever the window.
 */
export interface FunctionWindowStats {
  windowStart: Date;
  windowEnd: Date;
  invocations: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
  coldStarts: number;
  retries: number;
  /** From the CloudWatch Throttles metric: throttled requests never reach the logs. */
  throttles: number;
  /** Null when there were no invocations. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Highest Max Memory Used over the window. */
  maxMemoryUsedMB: number | null;
  /** Highest per-invocation Max Memory Used / Memory Size (0..1). */
  maxMemoryRatio: number | null;
  billedMs: number;
  gbSeconds: number;
  /** Lambda cost of the window: requests plus duration. */
  costUsd: number;
  /** CloudWatch Logs volume ingested for the function over the window. */
  logBytes: number;
  /** AWS or remote subsegments seen in the function's traces; 0 when unknown. */
  downstreamCalls: number;
  /**
   * Start of the first hour Osprey holds data for the function (its oldest rollup), whatever the window; null when
   * there is none. Rules that compare against a baseline wait until it spans a full day.
   */
  dataSince: Date | null;
  /**
   * Where Osprey's view of the function begins: the earlier of dataSince and the time reading it began
   * (coverageStartByResource); null when unknown. Rates and monthly figures are taken from here (coveredWindow).
   */
  coveredSince: Date | null;
  /** Every error type of the function with the first time it was ever seen. */
  errorTypes: { type: string; firstSeen: Date }[];
  /** Invocations in the busiest 5 minutes of the 48 h before the last 5 minutes (the last 5 excluded). */
  busiest5MinInvocations48h: number;
  last5MinInvocations: number;
  medianDuration7dMs: number | null;
  /** Median duration of the last 60 minutes. */
  medianDurationRecentMs: number | null;
  /** Highest IteratorAge of a stream event source; null when the function reads no stream. */
  maxIteratorAgeMs: number | null;
  /** CloudWatch Sums over the window: asynchronous events Lambda dropped or could not hand on. */
  asyncEventsDropped: number;
  deadLetterErrors: number;
  destinationDeliveryFailures: number;
  provisionedConcurrencyInvocations: number;
  provisionedConcurrencySpilloverInvocations: number;
  /** Subsegments to non-AWS downstreams (namespace remote: HTTP APIs, databases) in the last 24 h of traces. */
  remoteCalls: number;
}

export interface FunctionInsightInput {
  config: LambdaConfig;
  /** Null when nothing was recorded for the window: configuration rules still apply. */
  stats: FunctionWindowStats | null;
  /** Own code against each downstream, from the function's recent X-Ray traces; absent or null without traces. */
  traces?: TraceBreakdown | null;
}

export interface SqsQueueStats {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  /** MessageRetentionPeriod. */
  retentionS: number;
  /** Is the target of another queue's redrive policy. */
  isDlq: boolean;
  windowStart: Date;
  windowEnd: Date;
  /** Highest ApproximateAgeOfOldestMessage over the window. */
  maxAgeOfOldestMessageS: number;
  /** ApproximateNumberOfMessagesVisible at even intervals across the window, oldest first. */
  visibleMessages: number[];
  sent: number;
  received: number;
  deleted: number;
  visibilityTimeoutS: number;
  /** Has a redrive policy sending failed messages to a dead-letter queue. */
  hasRedrivePolicy: boolean;
  /** SqsManagedSseEnabled or a KMS key. */
  encrypted: boolean;
  /** The queue policy allows Principal "*" without a condition. */
  publicPolicy: boolean;
  receiveWaitTimeS: number;
}

export interface ApiGatewayStats {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  windowStart: Date;
  windowEnd: Date;
  count: number;
  errors5xx: number;
  /** Null when there were no requests. */
  p99LatencyMs: number | null;
  protocol: "REST" | "HTTP" | "WEBSOCKET";
  /** Stage names with no throttling (REST method settings of all methods, HTTP default route settings). */
  stagesWithoutThrottling: string[];
  stagesWithoutAccessLogs: string[];
  /** REST stages with X-Ray tracing off (HTTP APIs cannot trace). */
  stagesWithoutTracing: string[];
  tags: Record<string, string>;
  /**
   * Its routes ("GET /orders/{id}", "$default", "$connect") with their authorization type (NONE, AWS_IAM, CUSTOM,
   * COGNITO_USER_POOLS, JWT); null or absent when they were never read.
   */
  routes?: ApiRoute[] | null;
}

export interface ApiRoute {
  route: string;
  authorizationType: string;
}

export interface DynamoTableStats {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  windowStart: Date;
  windowEnd: Date;
  throttledRequests: number;
  systemErrors: number;
  /** From dynamodb:DescribeContinuousBackups; null when Osprey could not read it. */
  pointInTimeRecovery: boolean | null;
  billingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  readCapacityUnits: number | null;
  writeCapacityUnits: number | null;
  /** ConsumedRead/WriteCapacityUnits summed per hour over the window, oldest first (hours without data left out). */
  consumedReadPerHour: number[];
  consumedWritePerHour: number[];
  /** Where Osprey's view of the table begins (coverageStartByResource); utilisation is taken over the hours since. */
  coveredSince: Date | null;
}

export type Thresholds = Record<string, number>;

/** Per rule id, per threshold name: the value to use instead of the rule's default. */
export type ThresholdOverrides = Record<string, Thresholds>;

export interface InsightContext {
  now: Date;
  functions: FunctionInsightInput[];
  queues: SqsQueueStats[];
  apis: ApiGatewayStats[];
  tables: DynamoTableStats[];
  /** Optional so that contexts built before these services existed stay valid. */
  streams?: KinesisStreamStats[];
  stateMachines?: StateMachineStats[];
  topics?: SnsTopicStats[];
  eventRules?: EventRuleStats[];
  thresholds?: ThresholdOverrides;
}

export type Evidence = Record<string, number | string | boolean>;

export interface Finding {
  ruleId: string;
  service: InsightService;
  resourceArn: string;
  severity: Severity;
  pillar: Pillar;
  title: string;
  /** The numbers that triggered the finding. */
  evidence: Evidence;
  recommendation: string;
  /** Estimated monthly saving, for cost findings; null otherwise. */
  monthlySavingUsd: number | null;
}

/**
 * The data a rule judges: "config" from discovery, "metrics" from CloudWatch GetMetricData (metric_points),
 * "logs" from the function's log events and the invocations parsed from them (rollups), "traces" from X-Ray.
 */
export type DataSource = "config" | "metrics" | "logs" | "traces";

export interface InsightRule {
  id: string;
  title: string;
  service: InsightService;
  pillar: Pillar;
  /** The Serverless Lens question the rule answers; the Well-Architected review groups rules by it. */
  question: LensQuestion;
  /**
   * IAM actions whose data the rule reads. When discovery records one of them failing (denied or not
   * answered) for the account and region, the review says the check was not run and names the action.
   */
  requires: readonly string[];
  /**
   * The data the rule judges. The review counts a resource as checked only when Osprey holds every kind of it
   * (config always) for the resource, and says the check was not run when no resource of the service has it.
   */
  needs: readonly DataSource[];
  /** Named thresholds a user may override; `thresholdSources` says where each default comes from. */
  defaults: Thresholds;
  thresholdSources: Record<string, string>;
  evaluate(ctx: InsightContext, thresholds: Thresholds): Finding[];
}
