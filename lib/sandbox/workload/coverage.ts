// The sandbox account's Kinesis streams, Firehose delivery streams, Step Functions state machines, SNS
// topics and EventBridge rules, and what CloudWatch publishes of them. Each demo resource is shaped to
// exercise a rule: a stream whose consumer falls further behind, a state machine whose executions fail in a
// named state, a topic whose HTTPS subscription fails with no DLQ, a rule whose target fails, one throttled.
import type { Workload } from "../workload";
import { ACCOUNT_ID } from "./catalog";
import { MINUTE } from "./generator";
import { hashString, rngFor } from "./random";

const CREATED = Date.UTC(2024, 2, 11, 9, 30, 0);

export interface StreamSpec {
  name: string;
  region: string;
  mode: "PROVISIONED" | "ON_DEMAND";
  shards: number;
  retentionHours: number;
  encryption: "KMS" | "NONE";
  /** records per minute at the daily peak */
  baseRate: number;
  /** the consumer falls behind this many ms per minute of history (0: keeps up) */
  lagGrowthMsPerMin: number;
  /** share of minutes with write throttles */
  writeThrottleShare: number;
  tags: Record<string, string>;
}

export interface DeliveryStreamSpec {
  name: string;
  region: string;
  sourceStream: string | null;
  bucket: string;
  baseRate: number;
  /** share of minutes whose S3 delivery partly fails */
  failureShare: number;
}

export interface StateSpec {
  name: string;
  /** the share of executions that fail here, with this error */
  failRate?: number;
  error?: string;
  cause?: string;
  /** the failure is the state's timeout: the execution ends TIMED_OUT rather than FAILED */
  timesOut?: boolean;
}

export interface StateMachineSpec {
  name: string;
  region: string;
  type: "STANDARD" | "EXPRESS";
  everyMinutes: number;
  states: StateSpec[];
  tracing: boolean;
  logging: "ALL" | "ERROR" | "OFF";
  tags: Record<string, string>;
}

export interface SubscriptionSpec {
  protocol: "sqs" | "lambda" | "https" | "email";
  endpoint: string;
  /** share of deliveries that fail */
  failRate: number;
  dlq: string | null;
}

export interface TopicSpec {
  name: string;
  region: string;
  /** messages per minute at the daily peak */
  baseRate: number;
  subscriptions: SubscriptionSpec[];
  kmsKey: string | null;
  tags: Record<string, string>;
}

export interface TargetSpec {
  id: string;
  arn: string;
  dlq: string | null;
  failRate: number;
}

export interface RuleSpec {
  name: string;
  region: string;
  bus: string;
  pattern?: Record<string, unknown>;
  schedule?: string;
  state: "ENABLED" | "DISABLED";
  baseRate: number;
  targets: TargetSpec[];
  /** share of minutes in which the rule is throttled */
  throttleShare: number;
}

