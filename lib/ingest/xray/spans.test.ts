import { describe, expect, it } from "vitest";
import { loadTraces } from "./__fixtures__/load";
import { chunkTraceIds, traceSummaryFilter, tracesToSpans, type SpanRow, type XRayTraceInput } from "./index";

const T2 = "1-665af120-9b1c2d3e4f5a6b7c8d9e0f1a";
const T3 = "1-665af15c-0a1b2c3d4e5f6a7b8c9d0e1f";
const RID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
const RID3 = "7d2e4f61-0b8a-4c3d-9e5f-6a7b8c9d0e1f";
const SCOREKEEP = "1-59602603-23fc5b688855d396af79b496";
const SCOREKEEP_RID = "ac086670-6373-11e7-a174-f31b3397f190";

function byId(spans: SpanRow[]): Map<string, SpanRow> {
  return new Map(spans.map((s) => [s.spanId, s]));
}

function span(spans: SpanRow[], id: string): SpanRow {
  const found = spans.filter((s) => s.spanId === id);
  expect(found).toHaveLength(1);
  return found[0];
}

/** [spanId, parentId, depth, startOffsetMs, durationMs] */
function shape(spans: SpanRow[], traceId: string) {
  return spans.filter((s) => s.traceId === traceId).map((s) => [s.spanId, s.parentId, s.depth, s.startOffsetMs, s.durationMs]);
}

