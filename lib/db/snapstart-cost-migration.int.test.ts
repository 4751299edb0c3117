import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { snapStartInvocationEvents } from "../analysis/__fixtures__/snapstart-report";
import { parseLambdaLogEvents } from "../ingest/lambda-logs";
import { writeLambdaBatch } from "./lambda-writer";
import { getInvocation } from "./queries/invocation";

const MIGRATION = path.join(process.cwd(), "prisma", "migrations", "20261203120000_snapstart_cost", "migration.sql");
const REQ = "5d1e2f30-4a5b-4c6d-8e7f-90a1b2c3d4e5";
const STREAM = "2026/12/02/[$LATEST]00112233445566778899aabbccddeeff";
const T = Date.UTC(2026, 11, 2, 10, 15, 0);
const USD_PER_GB_S = 0.0000166667;

let tdb: TestDatabase;
let db: pg.Pool;
let resourceId: number;

const events = snapStartInvocationEvents(REQ, STREAM, T);

async function stored() {
  const { rows: inv } = await db.query("SELECT cost_usd FROM invocations WHERE resource_id = $1", [resourceId]);
  const rollups: Record<string, { billed: number; gbs: number; cost: number }> = {};
  for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
    const { rows } = await db.query(
      `SELECT billed_ms::int AS billed, gb_seconds AS gbs, cost_usd AS cost FROM ${table} WHERE resource_id = $1`,
      [resourceId],
    );
    rollups[table] = rows[0];
  }
  return { cost: inv[0].cost_usd as number, rollups };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:orders-java', 'orders-java', '{}') RETURNING id`,
    [accounts[0].id],
  );
  resourceId = rows[0].id;
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await writeLambdaBatch(client, { resourceId, region: "us-east-1", architecture: "x86_64" }, parseLambdaLogEvents(events, { functionName: "orders-java" }));
    await client.query("COMMIT");
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

describe("SnapStart cost", () => {
  it("is stored as REPORT bills it: 814 ms at 2,048 MB = 1.628 GB-s", async () => {
    const now = await stored();
    expect(now.cost).toBeCloseTo(0.0000002 + 1.628 * USD_PER_GB_S, 12);
    for (const r of Object.values(now.rollups)) {
      expect(r.billed).toBe(814);
      expect(r.gbs).toBeCloseTo(1.628, 9);
      expect(r.cost).toBeCloseTo(now.cost, 12);
    }
  });

  it("shows 1.628 GB-s on the invocation page, not 2.106", async () => {
    const detail = await getInvocation(db, resourceId, REQ);
    expect(detail?.cost.gbSeconds).toBeCloseTo(1.628, 9);
    expect(detail?.invocation).toMatchObject({ billedDurationMs: 814, billedRestoreDurationMs: 239 });
  });

  it("migration 20261203120000_snapstart_cost takes the restore counted twice out of stored rows", async () => {
    const truth = await stored();
    // What ingest stored before the fix: the 239 ms restore added again (2.106 GB-s instead of 1.628).
    const extraGbs = (239 / 1000) * 2;
    await db.query("UPDATE invocations SET cost_usd = cost_usd + $2 WHERE resource_id = $1", [resourceId, extraGbs * USD_PER_GB_S]);
    for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
      await db.query(
        `UPDATE ${table} SET billed_ms = billed_ms + 239, gb_seconds = gb_seconds + $2, cost_usd = cost_usd + $3 WHERE resource_id = $1`,
        [resourceId, extraGbs, extraGbs * USD_PER_GB_S],
      );
    }
    expect((await stored()).rollups.rollup_hour.gbs).toBeCloseTo(2.106, 9);

    await db.query(readFileSync(MIGRATION, "utf8"));

    const fixed = await stored();
    expect(fixed.cost).toBeCloseTo(truth.cost, 12);
    for (const [table, r] of Object.entries(fixed.rollups)) {
      expect(r.billed, table).toBe(814);
      expect(r.gbs, table).toBeCloseTo(1.628, 9);
      expect(r.cost, table).toBeCloseTo(truth.cost, 12);
    }
  });
});
