import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";

const KEY = "test-firehose-key-0123456789";
let tdb: TestDatabase;
let db: pg.Pool;
let POST: (req: Request) => Promise<Response>;

const REQ = "8a0d5b3e-4f1c-4b7a-9d3e-2c1f0e9b8a7d";
const NODE_LINE = "2026-11-20T10:00:00.120Z\t" + REQ + "\tERROR\tInvoke Error \t" +
  JSON.stringify({ errorType: "TypeError", errorMessage: "Cannot read properties of undefined (reading 'id')", stack: ["TypeError: Cannot read properties of undefined (reading 'id')", "    at Runtime.handler (file:///var/task/index.mjs:12:20)"] }) + "\n";

// The subscription payload shape from AWS's "Using CloudWatch Logs subscription filters" documentation.
function payload(events: { id: string; timestamp: number; message: string }[], messageType = "DATA_MESSAGE") {
  return {
    messageType,
    owner: "123456789012",
    logGroup: "/aws/lambda/checkout",
    logStream: "2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef",
    subscriptionFilters: ["osprey"],
    logEvents: events,
  };
}
const T = Date.UTC(2026, 10, 20, 10, 0, 0);
const EVENTS = [
  { id: "37940000000000000000000000000000000000000000000000000001", timestamp: T, message: `START RequestId: ${REQ} Version: $LATEST\n` },
  { id: "37940000000000000000000000000000000000000000000000000002", timestamp: T + 120, message: NODE_LINE },
  { id: "37940000000000000000000000000000000000000000000000000003", timestamp: T + 130, message: `END RequestId: ${REQ}\n` },
  {
    id: "37940000000000000000000000000000000000000000000000000004",
    timestamp: T + 131,
    message: `REPORT RequestId: ${REQ}\tDuration: 125.52 ms\tBilled Duration: 126 ms\tMemory Size: 512 MB\tMax Memory Used: 88 MB\t\n`,
  },
];

function delivery(records: unknown[], requestId = "fh-req-1") {
  return JSON.stringify({ requestId, timestamp: Date.now(), records: records.map((r) => ({ data: gzipSync(JSON.stringify(r)).toString("base64") })) });
}

function post(body: string, key: string | null = KEY) {
  return POST(
    new Request("http://127.0.0.1/api/v1/ingest/firehose", {
      method: "POST",
      headers: { "content-type": "application/json", "x-amz-firehose-request-id": "fh-req-1", ...(key ? { "x-amz-firehose-access-key": key } : {}) },
      body,
    }),
  );
}

async function count(table: string): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.OSPREY_FIREHOSE_ACCESS_KEY = KEY;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows } = await db.query(
    "INSERT INTO accounts (name, aws_account_id, regions, updated_at) VALUES ('prod', '123456789012', '{us-east-1}', now()) RETURNING id",
  );
  await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:checkout', 'checkout', '{"logGroup": "/aws/lambda/checkout", "architecture": "arm64"}')`,
    [rows[0].id],
  );
  ({ POST } = await import("./route"));
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db.end();
  await tdb.drop();
});

describe("POST /api/v1/ingest/firehose", () => {
  it("stores a gzip'd subscription delivery and answers with the request id and a timestamp", async () => {
    const res = await post(delivery([payload(EVENTS), payload([], "CONTROL_MESSAGE")]));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.requestId).toBe("fh-req-1");
    expect(typeof body.timestamp).toBe("number");
    const { rows } = await db.query("SELECT request_id, status, error_type, duration_ms, billed_duration_ms, cost_usd FROM invocations");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ request_id: REQ, status: "error", error_type: "TypeError", duration_ms: 125.52, billed_duration_ms: 126 });
    expect(rows[0].cost_usd).toBeCloseTo(0.0000002 + 0.126 * 0.5 * 0.0000133334, 12);
    expect(await count("log_events")).toBe(4);
    expect(await count("error_occurrences")).toBe(1);
  });

  it("changes nothing when Firehose delivers the same records again", async () => {
    const res = await post(delivery([payload(EVENTS)]));
    expect(res.status).toBe(200);
    expect(await count("invocations")).toBe(1);
    expect(await count("log_events")).toBe(4);
    expect((await db.query("SELECT count FROM error_groups")).rows[0].count).toBe(1);
  });

  it("refuses a wrong or missing access key and writes nothing", async () => {
    const other = payload([{ id: "99", timestamp: T + 5000, message: `START RequestId: other Version: $LATEST\n` }]);
    expect((await post(delivery([other]), "wrong-key-wrong-key-wrong")).status).toBe(401);
    expect((await post(delivery([other]), null)).status).toBe(401);
    expect(await count("log_events")).toBe(4);
  });

  it("answers a malformed body with 400 and an errorMessage, and writes nothing half-way", async () => {
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errorMessage).toMatch(/Firehose delivery/);

    const good = { data: gzipSync(JSON.stringify(payload([{ id: "100", timestamp: T + 9000, message: "START RequestId: x Version: $LATEST\n" }]))).toString("base64") };
    const mixed = JSON.stringify({ requestId: "fh-req-2", timestamp: Date.now(), records: [good, { data: Buffer.from("not gzip, not json").toString("base64") }] });
    const res = await post(mixed);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ requestId: "fh-req-2" });
    expect(body.errorMessage).toMatch(/record 1/);
    expect(await count("log_events")).toBe(4);
  });
});
