import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { utcDay } from "../partitions";
import { getInvocation } from "./invocation";

const DAY = 86_400_000;
// Relative to the real clock: the lookups read the last two days' partitions first.
const NOW = Date.now();
const midnight = Math.floor(NOW / DAY) * DAY;

let tdb: TestDatabase;
let db: pg.Pool;
let resourceId: number;

async function invocation(requestId: string, attempt: number, startedAt: number) {
  await db.query(
    `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream, started_at, ended_at, duration_ms, status, complete)
     VALUES ($1::date, $2, $3, $4, 'stream', $5, $6, 100, 'success', true)`,
    [utcDay(startedAt), resourceId, requestId, attempt, new Date(startedAt), new Date(startedAt + 100)],
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'f') RETURNING id`,
    [a[0].id],
  );
  resourceId = rows[0].id;
  await invocation("old", 1, NOW - 9 * DAY);
  // A retry across midnight, two and three days back: found in the recent partitions, but not whole there.
  await invocation("midnight", 1, midnight - 2 * DAY - 60_000);
  await invocation("midnight", 2, midnight - 2 * DAY + 60_000);
  await invocation("retried", 1, NOW - 3 * 3_600_000);
  await invocation("retried", 2, NOW - 2 * 3_600_000);
  await invocation("latest", 1, NOW - 60_000);
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

const ids = (d: Awaited<ReturnType<typeof getInvocation>>) => ({
  chain: d!.retryChain.map((c) => `${c.requestId}#${c.attempt}`),
  previous: d!.previous?.requestId ?? null,
  next: d!.next?.requestId ?? null,
});

describe("invocation detail lookups across day partitions", () => {
  it("finds a recent request's whole retry chain and its neighbours", async () => {
    expect(ids(await getInvocation(db, resourceId, "retried"))).toEqual({ chain: ["retried#1", "retried#2"], previous: "midnight", next: "retried" });
    expect(ids(await getInvocation(db, resourceId, "latest"))).toEqual({ chain: ["latest#1"], previous: "retried", next: null });
  });

  it("reads older partitions when the answer may lie there", async () => {
    expect(ids(await getInvocation(db, resourceId, "midnight"))).toEqual({ chain: ["midnight#1", "midnight#2"], previous: "old", next: "midnight" });
    // Nine days back: no neighbour within a day either side of it but the next one, days later.
    expect(ids(await getInvocation(db, resourceId, "old"))).toEqual({ chain: ["old#1"], previous: null, next: "midnight" });
    expect(await getInvocation(db, resourceId, "missing")).toBeNull();
  });
});