const arn = (service: string, region: string, rest: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${rest}`;

export function demoStreams(): StreamSpec[] {
  return [
    { name: "clickstream", region: "us-east-1", mode: "PROVISIONED", shards: 2, retentionHours: 24, encryption: "NONE", baseRate: 900, lagGrowthMsPerMin: 2_500, writeThrottleShare: 0.08, tags: { team: "analytics" } },
    { name: "audit-events", region: "us-east-1", mode: "ON_DEMAND", shards: 4, retentionHours: 168, encryption: "KMS", baseRate: 120, lagGrowthMsPerMin: 0, writeThrottleShare: 0, tags: { team: "platform", "aws:cloudformation:stack-name": "audit" } },
  ];
}

export function demoDeliveryStreams(): DeliveryStreamSpec[] {
  return [{ name: "clickstream-to-s3", region: "us-east-1", sourceStream: "clickstream", bucket: "acme-clickstream-archive", baseRate: 900, failureShare: 0.05 }];
}

export function demoStateMachines(): StateMachineSpec[] {
  return [
    {
      name: "order-fulfilment",
      region: "us-east-1",
      type: "STANDARD",
      everyMinutes: 2,
      tracing: false,
      logging: "ERROR",
      tags: { team: "orders" },
      states: [
        { name: "ValidateOrder" },
        { name: "ChargePayment", failRate: 0.08, error: "PaymentDeclined", cause: "Card issuer declined the charge (insufficient funds)" },
        { name: "ReserveStock", failRate: 0.03, error: "States.TaskFailed", cause: "ConditionalCheckFailedException: The conditional request failed" },
        { name: "ShipOrder", failRate: 0.02, error: "States.Timeout", timesOut: true },
      ],
    },
    {
      name: "nightly-report",
      region: "us-east-1",
      type: "STANDARD",
      everyMinutes: 60,
      tracing: true,
      // No execution logs: a failed run leaves only its history (stepfunctions-logging-off).
      logging: "OFF",
      tags: { team: "finance", "aws:cloudformation:stack-name": "reports" },
      states: [{ name: "CollectFigures" }, { name: "RenderReport" }, { name: "SendReport" }],
    },
  ];
}

export function demoTopics(): TopicSpec[] {
  return [
    {
      name: "order-events",
      region: "us-east-1",
      baseRate: 40,
      kmsKey: null,
      tags: { team: "orders" },
      subscriptions: [
        { protocol: "sqs", endpoint: arn("sqs", "us-east-1", "orders-queue"), failRate: 0, dlq: null },
        { protocol: "https", endpoint: "https://partner.example.com/hooks/orders", failRate: 0.12, dlq: null },
      ],
    },
    {
      name: "billing-alerts",
      region: "us-east-1",
      baseRate: 2,
      kmsKey: "alias/aws/sns",
      tags: { team: "finance" },
      subscriptions: [{ protocol: "lambda", endpoint: arn("lambda", "us-east-1", "function:notification-sender"), failRate: 0.01, dlq: arn("sqs", "us-east-1", "orders-dlq") }],
    },
  ];
}

export function demoRules(): RuleSpec[] {
  return [
    {
      name: "order-placed",
      region: "us-east-1",
      bus: "default",
      pattern: { source: ["acme.shop"], "detail-type": ["OrderPlaced"] },
      state: "ENABLED",
      baseRate: 30,
      throttleShare: 0,
      targets: [
        { id: "fulfilment", arn: arn("states", "us-east-1", "stateMachine:order-fulfilment"), dlq: null, failRate: 0.06 },
        { id: "audit", arn: arn("kinesis", "us-east-1", "stream/audit-events"), dlq: arn("sqs", "us-east-1", "orders-dlq"), failRate: 0 },
      ],
    },
    {
      name: "nightly-report-schedule",
      region: "us-east-1",
      bus: "default",
      schedule: "rate(1 hour)",
      state: "ENABLED",
      baseRate: 1 / 60,
      throttleShare: 0,
      targets: [{ id: "report", arn: arn("states", "us-east-1", "stateMachine:nightly-report"), dlq: null, failRate: 0 }],
    },
    {
      name: "inventory-sync",
      region: "us-east-1",
      bus: "default",
      pattern: { source: ["acme.inventory"] },
      state: "ENABLED",
      baseRate: 200,
      throttleShare: 0.15,
      targets: [{ id: "sync", arn: arn("lambda", "us-east-1", "function:order-processor"), dlq: arn("sqs", "us-east-1", "orders-dlq"), failRate: 0 }],
    },
  ];
}

export const streamArn = (s: Pick<StreamSpec, "region" | "name">) => arn("kinesis", s.region, `stream/${s.name}`);
export const deliveryStreamArn = (s: Pick<DeliveryStreamSpec, "region" | "name">) => arn("firehose", s.region, `deliverystream/${s.name}`);
export const stateMachineArn = (m: Pick<StateMachineSpec, "region" | "name">) => arn("states", m.region, `stateMachine:${m.name}`);
export const topicArn = (t: Pick<TopicSpec, "region" | "name">) => arn("sns", t.region, t.name);
export const ruleArn = (r: Pick<RuleSpec, "region" | "name" | "bus">) => arn("events", r.region, r.bus === "default" ? `rule/${r.name}` : `rule/${r.bus}/${r.name}`);
export const COVERAGE_CREATED = CREATED;

const inRegion = <T extends { region: string }>(items: T[], region: string) => items.filter((i) => i.region === region);
export const listStreams = (region: string) => inRegion(demoStreams(), region);
export const listDeliveryStreams = (region: string) => inRegion(demoDeliveryStreams(), region);
export const listStateMachines = (region: string) => inRegion(demoStateMachines(), region);
export const listTopics = (region: string) => inRegion(demoTopics(), region);
export const listRules = (region: string) => inRegion(demoRules(), region);

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT";

export interface Execution {
  machine: StateMachineSpec;
  name: string;
  arn: string;
  start: number;
  stop: number;
  status: ExecutionStatus;
  /** index of the state it failed or timed out in; the states before it succeeded */
  failedAt: number | null;
  /** per state: entered and exited times */
  steps: { state: string; entered: number; exited: number }[];
}

/** The machine's executions that started in [fromMs, toMs), oldest first; one every `everyMinutes` since history began. */
export function executions(w: Workload, m: StateMachineSpec, fromMs: number, toMs: number): Execution[] {
  const period = m.everyMinutes * MINUTE;
  const out: Execution[] = [];
  const now = w.now();
  const first = Math.ceil(Math.max(fromMs, w.historyStart) / period);
  const key = hashString(`${m.region}/sfn/${m.name}`, w.seed);
  for (let i = first; i * period < Math.min(toMs, now); i++) {
    const start = i * period + 1_000;
    if (start >= now) break;
    const r = rngFor(key, i);
    let t = start;
    let failedAt: number | null = null;
    const steps: Execution["steps"] = [];
    for (let s = 0; s < m.states.length; s++) {
      const state = m.states[s];
      const took = state.timesOut ? 30_000 : Math.round(200 + r.next() * 2_000);
      const fails = state.failRate !== undefined && r.next() < state.failRate;
      steps.push({ state: state.name, entered: t, exited: t + took });
      t += took;
      if (fails) {
        failedAt = s;
        break;
      }
    }
    const running = t > now;
    const failed = failedAt !== null ? m.states[failedAt] : null;
    out.push({
      machine: m,
      name: `exec-${i.toString(36)}-${(key ^ i).toString(16).padStart(8, "0")}`,
      arn: "",
      start,
      stop: running ? 0 : t,
      status: running ? "RUNNING" : failed ? (failed.timesOut ? "TIMED_OUT" : "FAILED") : "SUCCEEDED",
      failedAt,
      steps,
    });
    out[out.length - 1].arn = arn("states", m.region, `execution:${m.name}:${out[out.length - 1].name}`);
  }
  return out;
}

/** The execution of this ARN, if the machine ran it. */
export function findExecution(w: Workload, region: string, executionArn: string): Execution | undefined {
  const m = /^arn:aws:states:[^:]+:\d+:execution:([^:]+):exec-([0-9a-z]+)-/.exec(executionArn);
  const machine = m ? listStateMachines(region).find((x) => x.name === m[1]) : undefined;
  if (!m || !machine) return undefined;
  const i = parseInt(m[2], 36);
  const period = machine.everyMinutes * MINUTE;
  return executions(w, machine, i * period, i * period + 1).find((e) => e.arn === executionArn);
}

/** Values per minute (undefined: nothing published) for the synthetic metrics of the new services. */
export type MinuteValue = (metric: string, rate: number, r: () => number, t: number) => number | undefined;

export function streamValue(s: StreamSpec, historyStart: number): MinuteValue {
  return (metric, rate, r, t) => {
    const records = Math.round(rate * (0.7 + 0.6 * r()));
    switch (metric) {
      case "IncomingRecords": return records;
      case "IncomingBytes": return records * (400 + Math.round(400 * r()));
      case "GetRecords.IteratorAgeMilliseconds":
        return Math.round(200 + 600 * r() + s.lagGrowthMsPerMin * Math.max(0, (t - historyStart) / MINUTE));
      case "WriteProvisionedThroughputExceeded": return r() < s.writeThrottleShare ? 1 + Math.floor(r() * 40) : 0;
      case "ReadProvisionedThroughputExceeded": return r() < s.writeThrottleShare / 2 ? 1 + Math.floor(r() * 5) : 0;
      default: return undefined;
    }
  };
}

export function deliveryValue(d: DeliveryStreamSpec): MinuteValue {
  return (metric, rate, r) => {
    const records = Math.round(rate * (0.7 + 0.6 * r()));
    const failing = r() < d.failureShare;
    switch (metric) {
      case "IncomingRecords": return records;
      case "DeliveryToS3.Records": return failing ? Math.round(records * 0.4) : records;
      case "DeliveryToS3.Success": return failing ? 0.4 : 1;
      case "DeliveryToS3.DataFreshness": return Math.round(60 + 240 * r() + (failing ? 600 : 0));
      case "ThrottledRecords": return failing ? Math.round(records * 0.1) : 0;
      default: return undefined;
    }
  };
}

export function topicValue(t: TopicSpec): MinuteValue {
  return (metric, rate, r) => {
    const published = Math.round(rate * (0.7 + 0.6 * r()));
    const attempts = published * t.subscriptions.length;
    const failed = t.subscriptions.reduce((n, s) => n + Math.round(published * s.failRate * (0.5 + r())), 0);
    switch (metric) {
      case "NumberOfMessagesPublished": return published;
      case "NumberOfNotificationsDelivered": return Math.max(0, attempts - failed);
      case "NumberOfNotificationsFailed": return failed;
      default: return undefined;
    }
  };
}

export function ruleValue(rule: RuleSpec): MinuteValue {
  return (metric, rate, r, t) => {
    // A schedule fires on its own minutes, whatever the daily curve.
    const triggered = rule.schedule ? (t % Math.round(MINUTE / rule.baseRate) === 0 ? 1 : 0) : Math.round(rate * (0.7 + 0.6 * r()));
    const invocations = triggered * rule.targets.length;
    const failed = rule.targets.reduce((n, x) => n + Math.round(triggered * x.failRate * (0.5 + r())), 0);
    switch (metric) {
      case "TriggeredRules": return triggered;
      case "Invocations": return invocations;
      case "FailedInvocations": return Math.min(invocations, failed);
      case "ThrottledRules": return r() < rule.throttleShare ? 1 + Math.floor(r() * 20) : 0;
      default: return undefined;
    }
  };
}

export const KINESIS_METRICS = ["IncomingRecords", "IncomingBytes", "GetRecords.IteratorAgeMilliseconds", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded"];
export const FIREHOSE_METRICS = ["IncomingRecords", "DeliveryToS3.Records", "DeliveryToS3.Success", "DeliveryToS3.DataFreshness", "ThrottledRecords"];
export const STATES_METRICS = ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted", "ExecutionThrottled", "ExecutionTime"];
export const SNS_METRICS = ["NumberOfMessagesPublished", "NumberOfNotificationsDelivered", "NumberOfNotificationsFailed"];
export const EVENTS_METRICS = ["TriggeredRules", "Invocations", "FailedInvocations", "ThrottledRules"];
