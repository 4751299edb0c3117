// BatchGetTraces accepts at most 5 trace ids per call.
export const MAX_TRACE_IDS_PER_CALL = 5;

/** GetTraceSummaries FilterExpression selecting the traces that ran one Lambda function. */
export function traceSummaryFilter(functionName: string): string {
  const quoted = functionName.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return `service(id(name: "${quoted}", type: "AWS::Lambda::Function"))`;
}

/** Distinct, non-empty trace ids in first-seen order, in groups for BatchGetTraces. */
export function chunkTraceIds(ids: readonly string[], size: number = MAX_TRACE_IDS_PER_CALL): string[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_TRACE_IDS_PER_CALL) {
    throw new RangeError(`BatchGetTraces takes 1 to ${MAX_TRACE_IDS_PER_CALL} trace ids, not ${size}`);
  }
  const unique = [...new Set(ids.filter((id) => id.length > 0))];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
  return chunks;
}