describe("a Lambda invocation with downstream calls", () => {
  const { spans, skipped } = tracesToSpans(loadTraces("lambda-downstream"));

  it("links segments, subsegments, separately sent and inferred segments with depth, offset and duration", () => {
    expect(shape(spans, T2)).toEqual([
      ["4a3c5e2f6b7d8e9a", null, 0, 0, 911],
      ["1d2c3b4a5f6e7d8c", "5b4d6f3a7c8e9f0b", 2, 19, 128],
      ["5b4d6f3a7c8e9f0b", "4a3c5e2f6b7d8e9a", 1, 149, 755],
      ["6c5e7a4b8d9f0a1c", "5b4d6f3a7c8e9f0b", 2, 149, 730],
      ["2e3f4a5b6c7d8e9f", "6c5e7a4b8d9f0a1c", 3, 159.3, 11.8],
      ["c2d3e4f5a6b7c8d9", "2e3f4a5b6c7d8e9f", 4, 159.3, 11.8],
      ["3f4a5b6c7d8e9fa0", "6c5e7a4b8d9f0a1c", 3, 174, 35],
      ["4a5b6c7d8e9fa0b1", "6c5e7a4b8d9f0a1c", 3, 214, 85.5],
      ["5b6c7d8e9fa0b1c2", "6c5e7a4b8d9f0a1c", 3, 304, 25],
      ["6c7d8e9fa0b1c2d3", "6c5e7a4b8d9f0a1c", 3, 334, 275],
      ["d3e4f5a6b7c8d9e0", "6c7d8e9fa0b1c2d3", 4, 334, 275],
      ["7d8e9fa0b1c2d3e4", "6c5e7a4b8d9f0a1c", 3, 614, 25],
      ["8e9fa0b1c2d3e4f5", "6c5e7a4b8d9f0a1c", 3, 644, null],
      ["a0b1c2d3e4f5a6b7", "6c5e7a4b8d9f0a1c", 3, 699, 60],
      ["b1c2d3e4f5a6b7c8", "a0b1c2d3e4f5a6b7", 4, 701, 56],
      ["9fa0b1c2d3e4f5a6", "5b4d6f3a7c8e9f0b", 2, 879, 25],
    ]);
  });

  it("keeps start and end times to the microsecond of the documents", () => {
    const getItem = span(spans, "2e3f4a5b6c7d8e9f");
    expect(getItem.startTime).toBe(1717236000160.3);
    expect(getItem.endTime).toBe(1717236000172.1);
    expect(span(spans, "4a3c5e2f6b7d8e9a").startTime).toBe(1717236000001);
  });

  it("gives the service segment's request id and the function name to every span of the invocation", () => {
    for (const s of spans.filter((x) => x.traceId === T2)) {
      expect(s.requestId).toBe(RID);
      expect(s.functionName).toBe("orders-api");
    }
    for (const s of spans.filter((x) => x.traceId === T3)) expect(s.requestId).toBe(RID3);
  });

  it("reads origin, the Lambda service and function segments", () => {
    expect(span(spans, "4a3c5e2f6b7d8e9a")).toMatchObject({ name: "orders-api", origin: "AWS::Lambda", httpStatus: 200, namespace: null });
    expect(span(spans, "5b4d6f3a7c8e9f0b")).toMatchObject({ origin: "AWS::Lambda::Function", awsResource: "orders-api" });
    expect(span(spans, "1d2c3b4a5f6e7d8c")).toMatchObject({ name: "Initialization", origin: null, namespace: null });
  });

  it("reads DynamoDB GetItem and the inferred table segment", () => {
    expect(span(spans, "2e3f4a5b6c7d8e9f")).toMatchObject({
      name: "DynamoDB",
      namespace: "aws",
      awsOperation: "GetItem",
      awsResource: "orders",
      httpStatus: 200,
      error: false,
      fault: false,
      throttle: false,
      inferred: false,
    });
    expect(span(spans, "c2d3e4f5a6b7c8d9")).toMatchObject({ inferred: true, origin: "AWS::DynamoDB::Table", awsResource: "orders" });
  });

  it("reads a throttled call", () => {
    expect(span(spans, "3f4a5b6c7d8e9fa0")).toMatchObject({
      awsOperation: "PutItem",
      awsResource: "orders",
      httpStatus: 429,
      error: true,
      throttle: true,
      fault: false,
    });
  });

  it("reads S3 PutObject, SQS SendMessage and SNS Publish resources", () => {
    expect(span(spans, "4a5b6c7d8e9fa0b1")).toMatchObject({ name: "S3", awsOperation: "PutObject", awsResource: "orders-archive" });
    expect(span(spans, "5b6c7d8e9fa0b1c2")).toMatchObject({
      awsOperation: "SendMessage",
      awsResource: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue",
    });
    expect(span(spans, "b1c2d3e4f5a6b7c8")).toMatchObject({ awsOperation: "Publish", awsResource: "arn:aws:sns:us-east-1:123456789012:receipts" });
  });

  it("reads a remote HTTP call that faulted with 500, and its inferred segment", () => {
    expect(span(spans, "6c7d8e9fa0b1c2d3")).toMatchObject({
      namespace: "remote",
      httpMethod: "POST",
      httpUrl: "https://payments.example.com/v1/charges",
      httpStatus: 500,
      fault: true,
      error: false,
      awsOperation: null,
      awsResource: null,
    });
    expect(span(spans, "d3e4f5a6b7c8d9e0")).toMatchObject({ inferred: true, fault: true, httpStatus: 500, origin: null });
  });

  it("reads the sanitized SQL query", () => {
    expect(span(spans, "7d8e9fa0b1c2d3e4")).toMatchObject({
      name: "orders@db.example.internal",
      namespace: "remote",
      sql: "SELECT * FROM orders WHERE customer_id = ?;",
      httpUrl: null,
    });
  });

  it("keeps an in-progress subsegment without end, and lets a completed document replace an in-progress one", () => {
    expect(span(spans, "8e9fa0b1c2d3e4f5")).toMatchObject({ inProgress: true, endTime: null, durationMs: null });
    expect(span(spans, "a0b1c2d3e4f5a6b7")).toMatchObject({ inProgress: false, endTime: 1717236000760, durationMs: 60 });
  });

  it("skips and lists a truncated document", () => {
    expect(skipped).toEqual([{ traceId: T2, segmentId: "e4f5a6b7c8d9e0f1", reason: "document is not a JSON object" }]);
  });

  it("handles a warm invocation whose function segment comes before its service segment", () => {
    expect(shape(spans, T3)).toEqual([
      ["0f1e2d3c4b5a6978", null, 0, 0, 30.7],
      ["1e2d3c4b5a697887", "0f1e2d3c4b5a6978", 1, 1.6, 27.7],
      ["2d3c4b5a69788796", "1e2d3c4b5a697887", 2, 1.7, 22.9],
      ["3c4b5a6978879605", "1e2d3c4b5a697887", 2, 24.6, 4.6],
    ]);
  });

  it("sorts by start time, then depth", () => {
    for (let i = 1; i < spans.length; i++) {
      const [a, b] = [spans[i - 1], spans[i]];
      expect(a.startTime < b.startTime || (a.startTime === b.startTime && a.depth <= b.depth)).toBe(true);
    }
    expect(spans).toHaveLength(16 + 4);
  });

  it("gives the same spans for the same traces read twice or in another order", () => {
    const traces = loadTraces("lambda-downstream");
    const reversed = traces.map((t) => ({ ...t, Segments: [...(t.Segments ?? [])].reverse() })).reverse();
    expect(tracesToSpans([...traces, ...reversed]).spans).toEqual(spans);
  });
});

