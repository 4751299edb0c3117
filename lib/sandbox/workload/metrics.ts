import type { Workload } from "../workload";
import { hasEventInvokeConfig, type QueueSpec } from "./catalog";
import { MINUTE } from "./generator";
import type { Invocation } from "./model";
import {
  deliveryValue, EVENTS_METRICS, executions, FIREHOSE_METRICS, KINESIS_METRICS, listDeliveryStreams, listRules, listStateMachines, listStreams, listTopics,
  ruleValue, SNS_METRICS, STATES_METRICS, stateMachineArn, streamValue, topicValue,
} from "./coverage";
import { hashString, rngFor } from "./random";

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

const LAMBDA_PER_FUNCTION = [
  "Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions", "DeadLetterErrors",
  "DestinationDeliveryFailures",
];
const LAMBDA_ASYNC = ["AsyncEventsReceived", "AsyncEventAge", "AsyncEventsDropped"];
const LAMBDA_PROVISIONED = ["ProvisionedConcurrencyInvocations", "ProvisionedConcurrencySpilloverInvocations"];
const LAMBDA_ACCOUNT = ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions", "UnreservedConcurrentExecutions", "ClaimedAccountConcurrency"];
const SQS = ["ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible", "ApproximateAgeOfOldestMessage", "NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"];
const APIGW_REST = ["Count", "4XXError", "5XXError", "Latency", "IntegrationLatency"];
// HTTP APIs publish other names (AWS docs, apigateway/latest/developerguide/http-api-metrics).
const APIGW_HTTP = ["Count", "4xx", "5xx", "Latency", "IntegrationLatency", "DataProcessed"];
const DDB = ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors", "UserErrors"];

/** Every metric the account publishes in a region, as ListMetrics reports them. */
export function listMetrics(w: Workload, region: string): MetricId[] {
  const out: MetricId[] = [];
  for (const f of w.listFunctions(region)) {
    const names = [...LAMBDA_PER_FUNCTION, ...(f.spec.async ? LAMBDA_ASYNC : []), ...(f.spec.eventSource?.kind === "kinesis" ? ["IteratorAge"] : []), ...(f.spec.extensions.length ? ["PostRuntimeExtensionsDuration"] : []), ...(f.spec.provisionedConcurrency ? LAMBDA_PROVISIONED : [])];
    for (const n of names) out.push({ Namespace: "AWS/Lambda", MetricName: n, Dimensions: [{ Name: "FunctionName", Value: f.spec.name }] });
  }
  for (const n of LAMBDA_ACCOUNT) out.push({ Namespace: "AWS/Lambda", MetricName: n, Dimensions: [] });
  for (const q of w.listQueues(region)) for (const n of SQS) out.push({ Namespace: "AWS/SQS", MetricName: n, Dimensions: [{ Name: "QueueName", Value: q.name }] });
  for (const a of w.listApis(region)) {
    const api = a.kind === "REST" ? { Name: "ApiName", Value: a.name } : { Name: "ApiId", Value: a.id };
    // Published per API and per API and stage.
    for (const dims of [[api], [api, { Name: "Stage", Value: a.stage }]]) {
      for (const n of a.kind === "REST" ? APIGW_REST : APIGW_HTTP) out.push({ Namespace: "AWS/ApiGateway", MetricName: n, Dimensions: dims });
    }
  }
  for (const t of w.listTables(region)) for (const n of DDB) out.push({ Namespace: "AWS/DynamoDB", MetricName: n, Dimensions: [{ Name: "TableName", Value: t.name }] });
  const each = (ns: string, names: string[], dimension: string, values: string[]) => {
    for (const v of values) for (const n of names) out.push({ Namespace: ns, MetricName: n, Dimensions: [{ Name: dimension, Value: v }] });
  };
  each("AWS/Kinesis", KINESIS_METRICS, "StreamName", listStreams(region).map((s) => s.name));
  each("AWS/Firehose", FIREHOSE_METRICS, "DeliveryStreamName", listDeliveryStreams(region).map((d) => d.name));
  each("AWS/States", STATES_METRICS, "StateMachineArn", listStateMachines(region).map(stateMachineArn));
  each("AWS/SNS", SNS_METRICS, "TopicName", listTopics(region).map((t) => t.name));
  each("AWS/Events", EVENTS_METRICS, "RuleName", listRules(region).map((r) => r.name));
  return out;
}

export type Samples = Map<number, number[]>;

function push(s: Samples, bucket: number, v: number): void {
  const arr = s.get(bucket);
  if (arr) arr.push(v);
  else s.set(bucket, [v]);
}

const dim = (m: MetricId, name: string) => m.Dimensions.find((d) => d.Name === name)?.Value;

