import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AccountRow } from "../../lib/db/account-access";
import { syncResources } from "../../lib/db/resources";
import { writeLambdaBatch } from "../../lib/db/lambda-writer";
import { getInvocation } from "../../lib/db/queries/invocation";
import { getTraceCoverage } from "../../lib/db/trace-scans";
import { parseLambdaLogEvents } from "../../lib/ingest/lambda-logs";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { pullTraces } from "./traces";

// A stand-in for X-Ray's two read operations that pages summaries two at a time and records every
// request, so the order of windows and where a restart resumes can be checked.
const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const REGION = "us-east-1";
const FN = "checkout";
const PAGE = 2;

interface FakeTrace {
  id: string;
  start: number;
}
interface SummaryRequest {
  from: number;
  to: number;
  token: string | null;
}

let traces: FakeTrace[] = [];
let requests: SummaryRequest[] = [];
let batchCalls = 0;
let failBatchCall: number | null = null;

const traceId = (n: number) => `1-${Math.floor(NOW / 1000).toString(16)}-${String(n).padStart(24, "0")}`;
const doc = (t: FakeTrace) => ({ id: `seg${t.id.slice(-6)}`, trace_id: t.id, name: FN, origin: "AWS::Lambda::Function", start_time: t.start / 1000, end_time: t.start / 1000 + 0.2 });

let tdb: TestDatabase;
let db: pg.Pool;
let xray: Server;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  xray = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as { StartTime?: number; EndTime?: number; NextToken?: string; TraceIds?: string[] };
      const send = (status: number, payload: unknown, type?: string) =>
        res.writeHead(status, { "content-type": "application/json", ...(type ? { "x-amzn-errortype": type } : {}) }).end(JSON.stringify(payload));
      if (req.url === "/TraceSummaries") {
        const from = body.StartTime! * 1000;
        const to = body.EndTime! * 1000;
        requests.push({ from, to, token: body.NextToken ?? null });
        const all = traces.filter((t) => t.start >= from && t.start < to).sort((a, b) => a.start - b.start);
        const offset = body.NextToken ? Number(/^page(\d+)$/.exec(body.NextToken)?.[1] ?? NaN) : 0;
        if (Number.isNaN(offset)) return send(400, { message: "Invalid NextToken" }, "InvalidRequestException");
        const next = offset + PAGE < all.length ? `page${offset + PAGE}` : undefined;
        return send(200, { TraceSummaries: all.slice(offset, offset + PAGE).map((t) => ({ Id: t.id })), NextToken: next });
      }
      batchCalls++;
      // A request the SDK does not retry: the pass stops there, as a killed worker would.
      if (failBatchCall === batchCalls) return send(400, { message: "stopped here" }, "InvalidRequestException");
      const found = traces.filter((t) => body.TraceIds!.includes(t.id));
      send(200, { Traces: found.map((t) => ({ Id: t.id, Segments: [{ Id: doc(t).id, Document: JSON.stringify(doc(t)) }] })), UnprocessedTraceIds: [] });
    });
  });
  await new Promise<void>((resolve) => xray.listen(0, "127.0.0.1", resolve));
  account = await createSandboxAccount(db, `http://127.0.0.1:${(xray.address() as AddressInfo).port}`);
  const arn = `arn:aws:lambda:${REGION}:123456789012:function:${FN}`;
  await syncResources(db, account.id, REGION, ["lambda"], [{ kind: "lambda" as const, arn, name: FN, tags: {}, config: { functionName: FN, tracingMode: "Active" } }]);
});

afterAll(async () => {
  await new Promise((resolve) => xray?.close(resolve));
  await db?.end();
  await tdb?.drop();
});

beforeEach(async () => {
  await db.query("TRUNCATE spans, trace_scans, ingest_cursors");
  requests = [];
  batchCalls = 0;
  failBatchCall = null;
});

async function storedTraces(): Promise<string[]> {
  const { rows } = await db.query<{ trace_id: string; n: number }>("SELECT trace_id, count(*)::int AS n FROM spans GROUP BY trace_id ORDER BY trace_id");
  expect(rows.every((r) => r.n === 1)).toBe(true);
  return rows.map((r) => r.trace_id);
}

const hoursAgo = (r: SummaryRequest) => [(NOW - r.to) / H, (NOW - r.from) / H];