describe("the X-Ray developer guide's BatchGetTraces example", () => {
  const { spans, skipped } = tracesToSpans(loadTraces("scorekeep-lambda"));

  it("nests the Lambda service segment under the caller's Invoke subsegment and inferred segments under their subsegments", () => {
    expect(skipped).toEqual([]);
    expect(shape(spans, SCOREKEEP)).toEqual([
      ["194fcc8747581230", null, 0, 0, 3232],
      ["0c544c1b1bbff948", "194fcc8747581230", 1, 67, 2943],
      ["1fb07842d944e714", "0c544c1b1bbff948", 2, 115, 2895],
      ["2279c0030c955e52", "00f91aa01f4984fd", 4, 502, 755],
      ["00f91aa01f4984fd", "1fb07842d944e714", 3, 1268, 1740],
      ["e6d2fe619f827804", "00f91aa01f4984fd", 4, 1450, 57],
      ["b29b548af4d54a0f", "00f91aa01f4984fd", 4, 1550, 959],
      ["1ee3c4a523f89ca5", "b29b548af4d54a0f", 5, 1550, 959],
      ["071684f2e555e571", "194fcc8747581230", 1, 3019, 188],
      ["4cd3f10b76c624b4", "071684f2e555e571", 2, 3128, 79],
      ["17ba309b32c7fbaf", "4cd3f10b76c624b4", 3, 3128, 79],
    ]);
  });

  it("gives the request id to the invocation's spans only, not to the caller", () => {
    const rows = byId(spans);
    for (const id of ["1fb07842d944e714", "00f91aa01f4984fd", "2279c0030c955e52", "e6d2fe619f827804", "b29b548af4d54a0f", "1ee3c4a523f89ca5"]) {
      expect(rows.get(id)).toMatchObject({ requestId: SCOREKEEP_RID, functionName: "random-name" });
    }
    for (const id of ["194fcc8747581230", "0c544c1b1bbff948", "071684f2e555e571", "4cd3f10b76c624b4", "17ba309b32c7fbaf"]) {
      expect(rows.get(id)).toMatchObject({ requestId: null, functionName: null });
    }
  });

  it("reads the Invoke call and the EB segment's request", () => {
    expect(span(spans, "0c544c1b1bbff948")).toMatchObject({ namespace: "aws", awsOperation: "Invoke", awsResource: "random-name", httpStatus: 200 });
    expect(span(spans, "194fcc8747581230")).toMatchObject({
      origin: "AWS::ElasticBeanstalk::Environment",
      httpMethod: "POST",
      httpUrl: "http://scorekeep.elasticbeanstalk.com/api/user",
      awsResource: null,
    });
    expect(span(spans, "17ba309b32c7fbaf")).toMatchObject({ inferred: true, origin: "AWS::DynamoDB::Table", awsOperation: "UpdateItem", awsResource: "scorekeep-user" });
  });
});

