import { describe, expect, it } from "vitest";
import { spanResourceIds, tracesToSpans, type KnownFunction } from "./index";

const ACCOUNT = "123456789012";
const arn = (name: string, account = ACCOUNT, region = "us-east-1") => `arn:aws:lambda:${region}:${account}:function:${name}`;
const functions: KnownFunction[] = [
  { id: 1, name: "checkout", arn: arn("checkout") },
  { id: 2, name: "payments", arn: arn("payments") },
];
const scope = { region: "us-east-1", accountId: ACCOUNT };

describe("spanResourceIds", () => {
  it("gives the spans of a function the callee invoked to the callee, not to the polled caller", () => {
    const doc = (d: Record<string, unknown>) => ({ Id: String(d.id), Document: JSON.stringify(d) });
    const { spans } = tracesToSpans([
      {
        Id: "1-6740a000-000000000000000000000001",
        Segments: [
          doc({ id: "gw", name: "shop/prod", origin: "AWS::ApiGateway::Stage", start_time: 100, end_time: 101.5 }),
          doc({ id: "svcA", parent_id: "gw", name: "checkout", origin: "AWS::Lambda", resource_arn: arn("checkout"), aws: { request_id: "rA" }, start_time: 100.01, end_time: 101.4 }),
          doc({
            id: "fnA", parent_id: "svcA", name: "checkout", origin: "AWS::Lambda::Function", aws: { function_arn: arn("checkout") }, start_time: 100.02, end_time: 101.3,
            subsegments: [{ id: "callB", name: "Lambda", namespace: "aws", aws: { operation: "Invoke", function_name: "payments" }, start_time: 100.1, end_time: 101.2 }],
          }),
          doc({ id: "svcB", parent_id: "callB", name: "payments", origin: "AWS::Lambda", resource_arn: `${arn("payments")}:live`, aws: { request_id: "rB" }, start_time: 100.11, end_time: 101.1 }),
          doc({
            id: "fnB", parent_id: "svcB", name: "payments", origin: "AWS::Lambda::Function", start_time: 100.12, end_time: 101,
            subsegments: [{ id: "ddb", name: "DynamoDB", namespace: "aws", aws: { operation: "PutItem", table_name: "payments" }, start_time: 100.2, end_time: 100.3 }],
          }),
        ],
      },
    ]);
    const ids = spanResourceIds(spans, functions, scope, 1);
    const of = Object.fromEntries(spans.map((s, i) => [s.spanId, ids[i]]));
    expect(of).toEqual({ gw: 1, svcA: 1, fnA: 1, callB: 1, svcB: 2, fnB: 2, ddb: 2 });
  });

  it("matches by ARN, else by name in this account and region; an unknown function gets no resource", () => {
    const span = (functionName: string | null, functionArn: string | null) => ({ functionName, functionArn });
    expect(
      spanResourceIds(
        [
          span("payments", `${arn("payments")}:7`),
          span("payments", null),
          span(null, null),
          span("payments", arn("payments", "999999999999")),
          span("payments", arn("payments", ACCOUNT, "eu-west-1")),
          span("refunds", arn("refunds")),
          span("refunds", null),
        ],
        functions,
        scope,
        1,
      ),
    ).toEqual([2, 2, 1, null, null, null, null]);
    expect(spanResourceIds([span(null, null)], functions, scope, null)).toEqual([null]);
    // Account id unknown: a same-region ARN may still match by name.
    expect(spanResourceIds([span("payments", arn("payments", "999999999999"))], functions, { region: "us-east-1", accountId: null }, 1)).toEqual([2]);
  });
});
