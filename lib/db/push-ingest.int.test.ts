import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { SubscriptionPayload } from "../ingest/lambda-logs/subscription";
import { PushWriter } from "./push-ingest";

const OWNER = "123456789012";
const FUNCTIONS = 40;
const fn = (i: number) => `push-fn-${String(i).padStart(2, "0")}`;

let tdb: TestDatabase;
let db: pg.Pool;
let statements = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  // Every statement the writer sends, whether through pool.query or a checked-out client.
  db.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      statements++;
      return query(...a);
    };
  });
  const { rows } = await db.query("INSERT INTO accounts (name, aws_account_id, regions, updated_at) VALUES ('prod', $1, '{us-east-1}', now()) RETURNING id", [OWNER]);
  for (let i = 0; i < FUNCTIONS; i++) {
    await db.query(
      `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda', $2, $3, $4)`,
      [rows[0].id, `arn:aws:lambda:us-east-1:${OWNER}:function:${fn(i)}`, fn(i), { logGroup: `/aws/lambda/${fn(i)}`, architecture: "x86_64" }],
    );
  }
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

let seq = 0;
/** One log stream's payload holding one complete invocation (START, a line, END, REPORT) of a function. */
function payload(i: number, at = Date.now()): SubscriptionPayload {
  const req = randomUUID();
  const id = (n: number) => `3${String(at).padStart(15, "0")}${String(++seq * 4 + n).padStart(40, "0")}`;
  return {
    messageType: "DATA_MESSAGE",
    owner: OWNER,
    logGroup: `/aws/lambda/${fn(i)}`,
    logStream: `2026/12/04/[$LATEST]${randomUUID().replace(/-/g, "")}`,
    subscriptionFilters: ["osprey"],
    logEvents: [
      { id: id(0), timestamp: at - 30, message: `START RequestId: ${req} Version: $LATEST\n` },
      { id: id(1), timestamp: at - 20, message: `${new Date(at - 20).toISOString()}\t${req}\tINFO\tprocessed\n` },
      { id: id(2), timestamp: at - 1, message: `END RequestId: ${req}\n` },
      { id: id(3), timestamp: at, message: `REPORT RequestId: ${req}\tDuration: 28.10 ms\tBilled Duration: 29 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\t\n` },
    ],
  };
}

/**
 * Statements one group-committed batch of `deliveries` costs: a first delivery keeps the writer busy, so
 * the others queue and are written together in the next transaction.
 */
async function statementsOfOneBatch(deliveries: SubscriptionPayload[][]): Promise<number> {
  const writer = new PushWriter(db);
  // The first batch's statements all go out after this line (connecting is asynchronous): the same for every call.
  const before = statements;
  await Promise.all([writer.ingest([payload(0)]), ...deliveries.map((d) => writer.ingest(d))]);
  return statements - before;
}

async function counts() {
  const { rows } = await db.query<{ inv: number; logs: number; rolled: number }>(
    `SELECT (SELECT count(*)::int FROM invocations) AS inv, (SELECT count(*)::int FROM log_events) AS logs,
            (SELECT coalesce(sum(invocations), 0)::int FROM rollup_minute) AS rolled`,
  );
  return rows[0];
}

describe("PushWriter", () => {
  it("writes a batch of deliveries with as many statements for 40 functions as for 4", async () => {
    const overFour = await statementsOfOneBatch(Array.from({ length: 40 }, (_, k) => [payload(k % 4)]));
    const overForty = await statementsOfOneBatch(Array.from({ length: 40 }, (_, k) => [payload(k % FUNCTIONS)]));
    expect(overForty).toBe(overFour);
    // Everything landed: 2 × (1 + 40) invocations of 4 events each.
    expect(await counts()).toEqual({ inv: 82, logs: 328, rolled: 82 });
  });

  it("stores a delivery sent twice in one batch, and again later, once", async () => {
    const before = await counts();
    const d = [payload(5), payload(6)];
    // The same payloads once more without the optional owner: another log-group group of the batch, the same functions.
    const anonymous = d.map(({ owner: _owner, ...p }) => p);
    const writer = new PushWriter(db);
    await Promise.all([writer.ingest([payload(7)]), writer.ingest(d), writer.ingest(d), writer.ingest(anonymous)]);
    await writer.ingest(d);
    const after = await counts();
    expect({ inv: after.inv - before.inv, logs: after.logs - before.logs, rolled: after.rolled - before.rolled }).toEqual({ inv: 3, logs: 12, rolled: 3 });
  });
});
