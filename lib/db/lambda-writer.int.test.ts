import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { parseLambdaLogEvents, type LogEventInput } from "../ingest/lambda-logs";
import { writeLambdaBatch, type LambdaWriteTarget } from "./lambda-writer";

const REQ = "c0ffee00-1111-4222-8333-444455556666";
const GROUP = "/aws/lambda/orders-api";
const STREAM = "2024/11/05/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const T = Date.UTC(2024, 10, 5, 10, 0, 0);

let tdb: TestDatabase;
let db: pg.Pool;
let target: LambdaWriteTarget;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:orders-api', 'orders-api', '{"logGroup": "/aws/lambda/orders-api"}') RETURNING id`,
    [accounts[0].id],
  );
  target = { resourceId: rows[0].id, region: "us-east-1", architecture: "x86_64" };
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

beforeEach(async () => {
  await db.query("TRUNCATE invocations, log_events, rollup_minute, rollup_hour, rollup_day, error_groups, error_occurrences");
});

let seq = 0;
function event(timestamp: number, message: string): LogEventInput {
  seq++;
  return {
    eventId: `3777777777777777777777777777777777${String(timestamp).padStart(13, "0")}0420${String(seq).padStart(5, "0")}`,
    logGroupName: GROUP,
    logStreamName: STREAM,
    timestamp,
    message,
  };
}

/** One batch, as the pull worker and the Firehose endpoint write it: parsed alone, written in one transaction. */
async function write(events: LogEventInput[]) {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const counts = await writeLambdaBatch(client, target, parseLambdaLogEvents(events, { functionName: "orders-api" }));
    await client.query("COMMIT");
    return counts;
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}

async function attempts() {
  const { rows } = await db.query(
    `SELECT attempt, (extract(epoch FROM started_at) * 1000)::float8 AS started, (extract(epoch FROM ended_at) * 1000)::float8 AS ended,
            duration_ms, status::text, error_type FROM invocations WHERE request_id = $1 ORDER BY attempt`,
    [REQ],
  );
  return rows.map((r) => [r.attempt, r.started, r.ended, r.duration_ms, r.status, r.error_type]);
}

async function occurrences() {
  const { rows } = await db.query(
    `SELECT o.event_id, o.error_type FROM error_occurrences o WHERE o.request_id = $1 ORDER BY o.ts, o.event_id`,
    [REQ],
  );
  const { rows: groups } = await db.query("SELECT error_type, count FROM error_groups WHERE count > 0 ORDER BY error_type");
  return { occurrences: rows.map((r) => [r.event_id, r.error_type]), groups: groups.map((g) => [g.error_type, g.count]) };
}

const start = (ts: number) => event(ts, `START RequestId: ${REQ} Version: $LATEST\n`);
const end = (ts: number) => event(ts, `END RequestId: ${REQ}\n`);
const report = (ts: number, duration: string, tail = "") =>
  event(ts, `REPORT RequestId: ${REQ}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t${tail}\n`);

describe("writeLambdaBatch: attempts across batches", () => {
  it("a retry's REPORTs close their own attempts when attempt 1's START was in the previous batch", async () => {
    await write([start(T + 1)]);
    await write([end(T + 6), report(T + 6, "5.00"), start(T + 60_000), end(T + 60_100), report(T + 60_100, "99.00")]);
    expect(await attempts()).toEqual([
      [1, T + 1, T + 6, 5, "success", null],
      [2, T + 60_000, T + 60_100, 99, "success", null],
    ]);
  });
});

