export type { SkippedSegment, SpanKind, SpanRow, TracesToSpansResult, XRayTraceInput } from "./types";
export { tracesToSpans } from "./spans";
export { MAX_TRACE_IDS_PER_CALL, chunkTraceIds, traceSummaryFilter } from "./queries";
export { spanResourceIds, type KnownFunction, type SpanScope } from "./resources";
