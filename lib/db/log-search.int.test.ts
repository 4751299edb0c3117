import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { parseLogSearch } from "../ingest/search/parse-query";
import { searchLogs } from "./log-search";

// Request ids are where Postgres's text-search parser is least predictable: it reads a UUID such as
// `ee422a5f-8543-4e00-9a21-744e3e281cc0` as one compound alone, as other pieces inside a REPORT line,
// and `744e3e281cc0` as a number in scientific notation when it parses a query's text. A few in a
// hundred random ids fall into such a split, so two hundred of them find any lookup that depends on it.
const IDS = Array.from({ length: 200 }, () => randomUUID());
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
let tdb: TestDatabase;
let db: pg.Pool;
let resourceId: number;

const lines = (id: string, i: number) => [
  `START RequestId: ${id} Version: $LATEST\n`,
  `2026-11-25T10:00:00.000Z\t${id}\tINFO\tprocessing order ${i}\n`,
  JSON.stringify({ timestamp: "2026-11-25T10:00:00.000Z", level: "WARN", requestId: id, message: `slow cart ${i}` }),
  `REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t\n`,
];

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: [account] } = await db.query("INSERT INTO accounts (name, regions) VALUES ('search', '{us-east-1}') RETURNING id");
  const { rows: [resource] } = await db.query(
    "INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:111111111111:function:search', 'search') RETURNING id",
    [account.id],
  );
  resourceId = resource.id;
  // The level column as the ingest fills it: the text line's INFO, the JSON line's WARN.
  const rows = IDS.flatMap((id, i) => lines(id, i).map((message, k) => ({ id, message, ts: T0 + i * 1000 + k, eventId: `${i}-${k}`, level: [null, "INFO", "WARN", null][k] })));
  await db.query(
    `INSERT INTO log_events (event_id, ts, resource_id, log_stream, request_id, level, message)
     SELECT e, to_timestamp(t / 1000.0), $1, '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef', r, l, m
       FROM unnest($2::text[], $3::float8[], $4::text[], $5::text[], $6::text[]) AS u(e, t, r, m, l)`,
    [resourceId, rows.map((r) => r.eventId), rows.map((r) => r.ts), rows.map((r) => r.id), rows.map((r) => r.message), rows.map((r) => r.level)],
  );
  await db.query("ANALYZE log_events");
});

afterAll(async () => {
  await db.end();
  await tdb.drop();
});

const search = async (q: string) => (await searchLogs(db, { search: parseLogSearch(q), from: T0 - 60_000, to: T0 + 3_600_000, limit: 50 })).hits;

describe("searchLogs", () => {
  it("finds every line of each request by its id, alone or with another word", async () => {
    const missed: string[] = [];
    for (const [i, id] of IDS.entries()) {
      const all = await search(id);
      if (all.length !== 4) missed.push(`${id}: ${all.length} of 4 lines`);
      const report = await search(`REPORT ${id}`);
      if (report.length !== 1 || report[0].eventId !== `${i}-3`) missed.push(`REPORT ${id}: ${report.length} lines`);
    }
    expect(missed).toEqual([]);
  });

  it("finds a request id inside a quoted phrase and as a JSON field's value", async () => {
    const missed: string[] = [];
    for (const [i, id] of IDS.slice(0, 100).entries()) {
      const phrase = await search(`"RequestId: ${id}"`);
      if (phrase.map((h) => h.eventId).sort().join() !== `${i}-0,${i}-3`) missed.push(`phrase ${id}`);
      const field = await search(`requestId = ${id}`);
      if (field.length !== 1 || field[0].eventId !== `${i}-2`) missed.push(`field ${id}`);
    }
    expect(missed).toEqual([]);
  });

  it("requires every word, and a phrase's words in order", async () => {
    const hits = await search("processing order 17");
    expect(hits.map((h) => h.eventId)).toContain("17-1");
    expect(hits.every((h) => ["processing", "order", "17"].every((w) => h.message.includes(w)))).toBe(true);
    expect(await search('"order processing"')).toEqual([]);
    const phrase = await search('"processing order 17"');
    expect(phrase.map((h) => h.eventId)).toContain("17-1");
    expect(phrase.every((h) => h.message.includes("processing order 17"))).toBe(true);
    expect((await search("level = warn cart")).length).toBe(50);
  });
});