describe("span kinds and callers outside the trace", () => {
  const kinds = (name: string) => Object.fromEntries(tracesToSpans(loadTraces(name)).spans.map((s) => [s.spanId, s.kind]));

  it("keeps each span's kind: segment, subsegment (nested or sent alone) or inferred", () => {
    expect(kinds("lambda-downstream")).toMatchObject({
      "4a3c5e2f6b7d8e9a": "segment",
      "5b4d6f3a7c8e9f0b": "segment",
      "1d2c3b4a5f6e7d8c": "subsegment",
      // Sent as a document of its own with `type: "subsegment"`.
      a0b1c2d3e4f5a6b7: "subsegment",
      c2d3e4f5a6b7c8d9: "inferred",
      d3e4f5a6b7c8d9e0: "inferred",
    });
    expect(kinds("scorekeep-lambda")).toMatchObject({
      "194fcc8747581230": "segment",
      "0c544c1b1bbff948": "subsegment",
      "1fb07842d944e714": "segment",
      "17ba309b32c7fbaf": "inferred",
      "1ee3c4a523f89ca5": "inferred",
    });
  });

  it("keeps a parent id that is not in the trace (a caller outside it) and still roots the span", () => {
    const { spans } = tracesToSpans(loadTraces("lambda-downstream"));
    expect(span(spans, "4a3c5e2f6b7d8e9a")).toMatchObject({ parentId: null, externalParentId: "9a8b7c6d5e4f3a2b", depth: 0 });
    expect(spans.filter((s) => s.externalParentId !== null).map((s) => s.spanId)).toEqual(["4a3c5e2f6b7d8e9a"]);
    // The developer guide's trace starts at its Elastic Beanstalk segment, which names no parent.
    expect(tracesToSpans(loadTraces("scorekeep-lambda")).spans.every((s) => s.externalParentId === null)).toBe(true);
  });

  it("a separately sent subsegment whose segment has not arrived keeps its parent id until it does", () => {
    const seg = { id: "70f1e2d3c4b5a697", name: "orders-api", origin: "AWS::Lambda::Function", start_time: 1717236000, end_time: 1717236001 };
    const sub = { id: "80f1e2d3c4b5a697", name: "## charge", type: "subsegment", parent_id: seg.id, trace_id: "1-665af120-000000000000000000000002", start_time: 1717236000.1, end_time: 1717236000.5 };
    const trace = (docs: object[]): XRayTraceInput => ({ Id: sub.trace_id, Segments: docs.map((d) => ({ Document: JSON.stringify(d) })) });
    expect(span(tracesToSpans([trace([sub])]).spans, sub.id)).toMatchObject({ kind: "subsegment", parentId: null, externalParentId: seg.id });
    expect(span(tracesToSpans([trace([sub, seg])]).spans, sub.id)).toMatchObject({ kind: "subsegment", parentId: seg.id, externalParentId: null });
  });
});

