import { ACCOUNT_ID, functionArn, type FunctionSpec } from "./catalog";
import type { Invocation } from "./model";
import { Rng, rngFor } from "./random";

export interface TraceSegment {
  Id: string;
  Document: string;
}

export interface Trace {
  id: string;
  start: number;
  end: number;
  hasFault: boolean;
  hasError: boolean;
  hasThrottle: boolean;
  segments: TraceSegment[];
  services: { name: string; type: string }[];
}

const sec = (t: number) => Math.round(t * 1000) / 1_000_000;

function downstreamSub(spec: FunctionSpec, d: FunctionSpec["downstream"][number], start: number, end: number, r: Rng) {
  const throttle = d.throttleRate ? r.chance(d.throttleRate) : false;
  const fault = !throttle && d.errorRate ? r.chance(d.errorRate) : false;
  const base: Record<string, unknown> = { id: r.hex(16), start_time: sec(start), end_time: sec(end) };
  if (throttle) Object.assign(base, { throttle: true, error: true });
  if (fault) base.fault = true;
  const status = throttle ? (d.kind === "http" ? 429 : 400) : fault ? 503 : 200;
  if (d.kind === "http") {
    const url = new URL(d.target);
    return {
      ...base, name: url.host, namespace: "remote",
      http: { request: { method: d.operation, url: d.target }, response: { status, content_length: 120 + r.int(2000) } },
    };
  }
  const aws: Record<string, unknown> = { operation: d.operation, region: spec.region, retries: throttle ? 1 : 0 };
  let name = "DynamoDB";
  if (d.kind === "dynamodb") {
    Object.assign(aws, { request_id: r.hex(52).toUpperCase(), table_name: d.target, resource_names: [d.target] });
  } else if (d.kind === "s3") {
    name = "S3";
    Object.assign(aws, { request_id: r.hex(16).toUpperCase(), id_2: r.hex(40), bucket_name: d.target, key: `objects/${r.hex(8)}.bin`, resource_names: [d.target] });
  } else {
    name = "SQS";
    Object.assign(aws, { request_id: r.uuid(), queue_url: `https://sqs.${spec.region}.amazonaws.com/${ACCOUNT_ID}/${d.target}`, resource_names: [d.target] });
  }
  const sub: Record<string, unknown> = { ...base, name, namespace: "aws", http: { response: { status, content_length: 60 + r.int(900) } }, aws };
  if (throttle && d.kind === "dynamodb") {
    sub.cause = { working_directory: "/var/task", exceptions: [{ id: r.hex(16), message: "Rate of requests exceeds the allowed throughput.", type: "ProvisionedThroughputExceededException", remote: true }] };
  }
  return sub;
}

/** The segment documents X-Ray stores for one traced Lambda invocation. */
export function traceOf(spec: FunctionSpec, inv: Invocation): Trace | undefined {
  if (!inv.traceId || !inv.segmentId) return undefined;
  const r = rngFor(inv.key, 60, inv.attempt);
  const arn = functionArn(spec);
  const initMs = inv.initDurationMs ?? inv.restoreDurationMs ?? inv.failedInitMs ?? 0;
  const overhead = 0.3 + r.next() * 1.5;
  const fnStart = inv.start - initMs;
  const fnEnd = inv.end + overhead;
  const svcStart = fnStart - (1 + r.next() * 4);
  const svcEnd = fnEnd + 0.5;
  const failed = inv.status !== "success";
  const platformFailure = inv.status === "timeout" || inv.status === "out_of_memory" || inv.status === "crash";
  const svcId = r.hex(16);

  const subsegments: Record<string, unknown>[] = [];
  if (inv.coldStart) {
    subsegments.push({ id: r.hex(16), name: inv.restoreDurationMs !== undefined ? "Restore" : "Initialization", start_time: sec(fnStart), end_time: sec(inv.start), aws: { function_arn: arn } });
  }
  const downstream: Record<string, unknown>[] = [];
  let cursor = inv.start + inv.durationMs * 0.05;
  let hasThrottle = false;
  let hasError = false;
  let hasFault = failed;
  for (const d of spec.downstream) {
    // Calls vary around their share of the invocation, as real ones do.
    const len = inv.durationMs * d.share * (0.75 + r.next() * 0.5);
    const sub = downstreamSub(spec, d, cursor, Math.min(inv.end, cursor + len), r);
    if (sub.throttle) hasThrottle = true;
    if (sub.error) hasError = true;
    if (sub.fault) hasFault = true;
    downstream.push(sub);
    cursor += len;
  }
  const invocation: Record<string, unknown> = { id: r.hex(16), name: "Invocation", start_time: sec(inv.start), end_time: sec(inv.end), aws: { function_arn: arn } };
  if (downstream.length) invocation.subsegments = downstream;
  if (failed) {
    invocation.fault = true;
    invocation.cause = { working_directory: "/var/task", exceptions: [{ id: r.hex(16), message: inv.errorMessage ?? inv.errorType, type: inv.errorType }] };
  }
  subsegments.push(invocation);
  subsegments.push({ id: r.hex(16), name: "Overhead", start_time: sec(inv.end), end_time: sec(fnEnd), aws: { function_arn: arn } });

  const service: Record<string, unknown> = {
    id: svcId, name: spec.name, start_time: sec(svcStart), trace_id: inv.traceId, end_time: sec(svcEnd),
    http: { response: { status: 200 } }, aws: { request_id: inv.requestId }, origin: "AWS::Lambda", resource_arn: arn,
  };
  if (platformFailure) service.fault = true;
  const fn: Record<string, unknown> = {
    id: inv.segmentId, name: spec.name, start_time: sec(fnStart), trace_id: inv.traceId, end_time: sec(fnEnd), parent_id: svcId,
    aws: { account_id: ACCOUNT_ID, function_arn: arn, resource_names: [spec.name] }, origin: "AWS::Lambda::Function", subsegments,
  };
  if (failed) fn.fault = true;

  const services = [
    { name: spec.name, type: "AWS::Lambda" },
    { name: spec.name, type: "AWS::Lambda::Function" },
    ...spec.downstream.map((d) => d.kind === "http" ? { name: new URL(d.target).host, type: "remote" } : { name: d.target, type: d.kind === "dynamodb" ? "AWS::DynamoDB::Table" : d.kind === "s3" ? "AWS::S3::Bucket" : "AWS::SQS::Queue" }),
  ];
  return {
    id: inv.traceId, start: svcStart, end: svcEnd, hasFault, hasError, hasThrottle, services,
    segments: [
      { Id: svcId, Document: JSON.stringify(service) },
      { Id: inv.segmentId, Document: JSON.stringify(fn) },
    ],
  };
}