/** Raw samples per period bucket (periods counted from fromMs); statistics are computed from them. */
export function metricSamples(w: Workload, region: string, m: MetricId, fromMs: number, toMs: number, periodMs: number): Samples {
  const s: Samples = new Map();
  const bucketOf = (t: number) => fromMs + Math.floor((t - fromMs) / periodMs) * periodMs;
  switch (m.Namespace) {
    case "AWS/Lambda": {
      const fnName = dim(m, "FunctionName");
      const fns = fnName ? [w.getFunction(fnName, region)].filter((f) => f !== undefined) : w.listFunctions(region);
      for (const f of fns) lambdaSamples(w, region, f.spec.name, f.spec.async, m.MetricName, fromMs, toMs, bucketOf, s, !fnName);
      break;
    }
    case "AWS/ApiGateway": {
      const api = w.listApis(region).find((a) => (a.kind === "REST" ? a.name === dim(m, "ApiName") : a.id === dim(m, "ApiId")));
      if (!api || !(api.kind === "REST" ? APIGW_REST : APIGW_HTTP).includes(m.MetricName)) break;
      const metric = m.MetricName.replace(/^4xx$/, "4XXError").replace(/^5xx$/, "5XXError");
      for (const inv of w.invocations(api.backend, region, fromMs, toMs)) {
        const b = bucketOf(inv.start);
        const init = inv.initDurationMs ?? inv.restoreDurationMs ?? 0;
        if (metric === "Count") push(s, b, 1);
        else if (metric === "4XXError") push(s, b, inv.status === "error" && inv.errorType === "ValidationError" ? 1 : 0);
        else if (metric === "5XXError") push(s, b, inv.status !== "success" && inv.errorType !== "ValidationError" ? 1 : 0);
        else if (metric === "Latency") push(s, b, Math.round(inv.durationMs + init + 14));
        else if (metric === "IntegrationLatency") push(s, b, Math.round(inv.durationMs + init + 2));
        else if (metric === "DataProcessed") push(s, b, 600 + (inv.key % 3400));
      }
      for (const t of w.throttles(api.backend, region, fromMs, toMs)) {
        if (metric === "Count" || metric === "4XXError") push(s, bucketOf(t), 1);
        else if (metric === "5XXError") push(s, bucketOf(t), 0);
        else if (metric === "DataProcessed") push(s, bucketOf(t), 120);
      }
      break;
    }
    case "AWS/SQS": {
      const q = w.listQueues(region).find((x) => x.name === dim(m, "QueueName"));
      if (q) syntheticMinutes(w, `${region}/sqs/${q.name}`, q.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, sqsValue(q));
      break;
    }
    case "AWS/DynamoDB": {
      const t = w.listTables(region).find((x) => x.name === dim(m, "TableName"));
      if (t) syntheticMinutes(w, `${region}/ddb/${t.name}`, t.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, ddbValue);
      break;
    }
    case "AWS/Kinesis": {
      const k = listStreams(region).find((x) => x.name === dim(m, "StreamName"));
      if (k) syntheticMinutes(w, `${region}/kinesis/${k.name}`, k.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, streamValue(k, w.historyStart));
      break;
    }
    case "AWS/Firehose": {
      const d = listDeliveryStreams(region).find((x) => x.name === dim(m, "DeliveryStreamName"));
      if (d) syntheticMinutes(w, `${region}/firehose/${d.name}`, d.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, deliveryValue(d));
      break;
    }
    case "AWS/SNS": {
      const t = listTopics(region).find((x) => x.name === dim(m, "TopicName"));
      if (t) syntheticMinutes(w, `${region}/sns/${t.name}`, t.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, topicValue(t));
      break;
    }
    case "AWS/Events": {
      const r = listRules(region).find((x) => x.name === dim(m, "RuleName"));
      if (r) syntheticMinutes(w, `${region}/events/${r.name}`, r.baseRate, m.MetricName, fromMs, toMs, bucketOf, s, ruleValue(r));
      break;
    }
    case "AWS/States": {
      const machine = listStateMachines(region).find((x) => stateMachineArn(x) === dim(m, "StateMachineArn"));
      if (machine) statesSamples(w, machine, m.MetricName, fromMs, toMs, bucketOf, s);
      break;
    }
  }
  return s;
}