describe("malformed and unusual documents", () => {
  const trace = (segments: (object | string)[], id = "1-665af120-000000000000000000000001"): XRayTraceInput => ({
    Id: id,
    Segments: segments.map((s, i) => ({ Id: `seg${i}`, Document: typeof s === "string" ? s : JSON.stringify(s) })),
  });

  it("skips documents that are not JSON objects or lack required fields, and malformed nested subsegments", () => {
    const { spans, skipped } = tracesToSpans([
      trace([
        "not json",
        "[1,2]",
        { name: "no-id", start_time: 1 },
        { id: "a", name: "ok", start_time: 1, end_time: 2, subsegments: [{ id: "b", start_time: 1 }, 7, { id: "c", name: "c", start_time: 1.5, end_time: 1.6 }] },
      ]),
      { Segments: [{ Id: "x", Document: JSON.stringify({ id: "x", name: "x", start_time: 1 }) }] },
    ]);
    expect(spans.map((s) => s.spanId)).toEqual(["a", "c"]);
    expect(skipped.map((s) => [s.segmentId, s.reason])).toEqual([
      ["seg0", "document is not a JSON object"],
      ["seg1", "document is not a JSON object"],
      ["seg2", "segment without id, name or start_time"],
      ["b", "segment without id, name or start_time"],
      [null, "subsegment of a is not an object"],
      ["x", "document without a trace id"],
    ]);
  });

  it("takes the trace id from the document when the trace has none", () => {
    const { spans } = tracesToSpans([{ Segments: [{ Document: JSON.stringify({ id: "a", name: "a", trace_id: "1-1-1", start_time: 1, end_time: 2 }) }] }]);
    expect(spans[0].traceId).toBe("1-1-1");
  });

  it("cuts a parent_id cycle at its earliest member", () => {
    const { spans } = tracesToSpans([
      trace([
        { id: "a", name: "a", start_time: 10, end_time: 11, parent_id: "b" },
        { id: "b", name: "b", start_time: 10.5, end_time: 11, parent_id: "a" },
        { id: "s", name: "s", start_time: 9, end_time: 12, parent_id: "s" },
      ]),
    ]);
    expect(spans.map((s) => [s.spanId, s.parentId, s.depth, s.startOffsetMs])).toEqual([
      ["s", null, 0, 0],
      ["a", null, 0, 1000],
      ["b", "a", 1, 1500],
    ]);
  });

  it("treats a missing end_time as in progress and ignores non-boolean flags and non-numeric status", () => {
    const { spans } = tracesToSpans([
      trace([{ id: "a", name: "a", start_time: 1, error: "true", fault: 1, http: { response: { status: "500" } }, namespace: "local" }]),
    ]);
    expect(spans[0]).toMatchObject({ inProgress: true, endTime: null, error: false, fault: false, httpStatus: null, namespace: null });
  });

  it("finds the request id of a function segment whose parent link is missing from the one service segment spanning it", () => {
    const arn = "arn:aws:lambda:eu-west-1:123456789012:function:billing:live";
    const { spans } = tracesToSpans([
      trace([
        { id: "svc", name: "billing", origin: "AWS::Lambda", resource_arn: arn, aws: { request_id: "r-1" }, start_time: 100, end_time: 101 },
        {
          id: "fn",
          name: "billing",
          origin: "AWS::Lambda::Function",
          aws: { function_arn: arn },
          start_time: 100.1,
          end_time: 100.9,
          subsegments: [{ id: "inv", name: "Invocation", start_time: 100.1, end_time: 100.8 }],
        },
        { id: "other", name: "other", origin: "AWS::Lambda::Function", start_time: 100.2, end_time: 100.3 },
      ]),
    ]);
    const rows = byId(spans);
    expect(rows.get("fn")).toMatchObject({ parentId: null, depth: 0, requestId: "r-1", functionName: "billing" });
    expect(rows.get("inv")).toMatchObject({ requestId: "r-1", functionName: "billing" });
    expect(rows.get("other")).toMatchObject({ requestId: null, functionName: "other" });
    // The qualifier (alias "live") is dropped: resources are known by their unqualified ARN.
    for (const id of ["svc", "fn", "inv"]) expect(rows.get(id)!.functionArn).toBe("arn:aws:lambda:eu-west-1:123456789012:function:billing");
    expect(rows.get("other")!.functionArn).toBeNull();
  });

  it("returns nothing for nothing", () => {
    expect(tracesToSpans([])).toEqual({ spans: [], skipped: [] });
    expect(tracesToSpans([{ Id: "1-2-3" }])).toEqual({ spans: [], skipped: [] });
  });
});

describe("trace queries", () => {
  it("filters trace summaries on the function node", () => {
    expect(traceSummaryFilter("orders-api")).toBe('service(id(name: "orders-api", type: "AWS::Lambda::Function"))');
    expect(traceSummaryFilter('we"ird\\')).toBe('service(id(name: "we\\"ird\\\\", type: "AWS::Lambda::Function"))');
  });

  it("chunks distinct trace ids by five for BatchGetTraces", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `1-665af120-${String(i).padStart(24, "0")}`);
    const chunks = chunkTraceIds([...ids, ids[0], ""]);
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(chunks.flat()).toEqual(ids);
    expect(chunkTraceIds(ids, 3)).toHaveLength(4);
    expect(chunkTraceIds([])).toEqual([]);
    expect(() => chunkTraceIds(ids, 6)).toThrow(RangeError);
    expect(() => chunkTraceIds(ids, 0)).toThrow(RangeError);
  });
});
