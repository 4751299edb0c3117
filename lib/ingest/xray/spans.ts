import {
  asDoc,
  awsResourceOf,
  lambdaFunctionArn,
  lambdaFunctionName,
  lambdaServiceFunctionArn,
  lambdaServiceFunctionName,
  num,
  path,
  str,
  toMicros,
  type Doc,
} from "./document";
import type { SkippedSegment, SpanKind, SpanRow, TracesToSpansResult, XRayTraceInput } from "./types";

interface Node {
  id: string;
  doc: Doc;
  /** parent_id of a document, or the id of the (sub)segment it is nested in. */
  parentRef: string | null;
  /** Nested in another document's subsegments, rather than sent as a document of its own. */
  nested: boolean;
  startUs: number;
  endUs: number | null;
  order: number;
}

interface Invocation {
  requestId: string | null;
  functionName: string | null;
  functionArn: string | null;
}

const NONE: Invocation = { requestId: null, functionName: null, functionArn: null };

/**
 * BatchGetTraces traces -> one span per segment, subsegment and inferred segment.
 *
 * Subsegments nested in a document and documents sent separately (`type: "subsegment"`) link by
 * id, as do segments whose `parent_id` names a subsegment of another document (a Lambda service
 * segment under its caller's Invoke subsegment). A parent that is not in the trace makes a root
 * that keeps the parent's id (a caller outside the trace) in externalParentId.
 * Each span keeps its kind: a segment, a subsegment (nested, or sent alone with `type: "subsegment"`),
 * or a segment X-Ray inferred for a downstream service (`inferred: true`).
 * The same id seen twice (an in-progress document and its completed version, or one trace in two
 * answers) is one span, the completed version winning.
 * The request id of a Lambda service segment (origin AWS::Lambda) is given to its function segment
 * (AWS::Lambda::Function) and everything below it.
 * A document that is not JSON or lacks id, name or start_time is skipped and listed; a malformed
 * nested subsegment is skipped with its children.
 * Spans come sorted by start time, then depth.
 */