function lambdaSamples(w: Workload, region: string, fn: string, async: boolean, metric: string, fromMs: number, toMs: number, bucketOf: (t: number) => number, s: Samples, accountLevel: boolean): void {
  const invs = (): Invocation[] => w.invocations(fn, region, fromMs, toMs);
  switch (metric) {
    case "Invocations":
      for (const inv of invs()) push(s, bucketOf(inv.start), 1);
      return;
    case "Errors":
      for (const inv of invs()) push(s, bucketOf(inv.start), inv.status === "success" ? 0 : 1);
      return;
    case "Duration":
      for (const inv of invs()) push(s, bucketOf(inv.start), inv.durationMs);
      return;
    case "Throttles":
      for (const t of w.throttles(fn, region, fromMs, toMs)) push(s, bucketOf(t), 1);
      return;
    case "ConcurrentExecutions":
    case "UnreservedConcurrentExecutions":
    case "ClaimedAccountConcurrency":
      if (accountLevel) {
        // account-level: one summed sample per minute, merged below by minute key
        for (const [t, v] of w.concurrency(fn, region, fromMs, toMs)) push(s, -1 - t, v);
        return;
      }
      if (metric !== "ConcurrentExecutions") return;
      for (const [t, v] of w.concurrency(fn, region, fromMs, toMs)) push(s, bucketOf(t), v);
      return;
    case "AsyncEventsReceived":
      if (async) for (const inv of invs()) if (inv.attempt === 1) push(s, bucketOf(inv.start), 1);
      return;
    case "AsyncEventAge":
      if (async) for (const inv of invs()) push(s, bucketOf(inv.start), inv.attempt === 1 ? 20 + (inv.key % 200) : (inv.attempt - 1) * 90_000);
      return;
    case "AsyncEventsDropped": {
      // An event whose last attempt (the third) failed is dropped when the function has no DLQ and no destination.
      const spec = w.getFunction(fn, region)?.spec;
      const nowhere = spec !== undefined && !spec.dlqQueue && !hasEventInvokeConfig(spec);
      for (const inv of invs()) if (inv.attempt === 1 || inv.attempt === 3) push(s, bucketOf(inv.start), nowhere && inv.attempt === 3 && inv.status !== "success" ? 1 : 0);
      return;
    }
    case "DeadLetterErrors":
      for (const inv of invs()) if (inv.attempt === 1) push(s, bucketOf(inv.start), 0);
      return;
    case "DestinationDeliveryFailures": {
      // An event whose last attempt (the third) failed goes to the on-failure destination; when the destination
      // refuses the function's role, that delivery fails.
      const denied = w.getFunction(fn, region)?.spec.destinationDenied === true;
      for (const inv of invs()) if (inv.attempt === 1 || inv.attempt === 3) push(s, bucketOf(inv.start), denied && inv.attempt === 3 && inv.status !== "success" ? 1 : 0);
      return;
    }
    case "IteratorAge":
      for (const inv of invs()) {
        const phase = (inv.start / 3_600_000) * 2 * Math.PI;
        push(s, bucketOf(inv.start), Math.round(800 + 600 * Math.max(0, Math.sin(phase)) + (inv.key % 400)));
      }
      return;
    case "ProvisionedConcurrencyInvocations":
    case "ProvisionedConcurrencySpilloverInvocations": {
      const pc = w.getFunction(fn, region)?.spec.provisionedConcurrency?.count;
      if (!pc) return;
      // In a minute whose peak concurrency is above the provisioned environments, the share of invocations
      // beyond them ran on on-demand environments (spillover); the rest found a provisioned one.
      const peak = new Map(w.concurrency(fn, region, fromMs, toMs));
      for (const inv of invs()) {
        const top = peak.get(Math.floor(inv.start / MINUTE) * MINUTE) ?? 1;
        const spilled = top > pc && inv.key % top >= pc;
        push(s, bucketOf(inv.start), spilled === (metric === "ProvisionedConcurrencySpilloverInvocations") ? 1 : 0);
      }
      return;
    }
    case "PostRuntimeExtensionsDuration":
      for (const inv of invs()) push(s, bucketOf(inv.start), 1 + (inv.key % 2500) / 100);
      return;
  }
}

// Execution metrics come from the executions themselves, so ListExecutions and the charts agree.
function statesSamples(w: Workload, machine: Parameters<typeof executions>[1], metric: string, fromMs: number, toMs: number, bucketOf: (t: number) => number, s: Samples): void {
  for (const e of executions(w, machine, fromMs, toMs)) {
    const b = bucketOf(e.start);
    const ended = e.status !== "RUNNING";
    switch (metric) {
      case "ExecutionsStarted": push(s, b, 1); break;
      case "ExecutionsSucceeded": push(s, b, e.status === "SUCCEEDED" ? 1 : 0); break;
      case "ExecutionsFailed": push(s, b, e.status === "FAILED" ? 1 : 0); break;
      case "ExecutionsTimedOut": push(s, b, e.status === "TIMED_OUT" ? 1 : 0); break;
      case "ExecutionsAborted":
      case "ExecutionThrottled": push(s, b, 0); break;
      case "ExecutionTime": if (ended) push(s, b, e.stop - e.start); break;
    }
  }
}

