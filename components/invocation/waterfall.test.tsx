import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { Waterfall } from "./waterfall";

type Span = InvocationDetail["spans"][number];

const span = (over: Partial<Span>): Span => ({
  traceId: "1-692ee0f0-0123456789abcdef01234567",
  spanId: "s",
  parentId: null,
  externalParentId: null,
  kind: "segment",
  name: "checkout",
  origin: "AWS::Lambda::Function",
  namespace: null,
  depth: 0,
  startTime: "2026-12-02T12:00:00.000Z",
  startOffsetMs: 0,
  durationMs: 100,
  awsOperation: null,
  awsResource: null,
  httpMethod: null,
  httpUrl: null,
  httpStatus: null,
  sql: null,
  error: false,
  fault: false,
  throttle: false,
  inProgress: false,
  inferred: false,
  ...over,
});

describe("Waterfall", () => {
  it("badges each span with its kind and marks a span called from outside the trace", () => {
    const html = renderToStaticMarkup(
      createElement(Waterfall, {
        spans: [
          span({ spanId: "fn", externalParentId: "53995c3f42cd8ad8" }),
          span({ spanId: "ddb", parentId: "fn", kind: "subsegment", name: "DynamoDB", depth: 1, startOffsetMs: 10, durationMs: 20 }),
          span({ spanId: "tbl", parentId: "ddb", kind: "inferred", inferred: true, name: "orders", depth: 2, startOffsetMs: 10, durationMs: 20 }),
        ],
      }),
    );
    const kinds = [...html.matchAll(/data-testid="span-kind"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(kinds).toEqual(["seg", "sub", "inf"]);
    expect(html.match(/data-testid="span-external-caller"/g)).toHaveLength(1);
    expect(html).toContain("called from outside this trace");
    expect(html).toContain('title="Called from 53995c3f42cd8ad8, outside this trace"');
  });
});
