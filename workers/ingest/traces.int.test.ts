import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountRow } from "../../lib/db/account-access";
import { syncResources } from "../../lib/db/resources";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { pullTraces } from "./traces";

// The sandbox's traces each stay within one function; a trace through two functions, and one that
// grows between reads, come from this stand-in for X-Ray's two read operations instead.
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const TRACE_ID = "1-69207f00-0123456789abcdef01234567";
const T = NOW / 1000 - 60;
const arn = (name: string, account = ACCOUNT) => `arn:aws:lambda:${REGION}:${account}:function:${name}`;

type Doc = Record<string, unknown>;
const gateway: Doc = { id: "gw", name: "shop/prod", origin: "AWS::ApiGateway::Stage", start_time: T, end_time: T + 1.5 };
const checkoutService: Doc = { id: "svcA", parent_id: "gw", name: "checkout", origin: "AWS::Lambda", resource_arn: arn("checkout"), aws: { request_id: "rA" }, start_time: T + 0.01, end_time: T + 1.4 };
const checkout: Doc = {
  id: "fnA", parent_id: "svcA", name: "checkout", origin: "AWS::Lambda::Function", aws: { function_arn: arn("checkout") }, start_time: T + 0.02, end_time: T + 1.3,
  subsegments: [
    { id: "callB", name: "Lambda", namespace: "aws", aws: { operation: "Invoke", function_name: "payments" }, start_time: T + 0.1, end_time: T + 1.2 },
    { id: "callC", name: "Lambda", namespace: "aws", aws: { operation: "Invoke", function_name: "fraud" }, start_time: T + 1.21, end_time: T + 1.29 },
  ],
};
const paymentsService: Doc = { id: "svcB", parent_id: "callB", name: "payments", origin: "AWS::Lambda", resource_arn: arn("payments"), aws: { request_id: "rB" }, start_time: T + 0.11, end_time: T + 1.1 };
const paymentsDone: Doc = {
  id: "fnB", parent_id: "svcB", name: "payments", origin: "AWS::Lambda::Function", aws: { function_arn: arn("payments") }, start_time: T + 0.12, end_time: T + 1,
  subsegments: [{ id: "ddb", name: "DynamoDB", namespace: "aws", aws: { operation: "PutItem", table_name: "payments" }, start_time: T + 0.2, end_time: T + 0.3 }],
};
const paymentsRunning: Doc = { ...paymentsDone, end_time: undefined, in_progress: true, subsegments: undefined };
// Another account's function of the same name as none of ours, reached through callC.
const fraudService: Doc = { id: "svcC", parent_id: "callC", name: "fraud", origin: "AWS::Lambda", resource_arn: arn("fraud", "999999999999"), aws: { request_id: "rC" }, start_time: T + 1.22, end_time: T + 1.28 };

let served: Doc[] = [];
let tdb: TestDatabase;
let db: pg.Pool;
let xray: Server;
let account: AccountRow;
let ids: Record<string, number>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  xray = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const body =
        req.url === "/TraceSummaries"
          ? { TraceSummaries: [{ Id: TRACE_ID }] }
          : { Traces: [{ Id: TRACE_ID, Segments: served.map((d) => ({ Id: String(d.id), Document: JSON.stringify(d) })) }], UnprocessedTraceIds: [] };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => xray.listen(0, "127.0.0.1", resolve));
  account = await createSandboxAccount(db, `http://127.0.0.1:${(xray.address() as AddressInfo).port}`);
  const fn = (name: string, tracingMode: string) => ({ kind: "lambda" as const, arn: arn(name), name, tags: {}, config: { functionName: name, tracingMode } });
  await syncResources(db, account.id, REGION, ["lambda"], [fn("checkout", "Active"), fn("payments", "PassThrough")]);
  const { rows } = await db.query<{ id: number; name: string }>("SELECT id, name FROM resources");
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
});

afterAll(async () => {
  await new Promise((resolve) => xray?.close(resolve));
  await db?.end();
  await tdb?.drop();
});

interface StoredSpan {
  span_id: string;
  parent_id: string | null;
  depth: number;
  start_offset_ms: number;
  duration_ms: number | null;
  in_progress: boolean;
  resource_id: number | null;
  kind: string | null;
  external_parent_id: string | null;
}

async function stored(): Promise<Record<string, StoredSpan>> {
  const { rows } = await db.query<StoredSpan>(
    "SELECT span_id, parent_id, depth, start_offset_ms, duration_ms, in_progress, resource_id, kind, external_parent_id FROM spans WHERE trace_id = $1 ORDER BY span_id",
    [TRACE_ID],
  );
  return Object.fromEntries(rows.map((r) => [r.span_id, r]));
}

describe("pullTraces over a trace through two functions", () => {
  it("updates a span first stored in progress and before its parent arrived", async () => {
    // First read: only the callee's segments have arrived, its function segment still running.
    served = [paymentsService, paymentsRunning];
    const first = await pullTraces(db, account, REGION, { now: NOW, lookbackMs: 10 * 60_000 });
    expect(first.problems).toEqual([]);
    expect(await stored()).toMatchObject({
      // Its caller's Invoke subsegment (callB) is not in the trace yet: kept as the caller outside it.
      svcB: { parent_id: null, external_parent_id: "callB", kind: "segment", depth: 0, start_offset_ms: 0 },
      fnB: { in_progress: true, duration_ms: null, depth: 1 },
    });

    served = [gateway, checkoutService, checkout, paymentsService, paymentsDone, fraudService];
    const second = await pullTraces(db, account, REGION, { now: NOW + 60_000 });
    expect(second.problems).toEqual([]);
    const spans = await stored();
    expect(spans.svcB).toMatchObject({ parent_id: "callB", external_parent_id: null, depth: 4 });
    expect(spans.callB).toMatchObject({ kind: "subsegment", external_parent_id: null });
    expect(spans.gw).toMatchObject({ kind: "segment", external_parent_id: null });
    expect(spans.svcB.start_offset_ms).toBeCloseTo(110, 3);
    expect(spans.fnB).toMatchObject({ in_progress: false, parent_id: "svcB", depth: 5 });
    expect(spans.fnB.duration_ms).toBeCloseTo(880, 3);
  });

  it("files each span under its own function, not the one polled", async () => {
    const resourceOf = Object.fromEntries(Object.entries(await stored()).map(([id, s]) => [id, s.resource_id]));
    expect(resourceOf).toEqual({
      // The gateway's segment names no function: it goes to the function polled.
      gw: ids.checkout,
      svcA: ids.checkout,
      fnA: ids.checkout,
      callB: ids.checkout,
      callC: ids.checkout,
      svcB: ids.payments,
      fnB: ids.payments,
      ddb: ids.payments,
      svcC: null,
    });
  });

  it("changes nothing when the same trace is read again", async () => {
    const before = await stored();
    const again = await pullTraces(db, account, REGION, { now: NOW + 120_000 });
    expect(again.counts.traces).toBe(1);
    expect(again.counts.spans).toBe(0);
    expect(await stored()).toEqual(before);
  });

  it("keeps a completed span when an older, in-progress copy is read", async () => {
    served = [paymentsService, paymentsRunning];
    await pullTraces(db, account, REGION, { now: NOW + 180_000 });
    expect((await stored()).fnB).toMatchObject({ in_progress: false, parent_id: "svcB" });
  });
});
