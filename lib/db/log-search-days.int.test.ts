// The index plan over a range too large to read in time order (over 200,000 lines): it walks the day
// partitions from the newest and stops once a page is full. Pages must equal SQL's newest-first order.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { parseLogSearch } from "../ingest/search/parse-query";
import { INDEX_PLAN, searchLogs, searchStatement, type LogSearchHit, type LogSearchPage } from "./log-search";

const DAY = 86_400_000;
const FROM = Date.UTC(2026, 10, 20, 6, 0, 0);
const LINES = 240_000;
const SPAN = 4 * DAY;
let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: [account] } = await db.query("INSERT INTO accounts (name, regions) VALUES ('days', '{us-east-1}') RETURNING id");
  const { rows: [resource] } = await db.query(
    "INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:111111111111:function:days', 'days') RETURNING id",
    [account.id],
  );
  for (let d = 0; d <= 5; d++) await db.query("SELECT osprey_ensure_day_partition('log_events', $1::date)", [new Date(FROM + d * DAY)]);
  // One line in 2,000 says "reindexing shard", one in 10,000 "vault sealed": rare text in common trigrams' company.
  await db.query(
    `INSERT INTO log_events (event_id, ts, resource_id, log_stream, request_id, level, message)
     SELECT lpad(g::text, 12, '0'), to_timestamp(($2::float8 + g::float8 * $3 / $4) / 1000), $1, 'stream-' || (g % 7), NULL, 'INFO',
            CASE WHEN g % 10000 = 7 THEN 'vault sealed after ' || g || ' ms'
                 WHEN g % 2000 = 3 THEN 'reindexing shard ' || (g % 13) || ' of orders'
                 ELSE 'processed order ' || (g % 5000) || ' for customer ' || (g % 997) END
       FROM generate_series(0, $4::int - 1) g`,
    [resource.id, FROM, SPAN, LINES],
  );
  await db.query("ANALYZE log_events");
}, 180_000);

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

const range = { from: FROM, to: FROM + SPAN + 60_000 };

async function sqlNewest(pattern: string, limit: number, before?: { ts: number; eventId: string }) {
  const { rows } = await db.query<{ eventId: string }>(
    `SELECT event_id AS "eventId" FROM log_events WHERE message ILIKE $1 AND ts >= $2 AND ts < $3
        AND ($5::timestamptz IS NULL OR (ts, event_id) < ($5, $6)) ORDER BY ts DESC, event_id DESC LIMIT $4`,
    [pattern, new Date(range.from), new Date(range.to), limit, before ? new Date(before.ts) : null, before?.eventId ?? null],
  );
  return rows.map((r) => r.eventId);
}

const ids = (hits: LogSearchHit[]) => hits.map((h) => h.eventId);
const keyOf = (h: LogSearchHit) => ({ ts: Date.parse(h.ts), eventId: h.eventId });

