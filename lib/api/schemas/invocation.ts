import { z } from "zod";
import { Id, QueryInt } from "./common";
import { InvocationStatus, InvocationSummary } from "./invocations";

export const InvocationParams = z.object({
  id: Id,
  requestId: z.string().min(1).max(200),
});

export const InvocationDetailQuery = z.object({
  attempt: QueryInt(1, 100).optional().meta({ description: "Which attempt of the request; default the first" }),
});

export const LogLine = z.object({
  eventId: z.string(),
  ts: z.string(),
  level: z.string().nullable(),
  message: z.string(),
  isJson: z.boolean(),
  json: z.record(z.string(), z.unknown()).nullable().meta({ description: "The parsed object when the line (or its message part) is JSON" }),
});

export const Span = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentId: z.string().nullable(),
  externalParentId: z.string().nullable().meta({ description: "The parent id the span names when that parent is not in the trace: a caller outside it" }),
  kind: z.enum(["segment", "subsegment", "inferred"]).nullable().meta({ description: "null for spans stored before kinds were kept" }),
  name: z.string(),
  origin: z.string().nullable(),
  namespace: z.string().nullable(),
  depth: z.number(),
  startTime: z.string(),
  startOffsetMs: z.number(),
  durationMs: z.number().nullable(),
  awsOperation: z.string().nullable(),
  awsResource: z.string().nullable(),
  httpMethod: z.string().nullable(),
  httpUrl: z.string().nullable(),
  httpStatus: z.number().nullable(),
  sql: z.string().nullable(),
  error: z.boolean(),
  fault: z.boolean(),
  throttle: z.boolean(),
  inProgress: z.boolean(),
  inferred: z.boolean(),
});

export const InvocationRef = z.object({ requestId: z.string(), attempt: z.number(), startedAt: z.string().nullable() });

export const InvocationDetail = z.object({
  invocation: InvocationSummary.extend({
    resourceId: z.number(),
    logStream: z.string(),
    restoreDurationMs: z.number().nullable(),
    billedRestoreDurationMs: z.number().nullable(),
    coldStartKind: z.string().nullable(),
  }),
  resource: z.object({ id: z.number(), name: z.string(), region: z.string(), memorySizeMB: z.number().nullable(), architecture: z.string().nullable() }),
  cost: z.object({
    totalUsd: z.number().nullable(),
    requestUsd: z.number(),
    computeUsd: z.number().nullable(),
    gbSeconds: z.number().nullable(),
  }),
  logs: z.array(LogLine),
  spans: z.array(Span),
  trace: z
    .object({
      status: z.enum(["shown", "tracing-off", "not-sampled", "expired", "arriving", "not-read-yet", "not-read", "caller-traced", "missing"]),
      message: z.string().nullable(),
    })
    .meta({ description: "Whether the spans make a waterfall, and if not, why not" }),
  retryChain: z.array(InvocationRef.extend({ id: z.string(), status: InvocationStatus.nullable(), durationMs: z.number().nullable() })).meta({
    description: "Every attempt of this request id, in order",
  }),
  previous: InvocationRef.nullable(),
  next: InvocationRef.nullable(),
  console: z.object({ logStreamUrl: z.string(), logsInsightsUrl: z.string(), traceUrl: z.string().nullable() }),
});
export type InvocationDetail = z.infer<typeof InvocationDetail>;

export const InvocationDetailResponse = z.object({ data: InvocationDetail });
