import { LOCAL_ACTOR } from "@/lib/db/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { deleteAccount } from "./accounts";
import { applyRetention } from "./retention";

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY);

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

async function policy(name: string, accountId: number | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alert_policies (name, condition_kind, threshold, scope_kind, account_id) VALUES ($1, 'error_rate', 0.05, $2, $3) RETURNING id`,
    [name, accountId === null ? "all" : "account", accountId],
  );
  return rows[0].id;
}

async function incident(policyId: number, resourceId: number, state: string, resolvedAt: Date | null): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO incidents (policy_id, resource_id, state, severity, value, threshold, opened_at, resolved_at, last_evaluated_at)
     VALUES ($1, $2, $3, 'warning', 0.2, 0.05, $4, $5, $4) RETURNING id`,
    [policyId, resourceId, state, resolvedAt ?? new Date(NOW), resolvedAt],
  );
  await db.query("INSERT INTO incident_events (incident_id, kind, actor) VALUES ($1, 'opened', 'osprey')", [rows[0].id]);
  return Number(rows[0].id);
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0].n);

describe("alert tables", () => {
  it("allow one unresolved incident per policy and resource, any number of resolved ones", async () => {
    const { resourceId } = await account("dedupe", "333333333333");
    const p = await policy("dedupe policy", null);
    await incident(p, resourceId, "resolved", ago(1));
    await incident(p, resourceId, "resolved", ago(2));
    await incident(p, resourceId, "open", null);
    await expect(incident(p, resourceId, "acknowledged", null)).rejects.toThrow(/incidents_one_open_key/);
  });

  it("account removal removes the policies scoped to it and the incidents of its resources, with their timelines", async () => {
    const gone = await account("gone", "111111111111");
    const kept = await account("kept", "222222222222");
    const global = await policy("everything", null);
    const scoped = await policy("gone only", gone.accountId);
    await incident(global, gone.resourceId, "open", null);
    await incident(scoped, gone.resourceId, "open", null);
    const keptIncident = await incident(global, kept.resourceId, "open", null);

    expect(await deleteAccount(gone.accountId, LOCAL_ACTOR)).toBe(true);

    expect((await db.query("SELECT id FROM alert_policies WHERE id = ANY($1::int[]) ORDER BY id", [[global, scoped]])).rows.map((r) => r.id)).toEqual([global]);
    expect((await db.query("SELECT id FROM incidents WHERE policy_id = ANY($1::int[])", [[global, scoped]])).rows.map((r) => Number(r.id))).toEqual([keptIncident]);
    expect(await count("SELECT count(*) AS n FROM incident_events e WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.incident_id)")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM incident_events WHERE incident_id = $1", [keptIncident])).toBe(1);
  });

  it("retention removes incidents resolved before the raw retention and keeps open ones whatever their age", async () => {
    const { resourceId } = await account("retained", "444444444444");
    const p = await policy("retention policy", null);
    const old = await incident(p, resourceId, "resolved", ago(31));
    const recent = await incident(p, resourceId, "resolved", ago(29));
    await db.query("UPDATE incidents SET opened_at = $2 WHERE id = $1", [recent, ago(40)]);
    const open = await incident(p, resourceId, "open", null);
    await db.query("UPDATE incidents SET opened_at = $2 WHERE id = $1", [open, ago(60)]);

    const removed = await applyRetention(db, 30, NOW);

    expect(removed.incidents).toBeGreaterThanOrEqual(1);
    const left = (await db.query("SELECT id FROM incidents WHERE policy_id = $1 ORDER BY id", [p])).rows.map((r) => Number(r.id));
    expect(left).toEqual([recent, open]);
    expect(await count("SELECT count(*) AS n FROM incident_events WHERE incident_id = $1", [old])).toBe(0);
  });
});
