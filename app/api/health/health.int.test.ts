import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/db/pool";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { GET } from "./route";

let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createPool(tdb.url, 2);
  // The route takes its pool from lib/db/prisma.ts: hand it this test's database.
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

async function health() {
  const res = await GET();
  return { status: res.status, body: await res.json() };
}

describe("GET /api/health", () => {
  it("says degraded, and why, while no worker is alive; ok once one beats", async () => {
    const none = await health();
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ ok: true, status: "degraded", workers: { alive: 0, lastHeartbeat: null } });
    expect(none.body.problems).toEqual([expect.stringMatching(/^no worker alive: no worker has ever sent a heartbeat/)]);

    await db.query("INSERT INTO worker_heartbeats (worker_id, pid, host, last_seen) VALUES ('gone', 1, 'h', now() - interval '5 minutes')");
    const gone = await health();
    expect(gone.body.status).toBe("degraded");
    expect(gone.body.problems[0]).toMatch(/^no worker alive: the last heartbeat was 30\d s ago/);

    await db.query("INSERT INTO worker_heartbeats (worker_id, pid, host, last_seen) VALUES ('alive', 2, 'h', now())");
    const alive = await health();
    expect(alive.body).toMatchObject({ ok: true, status: "ok", problems: [], workers: { alive: 1 } });
  });
});
