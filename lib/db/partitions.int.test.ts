import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ensurePartitions, utcDay } from "./partitions";

const DAY = 86_400_000;
let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
});
afterAll(async () => {
  await db.end();
  await tdb.drop();
});

async function partitionOf(eventId: string): Promise<string> {
  const { rows } = await db.query("SELECT tableoid::regclass::text AS part FROM log_events WHERE event_id = $1", [eventId]);
  return rows[0].part;
}

describe("day partitions", () => {
  it("accepts an insert into a day that has no partition yet", async () => {
    const ts = new Date(Date.now() + 40 * DAY);
    await db.query("INSERT INTO log_events (event_id, ts, resource_id, log_stream, message) VALUES ('far-future', $1, 1, 's', 'm')", [ts]);
    expect(await partitionOf("far-future")).toBe("log_events_default");
  });

  it("creates partitions ahead and moves rows the default partition caught", async () => {
    const now = Date.now() + 38 * DAY;
    const result = await ensurePartitions(db, { daysAhead: 3, retentionDays: 1, now });
    expect(result.created).toBeGreaterThan(0);
    const day = utcDay(Date.now() + 40 * DAY).replaceAll("-", "");
    expect(await partitionOf("far-future")).toBe(`log_events_p${day}`);
    const again = await ensurePartitions(db, { daysAhead: 3, retentionDays: 1, now });
    expect(again.created).toBe(0);
  });

  it("keeps invocations unique per resource, request, attempt and day", async () => {
    const insert = () =>
      db.query(
        `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream) VALUES ($1, 7, 'req-1', 1, 's')
         ON CONFLICT (resource_id, request_id, attempt, day) DO NOTHING`,
        [utcDay(Date.now())],
      );
    await insert();
    await insert();
    const { rows } = await db.query("SELECT count(*)::int AS n FROM invocations WHERE request_id = 'req-1'");
    expect(rows[0].n).toBe(1);
  });

  it("drops days past retention", async () => {
    const now = Date.now() + 60 * DAY;
    const result = await ensurePartitions(db, { daysAhead: 0, retentionDays: 2, now });
    expect(result.dropped).toBeGreaterThan(0);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM log_events WHERE event_id = 'far-future'");
    expect(rows[0].n).toBe(0);
  });
});
