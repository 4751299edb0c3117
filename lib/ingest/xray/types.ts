/** One trace as BatchGetTraces returns it (structurally the SDK's `Trace`). */
export interface XRayTraceInput {
  Id?: string;
  Duration?: number;
  Segments?: { Id?: string; Document?: string }[];
}

/** A segment, a subsegment, or a segment X-Ray inferred for a downstream service that sends none. */
export type SpanKind = "segment" | "subsegment" | "inferred";

export interface SpanRow {
  traceId: string;
  spanId: string;
  /** null for a root, and when the parent named by the document is not in the trace. */
  parentId: string | null;
  /** The parent id the document names when that parent is not in the trace: a caller outside it. */
  externalParentId: string | null;
  kind: SpanKind;
  name: string;
  origin: string | null;
  namespace: "aws" | "remote" | null;
  depth: number;
  /** ms epoch, microsecond precision (fractional). */
  startTime: number;
  endTime: number | null;
  /** From the earliest start in the trace. */
  startOffsetMs: number;
  durationMs: number | null;
  awsOperation: string | null;
  /** Table name, bucket, queue URL or name, function name, topic ARN... whichever the document names. */
  awsResource: string | null;
  httpMethod: string | null;
  httpUrl: string | null;
  httpStatus: number | null;
  sql: string | null;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  inProgress: boolean;
  inferred: boolean;
  /** aws.request_id of the Lambda service segment (AWS::Lambda) of the invocation this span belongs to. */
  requestId: string | null;
  /** The Lambda function whose invocation this span belongs to. */
  functionName: string | null;
  /** Its ARN without qualifier, when a document names it. */
  functionArn: string | null;
}

export interface SkippedSegment {
  traceId: string | null;
  /** The Segment's Id, or the id of a nested subsegment that was dropped with its children. */
  segmentId: string | null;
  reason: string;
}

export interface TracesToSpansResult {
  spans: SpanRow[];
  /** Malformed documents and subsegments; their count goes into the ingest run. */
  skipped: SkippedSegment[];
}
