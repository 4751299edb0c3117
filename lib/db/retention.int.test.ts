import { LOCAL_ACTOR } from "@/lib/db/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { applyRetention, DAY_ROLLUP_RETENTION_DAYS, HOUR_ROLLUP_RETENTION_DAYS } from "./retention";

const DAY = 86_400_000;
const RAW_DAYS = 30;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

async function account(name: string, awsId: string): Promise<{ accountId: number; resourceId: number }> {
  const { rows } = await db.query<{ id: number }>("INSERT INTO accounts (name, aws_account_id, regions, updated_at) VALUES ($1, $2, '{us-east-1}', now()) RETURNING id", [name, awsId]);
  const { rows: r } = await db.query<{ id: number }>(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda', $2, $3, '{}') RETURNING id`,
    [rows[0].id, `arn:aws:lambda:us-east-1:${awsId}:function:${name}`, `${name}-fn`],
  );
  return { accountId: rows[0].id, resourceId: r[0].id };
}

async function errorGroup(fingerprint: string, resourceIds: number[], lastSeen: Date, state = "new"): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, resource_ids, state)
     VALUES ($1, 'TypeError', 'm', 'm', 0, $2, $2, $3, $4) RETURNING id`,
    [fingerprint, lastSeen, resourceIds, state],
  );
  return rows[0].id;
}

async function occurrence(eventId: string, groupId: number, resourceId: number, ts: Date) {
  await db.query("INSERT INTO error_occurrences (event_id, group_id, resource_id, ts, error_message) VALUES ($1, $2, $3, $4, 'm')", [eventId, groupId, resourceId, ts]);
  await db.query("UPDATE error_groups SET count = count + 1 WHERE id = $1", [groupId]);
}

const ids = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows.map((r) => Object.values(r)[0]);

describe("applyRetention", () => {
  it("removes rows older than each table's retention and keeps newer ones", async () => {
    const { accountId, resourceId: r } = await account("kept", "111111111111");
    // Rollups: minute rows follow the raw retention, hour and day rows their own.
    for (const [table, days] of [["rollup_minute", RAW_DAYS], ["rollup_hour", HOUR_ROLLUP_RETENTION_DAYS], ["rollup_day", DAY_ROLLUP_RETENTION_DAYS]] as const) {
      await db.query(`INSERT INTO ${table} (resource_id, bucket_start) VALUES ($1, $2), ($1, $3)`, [r, ago(days + 1), ago(days - 1)]);
    }
    // Rows the default partitions caught: days without a partition of their own.
    await db.query("INSERT INTO invocations (day, resource_id, request_id, log_stream) VALUES ($1, $2, 'old', 's'), ($3, $2, 'new', 's')", [dayOf(ago(RAW_DAYS + 2)), r, dayOf(ago(RAW_DAYS - 2))]);
    await db.query("INSERT INTO log_events (event_id, ts, resource_id, log_stream, message) VALUES ('old', $1, $3, 's', 'x'), ('new', $2, $3, 's', 'x')", [ago(RAW_DAYS + 2), ago(RAW_DAYS - 2), r]);
    expect(await ids("SELECT count(*)::int FROM invocations_default")).toEqual([2]);

    const g = await errorGroup("fp-kept", [r], ago(1));
    await occurrence("occ-old", g, r, ago(RAW_DAYS + 1));
    await occurrence("occ-new", g, r, ago(1));
    const stale = await errorGroup("fp-stale", [r], ago(RAW_DAYS + 5));
    const ignored = await errorGroup("fp-ignored", [r], ago(RAW_DAYS + 5), "ignored");

    await db.query(
      `INSERT INTO ingest_runs (job, account_id, region, status, started_at) VALUES
         ('logs', $1, 'us-east-1', 'ok', $2), ('logs', $1, 'us-east-1', 'failed', $3), ('logs', $1, 'us-east-1', 'failed', $4),
         ('metrics', $1, 'us-east-1', 'ok', $5), ('metrics', $1, 'us-east-1', 'ok', $6)`,
      [accountId, ago(RAW_DAYS + 3), ago(RAW_DAYS + 2), ago(1), ago(RAW_DAYS + 3), ago(2)],
    );
    const { rows: ch } = await db.query<{ id: number }>("INSERT INTO channels (name, kind) VALUES ('ops', 'webhook') RETURNING id");
    await db.query(
      `INSERT INTO notification_outbox (channel_id, event, notice, idempotency_key, status, created_at) VALUES
         ($1, 'opened', '{}', 'k-old', 'sent', $2), ($1, 'opened', '{}', 'k-new', 'sent', $3), ($1, 'opened', '{}', 'k-pending', 'pending', $2)`,
      [ch[0].id, ago(RAW_DAYS + 1), ago(1)],
    );
    await db.query("INSERT INTO push_pending (log_group, payload, bytes, received_at) VALUES ('/aws/lambda/a', '\\x00', 1, $1), ('/aws/lambda/b', '\\x00', 1, $2)", [ago(RAW_DAYS + 1), ago(1)]);

    const day = (d: Date) => d.toISOString().slice(0, 10);
    await db.query(
      "INSERT INTO review_snapshots (account_id, region, day, pillar, passed, failed, not_checked) VALUES ($1, 'us-east-1', $2, 'cost', 1, 1, 0), ($1, 'us-east-1', $3, 'cost', 2, 0, 0)",
      [accountId, day(ago(DAY_ROLLUP_RETENTION_DAYS + 2)), day(ago(1))],
    );

    const counts = await applyRetention(db, RAW_DAYS, NOW);
    expect(await ids("SELECT to_char(day, 'YYYY-MM-DD') FROM review_snapshots")).toEqual([day(ago(1))]);

    for (const [table, days] of [["rollup_minute", RAW_DAYS], ["rollup_hour", HOUR_ROLLUP_RETENTION_DAYS], ["rollup_day", DAY_ROLLUP_RETENTION_DAYS]] as const) {
      const kept = await ids(`SELECT bucket_start FROM ${table}`);
      expect(kept, table).toEqual([ago(days - 1)]);
    }
    expect(await ids("SELECT request_id FROM invocations")).toEqual(["new"]);
    expect(await ids("SELECT event_id FROM log_events")).toEqual(["new"]);
    expect(await ids("SELECT event_id FROM error_occurrences")).toEqual(["occ-new"]);
    expect((await ids("SELECT id FROM error_groups ORDER BY id")).sort()).toEqual([g, ignored].sort());
    expect(await ids("SELECT id FROM error_groups WHERE id = $1", [stale])).toEqual([]);
    // Old runs go, but each job's latest run and latest success stay for ingest health.
    const runs = (await db.query("SELECT job, status, started_at FROM ingest_runs ORDER BY job, started_at")).rows;
    expect(runs.map((x) => [x.job, x.status])).toEqual([
      ["logs", "ok"],
      ["logs", "failed"],
      ["metrics", "ok"],
    ]);
    expect(runs[0].started_at).toEqual(ago(RAW_DAYS + 3));
    expect(await ids("SELECT idempotency_key FROM notification_outbox ORDER BY idempotency_key")).toEqual(["k-new", "k-pending"]);
    expect(await ids("SELECT log_group FROM push_pending")).toEqual(["/aws/lambda/b"]);
    expect(counts).toMatchObject({ rollup_minute: 1, rollup_hour: 1, rollup_day: 1, invocations_default: 1, error_occurrences: 1, error_groups: 1, push_pending: 1 });
  });

  it("forgets quarantined events and ingest warnings not seen within the retention", async () => {
    const { accountId } = await account("quarantine", "444444444444");
    await db.query(
      `INSERT INTO quarantined_events (account_id, region, log_group, event_id, message, reason, first_seen_at, last_seen_at)
       VALUES ($1, 'us-east-1', '/aws/lambda/a', 'old', 'x', 'old', $2, $2), ($1, 'us-east-1', '/aws/lambda/a', 'new', 'x', 'new', $2, $3)`,
      [accountId, ago(RAW_DAYS + 5), ago(1)],
    );
    await db.query(
      `INSERT INTO ingest_warnings (account_id, region, feature, resource, message, first_seen_at, last_seen_at)
       VALUES ($1, 'us-east-1', 'discovery', 'old', 'x', $2, $2), ($1, 'us-east-1', 'discovery', 'new', 'x', $2, $3)`,
      [accountId, ago(RAW_DAYS + 5), ago(1)],
    );
    const counts = await applyRetention(db, RAW_DAYS, NOW);
    expect(await ids("SELECT reason FROM quarantined_events")).toEqual(["new"]);
    expect(await ids("SELECT resource FROM ingest_warnings")).toEqual(["new"]);
    expect(counts).toMatchObject({ quarantined_events: 1, ingest_warnings: 1 });
  });
});

describe("removing an account", () => {
  it("leaves no row that references it in any table, and takes its error groups (and its share of shared ones)", async () => {
    const gone = await account("gone", "222222222222");
    const other = await account("other", "333333333333");
    const only = await errorGroup("fp-only-gone", [gone.resourceId], ago(1));
    for (let i = 0; i < 3; i++) await occurrence(`gone-${i}`, only, gone.resourceId, ago(1));
    const shared = await errorGroup("fp-shared", [gone.resourceId, other.resourceId], ago(1));
    await occurrence("shared-gone", shared, gone.resourceId, ago(1));
    await occurrence("shared-other", shared, other.resourceId, ago(1));
    await db.query("INSERT INTO invocations (day, resource_id, request_id, log_stream) VALUES (current_date, $1, 'r', 's')", [gone.resourceId]);
    await db.query("INSERT INTO rollup_minute (resource_id, bucket_start) VALUES ($1, now())", [gone.resourceId]);
    await db.query("INSERT INTO ingest_runs (job, account_id, region, status) VALUES ('logs', $1, 'us-east-1', 'ok')", [gone.accountId]);
    await db.query("INSERT INTO ingest_cursors (job, account_id, region, key, position) VALUES ('logs', $1, 'us-east-1', 'k', 1)", [gone.accountId]);
    await db.query("INSERT INTO insights (rule_id, resource_id, account_id, severity, pillar, title, evidence, recommendation) VALUES ('r', $1, $2, 'info', 'cost', 't', '{}', 'x')", [gone.resourceId, gone.accountId]);

    const { deleteAccount } = await import("./accounts");
    expect(await deleteAccount(gone.accountId, LOCAL_ACTOR)).toBe(true);

    // Every table with an account_id or resource_id column, found the way a new table would be.
    const { rows: cols } = await db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name IN ('account_id', 'resource_id') AND data_type IN ('integer', 'bigint')`,
    );
    expect(cols.length).toBeGreaterThan(8);
    for (const { table_name, column_name } of cols) {
      const value = column_name === "account_id" ? gone.accountId : gone.resourceId;
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table_name} WHERE ${column_name} = $1`, [value]);
      expect(rows[0].n, `${table_name}.${column_name}`).toBe(0);
    }
    expect(await ids("SELECT count(*)::int FROM error_groups WHERE $1 = ANY(resource_ids)", [gone.resourceId])).toEqual([0]);
    expect(await ids("SELECT id FROM error_groups WHERE id = $1", [only])).toEqual([]);
    const { rows: s } = await db.query("SELECT count, resource_ids FROM error_groups WHERE id = $1", [shared]);
    expect(s).toEqual([{ count: 1, resource_ids: [other.resourceId] }]);
    expect(await ids("SELECT count(*)::int FROM resources WHERE account_id = $1", [other.accountId])).toEqual([1]);
  });
});
