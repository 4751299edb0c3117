import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import type { Workload } from "../workload";
import { finishAccountConcurrency, isStatistic, listMetrics, metricSamples, statistic, type Dimension, type MetricId } from "../workload/metrics";
import { decodeToken, encodeToken, num, page, str, type Route, type Service } from "./service";

const protocol = jsonRpc({ version: "1.0", targetPrefix: "GraniteServiceVersion20100801", queryCompatible: true });
// GetMetricData accepts at most 500 queries per call.
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;

const validation = (msg: string) => new AwsError("ValidationException", msg, 400, "Sender", { queryCode: "ValidationError" });
const invalidParam = (msg: string) => new AwsError("InvalidParameterValueException", msg, 400, "Sender", { queryCode: "InvalidParameterValue" });
const badToken = () => new AwsError("InvalidNextToken", "The service can't decode the NextToken", 400, "Sender", { queryCode: "InvalidNextToken" });

interface Query {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] }; Period?: number; Stat?: string };
}

const toEpochMs = (v: unknown): number | undefined => {
  const n = num(v);
  if (n !== undefined) return n * 1000;
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

function getMetricData(wl: Workload, input: Record<string, unknown>, region: string) {
  const queries = (Array.isArray(input.MetricDataQueries) ? input.MetricDataQueries : []) as Query[];
  if (queries.length === 0) throw validation("The parameter MetricDataQueries is required.");
  if (queries.length > MAX_QUERIES) throw validation(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const start = toEpochMs(input.StartTime);
  const end = toEpochMs(input.EndTime);
  if (start === undefined || end === undefined) throw validation("The parameters StartTime and EndTime are required.");
  if (end <= start) throw validation("The parameter StartTime must be less than the parameter EndTime.");
  const ids = new Set<string>();
  for (const q of queries) {
    if (!q.Id || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw validation(`The value ${q.Id ?? ""} for parameter MetricDataQueries.member.Id is invalid.`);
    if (ids.has(q.Id)) throw validation(`The values for parameter Id in MetricDataQueries are not unique.`);
    ids.add(q.Id);
    if (!q.Expression && !q.MetricStat) throw validation("Exactly one element of the metrics list should specify a MetricStat or an Expression.");
    if (q.MetricStat) {
      const p = q.MetricStat.Period ?? 0;
      if (p < 1 || (p >= 60 && p % 60 !== 0) || (p < 60 && ![1, 5, 10, 20, 30].includes(p))) throw validation("The parameter MetricDataQueries.member.MetricStat.Period must be a multiple of 60.");
      if (!q.MetricStat.Stat || !isStatistic(q.MetricStat.Stat)) throw validation(`The value ${q.MetricStat.Stat ?? ""} for parameter MetricDataQueries.member.MetricStat.Stat is invalid.`);
    }
  }
  const descending = str(input.ScanBy) !== "TimestampAscending";
  const maxPoints = Math.min(num(input.MaxDatapoints) ?? MAX_DATAPOINTS, MAX_DATAPOINTS);
  const tok = input.NextToken !== undefined ? decodeToken<{ q: number; p: number }>(input.NextToken, badToken) : { q: 0, p: 0 };

  // Compute grouped by resource so that one function's windows are generated once.
  const order = queries.map((q, i) => ({ q, i })).sort((a, b) => resourceKey(a.q).localeCompare(resourceKey(b.q)));
  const series: { ts: number[]; vs: number[] }[] = new Array(queries.length);
  for (const { q, i } of order) {
    if (i < tok.q || q.ReturnData === false || !q.MetricStat?.Metric) {
      series[i] = { ts: [], vs: [] };
      continue;
    }
    const ms = q.MetricStat;
    const periodMs = (ms.Period ?? 60) * 1000;
    const metric: MetricId = { Namespace: ms.Metric?.Namespace ?? "", MetricName: ms.Metric?.MetricName ?? "", Dimensions: ms.Metric?.Dimensions ?? [] };
    // Like CloudWatch, periods are counted from StartTime rounded down to the minute.
    const from = Math.floor(start / 60_000) * 60_000;
    let samples = metricSamples(wl, region, metric, from, end, periodMs);
    samples = finishAccountConcurrency(samples, from, periodMs);
    const buckets = [...samples.keys()].filter((b) => b >= from && b < end).sort((a, b) => (descending ? b - a : a - b));
    const ts: number[] = [];
    const vs: number[] = [];
    for (const b of buckets) {
      const v = statistic(ms.Stat!, samples.get(b)!);
      if (v === undefined) continue;
      ts.push(b / 1000);
      vs.push(Math.round(v * 1e6) / 1e6);
    }
    series[i] = { ts, vs };
  }

  let budget = maxPoints;
  let next: { q: number; p: number } | undefined;
  const results = queries.map((q, i) => {
    const label = q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id;
    if (q.ReturnData === false) return undefined;
    if (q.Expression) return { Id: q.Id, Label: label, Timestamps: [], Values: [], StatusCode: "Complete", Messages: [{ Code: "Unsupported", Value: "Metric math is not simulated by the sandbox." }] };
    if (i < tok.q) return { Id: q.Id, Label: label, Timestamps: [], Values: [], StatusCode: "Complete" };
    const s = series[i];
    const skip = i === tok.q ? tok.p : 0;
    if (next) return { Id: q.Id, Label: label, Timestamps: [], Values: [], StatusCode: "PartialData" };
    const take = Math.min(budget, s.ts.length - skip);
    budget -= take;
    const partial = skip + take < s.ts.length;
    if (partial) next = { q: i, p: skip + take };
    return { Id: q.Id, Label: label, Timestamps: s.ts.slice(skip, skip + take), Values: s.vs.slice(skip, skip + take), StatusCode: partial ? "PartialData" : "Complete" };
  }).filter((r) => r !== undefined);
  return { MetricDataResults: results, NextToken: next ? encodeToken(next) : undefined, Messages: [] };
}

function resourceKey(q: Query): string {
  const m = q.MetricStat?.Metric;
  return `${m?.Namespace ?? ""}|${(m?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(",")}`;
}

function listMetricsOp(wl: Workload, input: Record<string, unknown>, region: string) {
  const ns = str(input.Namespace);
  const name = str(input.MetricName);
  const dims = (Array.isArray(input.Dimensions) ? input.Dimensions : []) as { Name: string; Value?: string }[];
  if (dims.length > 10) throw invalidParam("The collection Dimensions must not have a size greater than 10.");
  const all = listMetrics(wl, region).filter((m) =>
    (!ns || m.Namespace === ns) && (!name || m.MetricName === name) &&
    dims.every((d) => m.Dimensions.some((md) => md.Name === d.Name && (d.Value === undefined || md.Value === d.Value))));
  const offset = input.NextToken !== undefined ? decodeToken<{ o: number }>(input.NextToken, badToken).o : 0;
  const p = page(all, offset, 500);
  return { Metrics: p.items, NextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
}

const OPERATIONS: Record<string, (wl: Workload, input: Record<string, unknown>, region: string) => unknown> = {
  GetMetricData: getMetricData,
  ListMetrics: listMetricsOp,
};

export const cloudwatchService: Service = {
  signingName: "monitoring",
  protocol,
  // CloudWatch's awsQuery code for throttling is "Throttling"; the SDK names the exception after it.
  throttleError: () => new AwsError("ThrottlingException", "Rate exceeded", 400, "Sender", { queryCode: "Throttling" }),
  internalError: () => new AwsError("InternalServiceFault", "Internal service error", 500, "Receiver", { queryCode: "InternalServiceError" }),
  recognises: (req) => protocol.operation(req) !== undefined,
  route(req, ctx): Route | undefined {
    const op = protocol.operation(req);
    const handler = op ? OPERATIONS[op] : undefined;
    if (!op || !handler) return undefined;
    return { operation: op, run: () => handler(ctx.workload, protocol.input(req), req.region) };
  },
};
