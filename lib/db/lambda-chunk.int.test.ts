import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { parseLambdaLogEvents, type LogEventInput } from "../ingest/lambda-logs";
import { advanceCursor } from "./cursors";
import { commitLambdaChunk } from "./lambda-chunk";
import type { LambdaWriteTarget } from "./lambda-writer";

const GROUP = "/aws/lambda/orders-api";
const STREAM = "2024/11/05/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const T = Date.UTC(2024, 10, 5, 10, 0, 0);

let tdb: TestDatabase;
let db: pg.Pool;
let target: LambdaWriteTarget;
let accountId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  accountId = accounts[0].id;
  const { rows } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:orders-api', 'orders-api', '{"logGroup": "/aws/lambda/orders-api"}') RETURNING id`,
    [accountId],
  );
  target = { resourceId: rows[0].id, region: "us-east-1", architecture: "x86_64" };
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

const event = (n: number, timestamp: number, message: string): LogEventInput => ({
  eventId: `3777777777777777777777777777777777${String(n).padStart(20, "0")}`,
  logGroupName: GROUP,
  logStreamName: STREAM,
  timestamp,
  message,
});

function invocation(n: number, t: number): LogEventInput[] {
  const req = `c0ffee00-1111-4222-8333-${String(n).padStart(12, "0")}`;
  return [
    event(n * 10 + 1, t, `START RequestId: ${req} Version: $LATEST\n`),
    event(n * 10 + 2, t + 1, `${new Date(t + 1).toISOString()}\t${req}\tINFO\tworking on ${n}\n`),
    event(n * 10 + 3, t + 5, `END RequestId: ${req}\n`),
    event(n * 10 + 4, t + 5, `REPORT RequestId: ${req}\tDuration: 4.00 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`),
  ];
}

describe("commitLambdaChunk", () => {
  it("quarantines an event whose timestamp Postgres cannot store, lands the rest and moves the cursor", async () => {
    const events = Array.from({ length: 25 }, (_, i) => invocation(i + 1, T + i * 1000)).flat();
    // Year -29719: a JavaScript Date, but outside timestamptz's range (4713 BC to 294276 AD).
    const ancient = event(9999, -1e15, "2024-11-05T10:00:00.000Z\tc0ffee00-1111-4222-8333-000000000007\tINFO\tfrom the distant past\n");
    events.splice(30, 0, ancient);
    const key = { job: "logs", accountId, region: "us-east-1", key: GROUP };
    const chunk = {
      target,
      scope: { accountId, region: "us-east-1", logGroup: GROUP },
      events,
      parse: (part: LogEventInput[]) => parseLambdaLogEvents(part, { functionName: "orders-api" }),
      onCommit: (client: pg.PoolClient) => advanceCursor(client, key, T + 60_000),
    };
    const counts = await commitLambdaChunk(db, chunk);
    expect(counts.quarantined).toBe(1);
    expect(counts.logEvents).toBe(100);
    const { rows } = await db.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE complete)::int AS complete FROM invocations");
    expect(rows[0]).toEqual({ n: 25, complete: 25 });
    const { rows: q } = await db.query("SELECT event_id, event_ts_ms, sqlstate FROM quarantined_events");
    expect(q).toEqual([{ event_id: ancient.eventId, event_ts_ms: -1e15, sqlstate: expect.stringMatching(/^2[23]/) }]);
    const { rows: c } = await db.query("SELECT position::float8 AS p FROM ingest_cursors WHERE key = $1", [GROUP]);
    expect(c[0].p).toBe(T + 60_000);

    const again = await commitLambdaChunk(db, chunk);
    expect(again).toEqual({ logEvents: 0, invocationsNew: 0, invocationsUpdated: 0, errors: 0, quarantined: 0 });
    expect((await db.query("SELECT count(*)::int AS n FROM quarantined_events")).rows[0].n).toBe(1);
  });
});