describe("traces backfill over the logs' first window", () => {
  it("reads the last hour first, then walks back 24 h in windows of at most 6 h, most recent first", async () => {
    traces = [0.5, 3, 10, 20, 23.5, 26].map((h, i) => ({ id: traceId(i), start: NOW - h * H }));
    const result = await pullTraces(db, account, REGION, { now: NOW });
    expect(result.problems).toEqual([]);
    expect(requests.map(hoursAgo)).toEqual([[0, 1], [1, 7], [7, 13], [13, 19], [19, 24]]);
    // Everything the logs' first window covers has its trace; the one from 26 h ago is outside it.
    expect(await storedTraces()).toEqual(traces.slice(0, 5).map((t) => t.id).sort());
    expect(await getTraceCoverage(db, { accountId: account.id, region: REGION, functionName: FN })).toEqual({ readFrom: NOW - 24 * H, backfillPending: false });
    // The next pass reads only what is new (and the late window), not the backfill again.
    requests = [];
    await pullTraces(db, account, REGION, { now: NOW + 60_000 });
    expect(requests.map((r) => [r.from, r.to])).toEqual([[NOW - 5 * 60_000, NOW + 60_000]]);
  });

  it("leaves the backfill for later passes when its budget is spent, fresh traces first each pass", async () => {
    traces = [0.5, 3, 10].map((h, i) => ({ id: traceId(i), start: NOW - h * H }));
    const first = await pullTraces(db, account, REGION, { now: NOW, backfillBudgetMs: 0 });
    expect(first.counts.backfillPending).toBe(1);
    expect(await storedTraces()).toEqual([traces[0].id]);
    expect(await getTraceCoverage(db, { accountId: account.id, region: REGION, functionName: FN })).toEqual({ readFrom: NOW - H, backfillPending: true });

    traces.push({ id: traceId(9), start: NOW + 30_000 });
    requests = [];
    await pullTraces(db, account, REGION, { now: NOW + 60_000 });
    expect([requests[0].from, requests[0].to]).toEqual([NOW - 5 * 60_000, NOW + 60_000]);
    expect(await storedTraces()).toEqual([traces[0].id, traces[1].id, traces[2].id, traces[3].id].sort());
  });
});

describe("traces written page by page", () => {
  it("a pass stopped between pages resumes at the next page, and the result equals a clean run", async () => {
    traces = [5, 10, 15, 20, 25, 30].map((m, i) => ({ id: traceId(i), start: NOW - m * 60_000 }));
    // Pages of two traces: the second page's BatchGetTraces fails.
    failBatchCall = 2;
    const stopped = await pullTraces(db, account, REGION, { now: NOW, lookbackMs: H }).catch((err: Error) => err);
    expect(stopped).toBeInstanceOf(Error);
    // The first page is stored, and the scan remembers the page to read next.
    expect(await storedTraces()).toHaveLength(2);
    const { rows } = await db.query("SELECT direction, next_token FROM trace_scans WHERE direction = 'forward'");
    expect(rows).toEqual([{ direction: "forward", next_token: "page2" }]);

    requests = [];
    const resumed = await pullTraces(db, account, REGION, { now: NOW, lookbackMs: H });
    expect(resumed.problems).toEqual([]);
    expect(requests.map((r) => r.token)).toEqual(["page2", "page4"]);
    expect(await storedTraces()).toEqual(traces.map((t) => t.id).sort());
    expect((await db.query("SELECT count(*)::int AS n FROM trace_scans WHERE direction = 'forward'")).rows[0].n).toBe(0);
    expect((await db.query("SELECT position FROM ingest_cursors WHERE job = 'traces'")).rows[0].position).toBe(String(NOW));
  });

  it("a page token X-Ray no longer accepts makes the window start over, doubling nothing", async () => {
    traces = [5, 10, 15].map((m, i) => ({ id: traceId(i), start: NOW - m * 60_000 }));
    await db.query(
      `INSERT INTO trace_scans (account_id, region, function_name, direction, window_from, window_to, next_token)
       VALUES ($1, $2, $3, 'forward', $4, $5, 'expired')`,
      [account.id, REGION, FN, new Date(NOW - H), new Date(NOW)],
    );
    await db.query("INSERT INTO ingest_cursors (job, account_id, region, key, position) VALUES ('traces', $1, $2, $3, $4)", [account.id, REGION, FN, NOW - H]);
    const result = await pullTraces(db, account, REGION, { now: NOW });
    expect(result.problems).toEqual([]);
    expect(await storedTraces()).toEqual(traces.map((t) => t.id).sort());
    expect(requests.map((r) => r.token)).toEqual(["expired", null, "page2"]);
  });
});

describe("the invocation page says why there is no waterfall", () => {
  it("not read yet while the backfill is under way; then, read and still absent, not 'arriving' for ever", async () => {
    const now = Date.now();
    const at = now - 3 * H;
    const requestId = "5e1f0c2a-7b3d-4e8f-9a01-23456789abcd";
    const stream = "2026/12/02/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    const ev = (ts: number, n: number, message: string) => ({ eventId: `${String(ts).padStart(20, "0")}${n}`, logStreamName: stream, timestamp: ts, message });
    const events = [
      ev(at, 1, `START RequestId: ${requestId} Version: $LATEST\n`),
      ev(at + 40, 2, `END RequestId: ${requestId}\n`),
      ev(at + 40, 3, `REPORT RequestId: ${requestId}\tDuration: 40.00 ms\tBilled Duration: 40 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\nXRAY TraceId: 1-692ee0f0-aaaabbbbccccddddeeeeffff\tSegmentId: 1a2b3c4d5e6f7a8b\tSampled: true\t\n`),
    ];
    const resourceId = (await db.query<{ id: number }>("SELECT id FROM resources WHERE name = $1", [FN])).rows[0].id;
    const client = await db.connect();
    try {
      await writeLambdaBatch(client, { resourceId, region: REGION, architecture: "x86_64" }, parseLambdaLogEvents(events, { functionName: FN }));
    } finally {
      client.release();
    }
    traces = [];
    await pullTraces(db, account, REGION, { now, backfillBudgetMs: 0 });
    expect((await getInvocation(db, resourceId, requestId))?.trace.status).toBe("not-read-yet");
    await pullTraces(db, account, REGION, { now });
    expect((await getInvocation(db, resourceId, requestId))?.trace).toMatchObject({ status: "missing" });
  });
});