describe("log search over several day partitions", () => {
  it("finds rare text in every day, newest first, as SQL does", async () => {
    const hits = (await searchLogs(db, { search: parseLogSearch("vault sealed"), ...range, limit: 50 })).hits;
    expect(hits).toHaveLength(LINES / 10_000);
    expect(ids(hits)).toEqual(await sqlNewest("%vault sealed%", 50));
    expect(new Set(hits.map((h) => h.ts.slice(0, 10))).size).toBe(5);
  });

  it("pages through matches spread over the days: each page is SQL's next 50, the last one what is left", async () => {
    const q = parseLogSearch("reindexing shard");
    const first = (await searchLogs(db, { search: q, ...range, limit: 50 })).hits;
    expect(ids(first)).toEqual(await sqlNewest("%reindexing shard%", 50));
    const second = (await searchLogs(db, { search: q, ...range, limit: 50, before: keyOf(first.at(-1)!) })).hits;
    expect(ids(second)).toEqual(await sqlNewest("%reindexing shard%", 50, keyOf(first.at(-1)!)));
    const third = (await searchLogs(db, { search: q, ...range, limit: 50, before: keyOf(second.at(-1)!) })).hits;
    expect(ids(third)).toEqual(await sqlNewest("%reindexing shard%", 50, keyOf(second.at(-1)!)));
    expect(first.length + second.length + third.length).toBe(LINES / 2000);
    expect(third.length).toBe(LINES / 2000 - 100);
  });

  it("once its time is up, answers with the newest days' matches and where it stopped; going on from there finds the rest, as SQL does", async () => {
    const q = parseLogSearch("vault sealed");
    const pages: LogSearchPage[] = [];
    let before: { ts: number; eventId: string } | undefined;
    do {
      // No time at all: each page searches one day partition and stops at its boundary.
      const page = await searchLogs(db, { search: q, ...range, limit: 50, before, partialAfterMs: 0 });
      pages.push(page);
      before = page.searchedFrom === null ? undefined : { ts: page.searchedFrom, eventId: "" };
    } while (before && pages.length < 10);
    expect(pages.map((p) => p.searchedFrom === null)).toEqual([false, false, false, false, true]);
    for (const page of pages.slice(0, -1)) expect(page.searchedFrom! % DAY).toBe(0);
    for (const page of pages) expect(new Set(page.hits.map((h) => h.ts.slice(0, 10))).size).toBeLessThanOrEqual(1);
    expect(pages.flatMap((p) => ids(p.hits))).toEqual(await sqlNewest("%vault sealed%", 50));
  });

  it("a JSON field with a one-character value reads only the lines holding the field, and finds what SQL finds", async () => {
    const fieldLines = LINES / 1000;
    await db.query(
      `INSERT INTO log_events (event_id, ts, resource_id, log_stream, request_id, level, message)
       SELECT 'json' || lpad(g::text, 8, '0'), to_timestamp(($2::float8 + g::float8 * $3 / $4) / 1000), $1, 'stream-json', NULL, 'INFO',
              json_build_object('message', 'basket', 'shopperId', g % 40, 'items', g % 3)::text
         FROM generate_series(0, $4::int - 1) g`,
      [(await db.query("SELECT id FROM resources LIMIT 1")).rows[0].id, FROM, SPAN, fieldLines],
    );
    await db.query("ANALYZE log_events");
    try {
      const hits = (await searchLogs(db, { search: parseLogSearch("shopperId = 0"), ...range, limit: 50 })).hits;
      const { rows } = await db.query<{ eventId: string }>(
        `SELECT event_id AS "eventId" FROM log_events WHERE message LIKE '{%' AND (message::json ->> 'shopperId') = '0' AND ts >= $1 AND ts < $2 ORDER BY ts DESC, event_id DESC LIMIT 50`,
        [new Date(range.from), new Date(range.to)],
      );
      expect(ids(hits)).toEqual(rows.map((r) => r.eventId));
      expect(hits).toHaveLength(fieldLines / 40);

      // The plan narrows by the field's name through the trigram index; "0" has no trigram (an ILIKE on it
      // would read the index whole), so it is checked on those lines only.
      const day = { from: FROM + 2 * DAY - (FROM % DAY), to: FROM + 3 * DAY - (FROM % DAY) };
      const { sql, args } = searchStatement({ search: parseLogSearch("shopperId = 0"), ...day, limit: 50 });
      const client = await db.connect();
      try {
        await client.query(`BEGIN; ${INDEX_PLAN}`);
        const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, args);
        await client.query("ROLLBACK");
        const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
        expect(text).toMatch(/Bitmap Index Scan on log_events_p\d+_message_idx[^\n]*\n\s*Index Cond: \(message ~~\* '%shopperId%'::text\)/);
        expect(text).not.toMatch(/Index Cond: .*'%0%'/);
      } finally {
        client.release();
      }
    } finally {
      await db.query("DELETE FROM log_events WHERE log_stream = 'stream-json'");
    }
  });
});
