import { restJson } from "../protocols/rest-json";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import type { Trace } from "../workload/traces";
import type { Workload } from "../workload";
import { decodeToken, encodeToken, num, str, type Route, type Service } from "./service";

// BatchGetTraces takes at most 5 trace ids per call.
const MAX_BATCH = 5;
const PAGE = 100;
const MAX_RANGE_MS = 24 * 3_600_000;

const invalid = (msg: string) => new AwsError("InvalidRequestException", msg, 400);

type TracePredicate = (t: Trace) => boolean;

/** The subset of X-Ray filter expressions the workers use, joined by "and". */
export function parseFilterExpression(expr: string | undefined, wl: Workload, region: string): { functions?: string[]; predicate: TracePredicate } {
  if (!expr || expr.trim() === "") return { predicate: () => true };
  const terms = expr.trim().split(/\s+and\s+/i);
  let functions: string[] | undefined;
  const preds: TracePredicate[] = [];
  const restrict = (names: string[]) => {
    functions = functions ? functions.filter((n) => names.includes(n)) : names;
  };
  for (const raw of terms) {
    const term = raw.trim().replace(/^\((.*)\)$/, "$1").trim();
    let m: RegExpExecArray | null;
    if ((m = /^service\(\s*"([^"]+)"\s*\)$/.exec(term)) || (m = /^service\(\s*id\(\s*name\s*:\s*"([^"]+)"(?:\s*,\s*type\s*:\s*"[^"]+")?\s*\)\s*\)$/.exec(term))) {
      const name = m[1];
      restrict([name]);
    } else if ((m = /^resource\.arn\s*=\s*"([^"]+)"$/.exec(term))) {
      const arn = m[1];
      restrict(wl.listFunctions(region).filter((f) => f.arn === arn || arn.startsWith(`${f.arn}:`)).map((f) => f.spec.name));
    } else if (term === "fault") preds.push((t) => t.hasFault);
    else if (term === "error") preds.push((t) => t.hasError);
    else if (term === "throttle") preds.push((t) => t.hasThrottle);
    else if (term === "ok") preds.push((t) => !t.hasFault && !t.hasError && !t.hasThrottle);
    else if ((m = /^(responsetime|duration)\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)$/.exec(term))) {
      const [, , op, v] = m;
      const n = Number(v);
      preds.push((t) => {
        const d = (t.end - t.start) / 1000;
        return op === ">" ? d > n : op === "<" ? d < n : op === ">=" ? d >= n : op === "<=" ? d <= n : d === n;
      });
    } else throw invalid(`Invalid filter expression: ${raw}`);
  }
  return { functions, predicate: (t) => preds.every((p) => p(t)) };
}

function getTraceSummaries(wl: Workload, input: Record<string, unknown>, region: string) {
  const start = num(input.StartTime);
  const end = num(input.EndTime);
  if (start === undefined || end === undefined) throw invalid("StartTime and EndTime are required.");
  const from = start * 1000;
  const to = end * 1000;
  if (to < from) throw invalid("EndTime must be after StartTime.");
  if (to - from > MAX_RANGE_MS) throw invalid("Time range cannot be more than 24 hours.");
  const filter = parseFilterExpression(str(input.FilterExpression), wl, region);
  const traces = wl.traces(region, from, to, filter.functions).filter(filter.predicate);
  const offset = input.NextToken !== undefined ? decodeToken<{ o: number }>(input.NextToken, () => invalid("Invalid NextToken")).o : 0;
  const slice = traces.slice(offset, offset + PAGE);
  return {
    TraceSummaries: slice.map((t) => summary(t, region)),
    ApproximateTime: Math.floor(wl.now() / 1000),
    TracesProcessedCount: slice.length,
    NextToken: offset + PAGE < traces.length ? encodeToken({ o: offset + PAGE }) : undefined,
  };
}

function summary(t: Trace, region: string) {
  const fn = t.services[0];
  const entry = { Name: fn.name, Names: [fn.name], AccountId: ACCOUNT_ID, Type: "AWS::Lambda" };
  const duration = Math.round(t.end - t.start) / 1000;
  return {
    Id: t.id,
    StartTime: t.start / 1000,
    Duration: duration,
    ResponseTime: duration,
    HasFault: t.hasFault,
    HasError: t.hasError,
    HasThrottle: t.hasThrottle,
    IsPartial: false,
    Http: {},
    Annotations: {},
    Users: [],
    ServiceIds: t.services.map((s) => ({ Name: s.name, Names: [s.name], AccountId: s.type === "remote" ? undefined : ACCOUNT_ID, Type: s.type })),
    ResourceARNs: [{ ARN: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${fn.name}` }],
    EntryPoint: entry,
    Revision: 1,
  };
}

function batchGetTraces(wl: Workload, input: Record<string, unknown>, region: string) {
  const ids = Array.isArray(input.TraceIds) ? input.TraceIds.map(String) : [];
  if (ids.length === 0) throw invalid("TraceIds is required.");
  if (ids.length > MAX_BATCH) throw invalid(`1 validation error detected: Value at 'traceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH}`);
  const traces: unknown[] = [];
  const unprocessed: string[] = [];
  for (const id of ids) {
    const t = wl.traceById(region, id);
    if (!t) {
      unprocessed.push(id);
      continue;
    }
    traces.push({ Id: t.id, Duration: Math.round(t.end - t.start) / 1000, LimitExceeded: false, Segments: t.segments });
  }
  return { Traces: traces, UnprocessedTraceIds: unprocessed };
}

export const xrayService: Service = {
  signingName: "xray",
  protocol: restJson,
  throttleError: () => new AwsError("ThrottledException", "Rate exceeded", 429),
  internalError: () => new AwsError("InternalFailure", "An internal error occurred.", 500, "Receiver"),
  recognises: (req) => req.path === "/TraceSummaries" || req.path === "/Traces",
  route(req, ctx): Route | undefined {
    if (req.method !== "POST") return undefined;
    const wl = ctx.workload;
    if (req.path === "/TraceSummaries") return { operation: "GetTraceSummaries", run: () => getTraceSummaries(wl, restJson.input(req), req.region) };
    if (req.path === "/Traces") return { operation: "BatchGetTraces", run: () => batchGetTraces(wl, restJson.input(req), req.region) };
    return undefined;
  },
};