describe("writeLambdaBatch: one error occurrence per failed attempt", () => {
  // Since late 2024: the timeout line before END, then REPORT with Status: timeout and no trailing tab.
  const timedOut = () => [
    start(T),
    event(T + 3000, `2024-11-05T10:00:03.000Z ${REQ} Task timed out after 3.00 seconds\n`),
    end(T + 3001),
    event(T + 3001, `REPORT RequestId: ${REQ}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tStatus: timeout\n`),
  ];

  it("a timeout whose line and REPORT come in different batches counts once, on the line, and re-reading changes nothing", async () => {
    const events = timedOut();
    await write(events.slice(0, 2));
    await write(events.slice(2));
    const once = await occurrences();
    expect(once).toEqual({ occurrences: [[events[1].eventId, "Sandbox.Timedout"]], groups: [["Sandbox.Timedout", 1]] });

    await write(events.slice(2));
    await write(events);
    await write(events.slice(0, 2));
    expect(await occurrences()).toEqual(once);
    expect(await attempts()).toEqual([[1, T, T + 3001, 3000, "timeout", "Sandbox.Timedout"]]);
  });

  it("the same when the REPORT is stored before the late timeout line", async () => {
    const events = timedOut();
    await write([events[0], events[2], events[3]]);
    expect((await occurrences()).occurrences).toEqual([[events[3].eventId, "Sandbox.Timedout"]]);
    await write([events[1]]);
    expect(await occurrences()).toEqual({ occurrences: [[events[1].eventId, "Sandbox.Timedout"]], groups: [["Sandbox.Timedout", 1]] });
  });

  it("a Node Uncaught Exception with the Runtime.ExitError REPORT in a later batch counts once, as the exception", async () => {
    const uncaught = event(
      T + 5,
      `2024-11-05T10:00:00.005Z\t${REQ}\tERROR\tUncaught Exception \t` +
        JSON.stringify({
          errorType: "TypeError",
          errorMessage: "Cannot read properties of undefined (reading 'id')",
          stack: ["TypeError: Cannot read properties of undefined (reading 'id')", "    at Timeout._onTimeout (/var/task/index.js:7:21)"],
        }) +
        "\n",
    );
    await write([start(T), uncaught]);
    await write([end(T + 10), report(T + 10, "9.40", "Status: error\tError Type: Runtime.ExitError")]);
    expect(await occurrences()).toEqual({ occurrences: [[uncaught.eventId, "TypeError"]], groups: [["TypeError", 1]] });
    expect(await attempts()).toEqual([[1, T, T + 10, 9.4, "crash", "TypeError"]]);
  });

  it("a retry's REPORT-only timeout still counts when attempt 1 had its own timeout line", async () => {
    const events = timedOut();
    await write(events);
    const retryReport = event(
      T + 63_001,
      `REPORT RequestId: ${REQ}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tStatus: timeout\n`,
    );
    await write([start(T + 60_001)]);
    await write([end(T + 63_001), retryReport]);
    expect((await occurrences()).occurrences).toEqual([
      [events[1].eventId, "Sandbox.Timedout"],
      [retryReport.eventId, "Sandbox.Timedout"],
    ]);
  });
});

describe("writeLambdaBatch: text Postgres cannot store as is", () => {
  it("stores a line with a NUL byte and an unpaired surrogate, each as U+FFFD, with its invocation and error", async () => {
    const nul = event(T + 2, `2024-11-05T10:00:00.002Z\t${REQ}\tINFO\tpayload a\u0000b \uD83D\uDE00 \uD800end\n`);
    const invokeError = event(
      T + 3,
      `2024-11-05T10:00:00.003Z\t${REQ}\tERROR\tInvoke Error \t` +
        JSON.stringify({ errorType: "Error", errorMessage: "bad \u0000 input", stack: ["Error: bad \u0000 input", "    at handler (/var/task/index.js:3:9)"] }) +
        "\n",
    );
    const counts = await write([start(T), nul, invokeError, end(T + 9), report(T + 9, "8.00")]);
    expect(counts.logEvents).toBe(5);
    const { rows } = await db.query("SELECT message FROM log_events WHERE event_id = $1", [nul.eventId]);
    expect(rows[0].message).toContain("payload a\uFFFDb \uD83D\uDE00 \uFFFDend");
    expect((await occurrences()).groups).toEqual([["Error", 1]]);
    const { rows: errs } = await db.query("SELECT error_message FROM error_occurrences WHERE request_id = $1", [REQ]);
    expect(errs[0].error_message).toContain("bad \uFFFD input");
    expect(await attempts()).toEqual([[1, T, T + 9, 8, "error", "Error"]]);
  });
});
