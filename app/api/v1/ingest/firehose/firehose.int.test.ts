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

describe("POST /api/v1/ingest/firehose under hostile or surprising deliveries", () => {
  const MiB = 1024 * 1024;
  const headers = { "content-type": "application/json", "x-amz-firehose-request-id": "fh-req-9", "x-amz-firehose-access-key": KEY };

  it("refuses an endless chunked body with 413 once it passes the cap, without reading the rest", async () => {
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await POST(new Request("http://127.0.0.1/api/v1/ingest/firehose", { method: "POST", headers, body, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    expect((await res.json()).errorMessage).toMatch(/larger than/);
    // The documented maximum delivery (64 MiB buffered, base64'd) is ~86 MiB: reading stops right after it.
    expect(sent).toBeLessThan(90 * MiB);
  });

  it("refuses a declared Content-Length over the cap unread", async () => {
    const res = await POST(new Request("http://127.0.0.1/api/v1/ingest/firehose", { method: "POST", headers: { ...headers, "content-length": String(300 * MiB) }, body: "{}" }));
    expect(res.status).toBe(413);
  });

  it("refuses records that inflate without bound (zip bombs) with 413 and writes nothing", async () => {
    const before = await count("log_events");
    // 64 MiB of spaces inside one event gzips to ~64 KiB; 80 such records once took the heap.
    const bomb = { data: gzipSync(JSON.stringify(payload([{ id: "b1", timestamp: T, message: " ".repeat(64 * MiB) }]))).toString("base64") };
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await post(JSON.stringify({ requestId: "fh-bomb", timestamp: Date.now(), records: Array.from({ length: 80 }, () => bomb) }));
    expect(res.status).toBe(413);
    expect((await res.json()).errorMessage).toMatch(/record 0/);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * MiB);
    expect(await count("log_events")).toBe(before);
  });

  it("refuses a gzip'd body that inflates past the cap with 413", async () => {
    const huge = gzipSync(Buffer.alloc(100 * MiB, 0x20));
    const res = await POST(new Request("http://127.0.0.1/api/v1/ingest/firehose", { method: "POST", headers: { ...headers, "content-encoding": "gzip" }, body: huge }));
    expect(res.status).toBe(413);
  });

  it("refuses event times Postgres cannot store with 400 and Firehose's error JSON, not 500", async () => {
    const before = await count("log_events");
    for (const timestamp of [1e16, -1e15, 8.64e15]) {
      const res = await post(delivery([payload([{ id: `t${timestamp}`, timestamp, message: "START RequestId: t Version: $LATEST\n" }])], "fh-time"));
      expect(res.status, String(timestamp)).toBe(400);
      const body = await res.json();
      expect(body).toMatchObject({ requestId: "fh-time" });
      expect(body.errorMessage).toMatch(/timestamp/);
    }
    expect(await count("log_events")).toBe(before);
  });

  it("writes concurrent deliveries for the same functions together, each answered 200 with its data stored once", async () => {
    const { rows } = await db.query("SELECT id FROM accounts WHERE name = 'prod'");
    await db.query(
      `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
        'arn:aws:lambda:us-east-1:123456789012:function:orders', 'orders', '{"logGroup": "/aws/lambda/orders"}')`,
      [rows[0].id],
    );
    const reqs: string[] = [];
    const bodies = Array.from({ length: 12 }, (_, d) => {
      const records = ["/aws/lambda/checkout", "/aws/lambda/orders"].map((logGroup, g) => {
        const req = `c0c0c0c0-0000-4000-8000-${String(d * 10 + g).padStart(12, "0")}`;
        reqs.push(req);
        return { ...payload(EVENTS.map((e, i) => ({ ...e, id: `9${d}${g}${i}`, message: e.message.replaceAll(REQ, req) }))), logGroup: d % 2 ? logGroup : ["/aws/lambda/orders", "/aws/lambda/checkout"][g] };
      });
      return delivery(records, `fh-concurrent-${d}`);
    });
    const answers = await Promise.all(bodies.map((b) => post(b)));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const stored = await db.query("SELECT request_id, count(*)::int AS n FROM invocations WHERE request_id = ANY($1) GROUP BY request_id", [reqs]);
    expect(stored.rows).toHaveLength(reqs.length);
    expect(stored.rows.every((r) => r.n === 1)).toBe(true);
    // Firehose retries them all: nothing doubles.
    expect((await Promise.all(bodies.map((b) => post(b)))).map((r) => r.status)).toEqual(bodies.map(() => 200));
    expect((await db.query("SELECT count(*)::int AS n FROM invocations WHERE request_id = ANY($1)", [reqs])).rows[0].n).toBe(reqs.length);
    expect((await db.query("SELECT count(*)::int AS n FROM log_events WHERE event_id LIKE '9%'")).rows[0].n).toBe(reqs.length * 4);
  });

  it("keeps a delivery for a function not discovered yet, and writes it once discovery knows the function", async () => {
    const REQ2 = "1b2c3d4e-0000-4000-8000-000000000002";
    const newFn = (events: typeof EVENTS) => ({ ...payload(events), logGroup: "/aws/lambda/brand-new" });
    const events = EVENTS.map((e, i) => ({ ...e, id: `5555${i}`, message: e.message.replaceAll(REQ, REQ2) }));
    const res = await post(delivery([newFn(events)], "fh-new"));
    expect(res.status).toBe(200);
    expect((await db.query("SELECT count(*)::int AS n FROM invocations WHERE request_id = $1", [REQ2])).rows[0].n).toBe(0);
    expect((await db.query("SELECT log_group FROM push_pending")).rows).toEqual([{ log_group: "/aws/lambda/brand-new" }]);

    // Discovery finds the function; the next delivery (for any function) writes what was kept.
    const { rows } = await db.query("SELECT id FROM accounts WHERE name = 'prod'");
    await db.query(
      `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
        'arn:aws:lambda:us-east-1:123456789012:function:brand-new', 'brand-new', '{"logGroup": "/aws/lambda/brand-new"}')`,
      [rows[0].id],
    );
    expect((await post(delivery([payload([], "CONTROL_MESSAGE")], "fh-next"))).status).toBe(200);
    const inv = await db.query("SELECT status, duration_ms FROM invocations WHERE request_id = $1", [REQ2]);
    expect(inv.rows).toEqual([{ status: "error", duration_ms: 125.52 }]);
    expect(await count("push_pending")).toBe(0);
  });

  it("quarantines an event Postgres refuses and stores the rest of the delivery, so Firehose does not retry it for ever", async () => {
    const REQ3 = "1b2c3d4e-0000-4000-8000-000000000003";
    const events = EVENTS.map((e, i) => ({ ...e, id: `7777${i}`, message: e.message.replaceAll(REQ, REQ3) }));
    // Stands for any row Postgres refuses for a data reason, as the pull worker's poison-event test does.
    await db.query(`ALTER TABLE log_events ADD CONSTRAINT test_poison CHECK (event_id <> '77772')`);
    try {
      const res = await post(delivery([payload(events)], "fh-poison"));
      expect(res.status).toBe(200);
      const stored = await db.query("SELECT event_id FROM log_events WHERE event_id LIKE '7777%' ORDER BY event_id");
      expect(stored.rows.map((r) => r.event_id)).toEqual(["77770", "77771", "77773"]);
      expect((await db.query("SELECT status, duration_ms FROM invocations WHERE request_id = $1", [REQ3])).rows).toEqual([{ status: "error", duration_ms: 125.52 }]);
      const q = await db.query("SELECT log_group, event_id, sqlstate FROM quarantined_events");
      expect(q.rows).toEqual([{ log_group: "/aws/lambda/checkout", event_id: "77772", sqlstate: "23514" }]);

      // Firehose may deliver it again: nothing doubles, the event stays quarantined once.
      expect((await post(delivery([payload(events)], "fh-poison"))).status).toBe(200);
      expect((await db.query("SELECT count(*)::int AS n FROM log_events WHERE event_id LIKE '7777%'")).rows[0].n).toBe(3);
      expect(await count("quarantined_events")).toBe(1);
    } finally {
      await db.query("ALTER TABLE log_events DROP CONSTRAINT test_poison");
    }
  });
});