export function tracesToSpans(traces: readonly XRayTraceInput[]): TracesToSpansResult {
  const skipped: SkippedSegment[] = [];
  const byTrace = new Map<string, Map<string, Node>>();
  let order = 0;

  const collect = (nodes: Map<string, Node>, traceId: string, doc: Doc, parentRef: string | null, segmentId: string | null, nested: boolean) => {
    const id = str(doc.id);
    const start = num(doc.start_time);
    if (!id || typeof doc.name !== "string" || start === null) {
      skipped.push({ traceId, segmentId: id ?? segmentId, reason: "segment without id, name or start_time" });
      return;
    }
    const end = num(doc.end_time);
    const node: Node = { id, doc, parentRef, nested, startUs: toMicros(start), endUs: end === null ? null : toMicros(end), order: order++ };
    const existing = nodes.get(id);
    if (!existing) nodes.set(id, node);
    else if (existing.endUs === null && node.endUs !== null) nodes.set(id, { ...node, order: existing.order });
    const subsegments = doc.subsegments;
    if (!Array.isArray(subsegments)) return;
    for (const sub of subsegments) {
      const subDoc = asDoc(sub);
      if (subDoc) collect(nodes, traceId, subDoc, id, null, true);
      else skipped.push({ traceId, segmentId: null, reason: `subsegment of ${id} is not an object` });
    }
  };

  for (const trace of traces) {
    for (const segment of trace.Segments ?? []) {
      let doc: Doc | null = null;
      try {
        doc = asDoc(JSON.parse(segment.Document ?? ""));
      } catch {
        doc = null;
      }
      const traceId = str(trace.Id) ?? (doc ? str(doc.trace_id) : null);
      if (!doc || !traceId) {
        skipped.push({
          traceId,
          segmentId: str(segment.Id),
          reason: doc ? "document without a trace id" : "document is not a JSON object",
        });
        continue;
      }
      let nodes = byTrace.get(traceId);
      if (!nodes) byTrace.set(traceId, (nodes = new Map()));
      collect(nodes, traceId, doc, str(doc.parent_id), str(segment.Id), false);
    }
  }

  const spans: SpanRow[] = [];
  for (const [traceId, nodes] of byTrace) spans.push(...linkTrace(traceId, nodes));
  spans.sort(
    (a, b) =>
      a.startTime - b.startTime ||
      a.depth - b.depth ||
      compare(a.traceId, b.traceId) ||
      compare(a.spanId, b.spanId),
  );
  return { spans, skipped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function linkTrace(traceId: string, nodes: Map<string, Node>): SpanRow[] {
  const byStart = [...nodes.values()].sort((a, b) => a.startUs - b.startUs || a.order - b.order);
  const parentOf = new Map<string, string | null>();
  const children = new Map<string, Node[]>();
  for (const node of byStart) {
    const ref = node.parentRef;
    const parent = ref !== null && ref !== node.id && nodes.has(ref) ? ref : null;
    parentOf.set(node.id, parent);
    if (parent !== null) {
      const list = children.get(parent);
      if (list) list.push(node);
      else children.set(parent, [node]);
    }
  }
  const minStartUs = byStart.length ? byStart[0].startUs : 0;
  const services = byStart
    .filter((n) => n.doc.origin === "AWS::Lambda")
    .map((n) => ({ node: n, ...serviceInvocation(n.doc) }));

  const functionInvocation = (node: Node, parent: Invocation): Invocation => {
    const functionName = lambdaFunctionName(node.doc);
    const ownArn = lambdaFunctionArn(node.doc);
    if (parent.functionName === functionName && parent.requestId) {
      return { requestId: parent.requestId, functionName, functionArn: ownArn ?? parent.functionArn };
    }
    // Without a linked service segment, take the one service segment of this function that spans it.
    const candidates = services.filter(
      (s) =>
        s.functionName === functionName &&
        s.requestId !== null &&
        s.node.startUs <= node.startUs &&
        (s.node.endUs === null || s.node.endUs >= node.startUs),
    );
    const only = candidates.length === 1 ? candidates[0] : null;
    return { requestId: only?.requestId ?? null, functionName, functionArn: ownArn ?? only?.functionArn ?? null };
  };

  const rows: SpanRow[] = [];
  const visited = new Set<string>();
  const walk = (root: Node) => {
    const queue: [Node, number, Invocation][] = [[root, 0, NONE]];
    for (let i = 0; i < queue.length; i++) {
      const [node, depth, above] = queue[i];
      if (visited.has(node.id)) continue;
      visited.add(node.id);
      const origin = node.doc.origin;
      const invocation =
        origin === "AWS::Lambda"
          ? serviceInvocation(node.doc)
          : origin === "AWS::Lambda::Function"
            ? functionInvocation(node, above)
            : above;
      rows.push(toRow(traceId, node, parentOf.get(node.id) ?? null, externalParent(node, nodes), depth, invocation, minStartUs));
      for (const child of children.get(node.id) ?? []) queue.push([child, depth + 1, invocation]);
    }
  };

  for (const node of byStart) if (parentOf.get(node.id) === null) walk(node);
  // Whatever is left hangs off a parent_id cycle: cut it at its earliest member.
  for (const node of byStart) {
    if (visited.has(node.id)) continue;
    parentOf.set(node.id, null);
    walk(node);
  }
  return rows;
}

/** The parent a document names when that parent is not in the trace. */
function externalParent(node: Node, nodes: Map<string, Node>): string | null {
  const ref = node.parentRef;
  return ref !== null && ref !== node.id && !nodes.has(ref) ? ref : null;
}

function kindOf(node: Node): SpanKind {
  if (node.doc.inferred === true) return "inferred";
  return node.nested || node.doc.type === "subsegment" ? "subsegment" : "segment";
}

function serviceInvocation(doc: Doc): Invocation {
  return { requestId: str(path(doc, "aws", "request_id")), functionName: lambdaServiceFunctionName(doc), functionArn: lambdaServiceFunctionArn(doc) };
}

function toRow(
  traceId: string,
  node: Node,
  parentId: string | null,
  externalParentId: string | null,
  depth: number,
  invocation: Invocation,
  minStartUs: number,
): SpanRow {
  const { doc } = node;
  const namespace = doc.namespace === "aws" || doc.namespace === "remote" ? doc.namespace : null;
  const status = num(path(doc, "http", "response", "status"));
  return {
    traceId,
    spanId: node.id,
    parentId,
    externalParentId,
    kind: kindOf(node),
    name: doc.name as string,
    origin: str(doc.origin),
    namespace,
    depth,
    startTime: node.startUs / 1000,
    endTime: node.endUs === null ? null : node.endUs / 1000,
    startOffsetMs: (node.startUs - minStartUs) / 1000,
    durationMs: node.endUs === null ? null : (node.endUs - node.startUs) / 1000,
    awsOperation: str(path(doc, "aws", "operation")),
    awsResource: awsResourceOf(doc),
    httpMethod: str(path(doc, "http", "request", "method")),
    httpUrl: str(path(doc, "http", "request", "url")),
    httpStatus: status !== null && Number.isInteger(status) ? status : null,
    sql: str(path(doc, "sql", "sanitized_query")),
    error: doc.error === true,
    fault: doc.fault === true,
    throttle: doc.throttle === true,
    inProgress: node.endUs === null,
    inferred: doc.inferred === true,
    requestId: invocation.requestId,
    functionName: invocation.functionName,
    functionArn: invocation.functionArn,
  };
}