/** Merges account-level per-minute concurrency samples (stored under negative keys). */
export function finishAccountConcurrency(s: Samples, fromMs: number, periodMs: number): Samples {
  const out: Samples = new Map();
  for (const [k, vs] of s) {
    if (k >= 0) {
      out.set(k, vs);
      continue;
    }
    const t = -1 - k;
    push(out, fromMs + Math.floor((t - fromMs) / periodMs) * periodMs, vs.reduce((a, b) => a + b, 0));
  }
  return out;
}

type SyntheticFn = (metric: string, rate: number, r: () => number, t: number) => number | undefined;

function syntheticMinutes(w: Workload, key: string, baseRate: number, metric: string, fromMs: number, toMs: number, bucketOf: (t: number) => number, s: Samples, value: SyntheticFn): void {
  const k = hashString(key, w.seed);
  const from = Math.ceil(Math.max(fromMs, w.historyStart) / MINUTE) * MINUTE;
  const to = Math.min(toMs, w.now() - MINUTE);
  for (let t = from; t < to; t += MINUTE) {
    const r = rngFor(k, t / MINUTE);
    const hour = (t / 3_600_000) % 24;
    const daily = 0.3 + 0.7 * (0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 15)) / 24));
    const v = value(metric, baseRate * daily, () => r.next(), t);
    if (v !== undefined) push(s, bucketOf(t), v);
  }
}

const sqsValue = (q: QueueSpec): SyntheticFn => (metric, rate, r, t) => {
  // A queue whose consumer falls behind: its oldest message waits around backlogAgeS.
  if (metric === "ApproximateAgeOfOldestMessage" && q.backlogAgeS) return Math.round(q.backlogAgeS * (0.6 + 0.6 * r()));
  const sent = Math.round(rate * (0.7 + 0.6 * r()));
  if (q.unread) {
    // Nobody receives: messages pile up until the retention period drops them.
    if (metric === "NumberOfMessagesReceived" || metric === "NumberOfMessagesDeleted" || metric === "ApproximateNumberOfMessagesNotVisible") return 0;
    if (metric === "ApproximateNumberOfMessagesVisible") return Math.round(rate * q.retentionSeconds / 60);
    if (metric === "ApproximateAgeOfOldestMessage") return q.retentionSeconds - Math.round(60 * r());
  }
  switch (metric) {
    case "NumberOfMessagesSent": return sent;
    case "NumberOfMessagesReceived": return Math.round(sent * (0.9 + 0.2 * r()));
    case "NumberOfMessagesDeleted": return Math.round(sent * (0.85 + 0.15 * r()));
    case "ApproximateNumberOfMessagesVisible": return Math.round(rate * 2 * r() + 3 * Math.abs(Math.sin(t / 7_200_000)));
    case "ApproximateNumberOfMessagesNotVisible": return Math.round(rate * r());
    case "ApproximateAgeOfOldestMessage": return Math.round(5 + 120 * r() * r());
    default: return undefined;
  }
};

function ddbValue(metric: string, rate: number, r: () => number): number | undefined {
  switch (metric) {
    case "ConsumedReadCapacityUnits": return Math.round(rate * 60 * (0.6 + 0.8 * r()));
    case "ConsumedWriteCapacityUnits": return Math.round(rate * 20 * (0.6 + 0.8 * r()));
    case "ThrottledRequests":
    case "ReadThrottleEvents": return r() < 0.03 ? 1 + Math.floor(r() * 5) : 0;
    case "WriteThrottleEvents": return r() < 0.01 ? 1 : 0;
    case "SystemErrors": return r() < 0.005 ? 1 : 0;
    case "UserErrors": return Math.floor(r() * 3);
    default: return undefined;
  }
}

/** One CloudWatch statistic over a bucket's samples; undefined when the name is not a statistic. */
export function statistic(stat: string, values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case "Sum": return values.reduce((a, b) => a + b, 0);
    case "Average": return values.reduce((a, b) => a + b, 0) / values.length;
    case "Minimum": return values.reduce((a, b) => (b < a ? b : a));
    case "Maximum": return values.reduce((a, b) => (b > a ? b : a));
    case "SampleCount": return values.length;
  }
  const p = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  if (!p) return undefined;
  const q = Number(p[1]) / 100;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export function isStatistic(stat: string): boolean {
  return ["Sum", "Average", "Minimum", "Maximum", "SampleCount"].includes(stat) || /^p(\d{1,2}(?:\.\d+)?|100)$/.test(stat);
}
