import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { getReviewChecks } from "./review";

// A check the review runs from data passes only over resources holding that data in the last 24 h; with none,
// it says it was not run and why, rather than passing.
const NOW = new Date(Date.UTC(2026, 10, 18, 9, 0, 0));
const HOUR = 3_600_000;
const ago = (h: number) => new Date(NOW.getTime() - h * HOUR);

let tdb: TestDatabase;
let db: pg.Pool;
let ids: Record<string, number>;

async function resource(accountId: number, kind: string, name: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', $2, $3, $4) RETURNING id",
    [accountId, kind, `arn:aws:${kind}:us-east-1:123456789012:${name}`, name],
  );
  return rows[0].id;
}

const metric = (id: number, metricName: string, at: Date, value = 1) =>
  db.query("INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value) VALUES ($1, 'AWS/SQS', $2, 'Maximum', 60, $3, $4)", [id, metricName, at, value]);

const checks = async () => new Map((await getReviewChecks(db, {}, NOW)).map((c) => [c.ruleId, c]));

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows } = await db.query<{ id: number }>("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const account = rows[0].id;
  ids = {
    orders: await resource(account, "sqs", "orders"),
    refunds: await resource(account, "sqs", "refunds"),
    api: await resource(account, "lambda", "api"),
    worker: await resource(account, "lambda", "worker"),
  };
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

describe("the review without data", () => {
  it("does not pass metric, log and trace checks when Osprey holds none of that data", async () => {
    const c = await checks();
    expect(c.get("sqs-oldest-message-age")).toMatchObject({ status: "not_checked", resourcesChecked: 0, notCheckedReason: "no CloudWatch metrics for these queues in the last 24 h" });
    expect(c.get("lambda-timeouts")).toMatchObject({ status: "not_checked", notCheckedReason: "no invocation logs for these functions in the last 24 h" });
    expect(c.get("lambda-synchronous-chain")?.notCheckedReason).toBe("no invocation logs or X-Ray traces for these functions in the last 24 h");
    // Checks of configuration need nothing more than discovery.
    expect(c.get("sqs-unencrypted")).toMatchObject({ status: "pass", resourcesChecked: 2 });
  });

  it("still does not count metrics older than the window", async () => {
    await metric(ids.orders, "ApproximateAgeOfOldestMessage", ago(30));
    expect((await checks()).get("sqs-oldest-message-age")?.status).toBe("not_checked");
  });
});

describe("the review with data", () => {
  it("passes a metric check over the queues with metrics, counting only those", async () => {
    await metric(ids.orders, "ApproximateAgeOfOldestMessage", ago(2));
    expect((await checks()).get("sqs-oldest-message-age")).toMatchObject({ status: "pass", resourcesChecked: 1, notCheckedReason: null });
  });

  it("judges log checks on functions with invocations, and trace checks only once spans arrive", async () => {
    await db.query("INSERT INTO rollup_minute (resource_id, bucket_start, invocations) VALUES ($1, $2, 3)", [ids.api, ago(1)]);
    let c = await checks();
    expect(c.get("lambda-timeouts")).toMatchObject({ status: "pass", resourcesChecked: 1 });
    expect(c.get("lambda-synchronous-chain")).toMatchObject({ status: "not_checked", notCheckedReason: "no X-Ray traces for these functions in the last 24 h" });

    await db.query("INSERT INTO spans (trace_id, span_id, start_time, resource_id, name, start_offset_ms) VALUES ('1-abc-def', 's1', $1, $2, 'api', 0)", [ago(1), ids.api]);
    c = await checks();
    expect(c.get("lambda-synchronous-chain")).toMatchObject({ status: "pass", resourcesChecked: 1 });
    // Throttles need the function's CloudWatch metrics as well as its logs.
    expect(c.get("lambda-throttles")?.notCheckedReason).toBe("no CloudWatch metrics for these functions in the last 24 h");
  });
});
