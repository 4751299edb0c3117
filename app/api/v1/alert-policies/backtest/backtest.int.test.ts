import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BacktestInput, BacktestView } from "@/lib/api/schemas/alerts-backtest";
import { evaluateAlerts } from "@/lib/db/alerts/evaluate-alerts";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

let tdb: TestDatabase;
let db: pg.Pool;
let routes: { backtest: typeof import("./route"); list: typeof import("../route") };

const MIN = 60_000;
const DAY = 86_400_000;
const req = (body: unknown) => asOwner("http://127.0.0.1/api/v1/alert-policies/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const ctx = { params: Promise.resolve({}) };

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  routes = { backtest: await import("./route"), list: await import("../route") };
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

async function seed(now: number): Promise<{ burst: number; flappy: number; quiet: number; other: number; start: number; end: number }> {
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const id = async (name: string, team: string) =>
    (await db.query("INSERT INTO resources (account_id, region, kind, arn, name, tags) VALUES ($1, 'us-east-1', 'lambda', $2, $3, $4) RETURNING id", [a[0].id, `arn:aws:lambda:us-east-1:1:function:${name}`, name, { team }])).rows[0].id as number;
  const burst = await id("checkout", "pay");
  const flappy = await id("cart", "pay");
  const quiet = await id("cron", "pay");
  const other = await id("search", "web");
  // Three hours of minutes ending 40 minutes ago; one row per function and minute.
  const end = Math.floor(now / MIN) * MIN - 40 * MIN;
  const start = end - 180 * MIN;
  const rows: [number, number, number, number][] = [];
  for (let m = start; m <= end; m += MIN) {
    const i = (m - start) / MIN;
    // checkout: two bursts an hour and a half apart (two incidents).
    rows.push([burst, m, 20, (i >= 20 && i < 26) || (i >= 110 && i < 114) ? 12 : 0]);
    // cart: a failing minute every 12 minutes for two hours, which flaps (one incident).
    rows.push([flappy, m, 20, i < 120 && i % 12 === 0 ? 20 : 0]);
    // cron: fails every time, but runs once every minute: under minInvocations over the window.
    rows.push([quiet, m, 1, 1]);
    // search: out of a tag scope, failing throughout.
    rows.push([other, m, 20, 20]);
  }
  await db.query(
    `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors, cost_usd, hist_buckets, hist_counts)
     SELECT r, to_timestamp(m / 1000.0), i, i - e, e, 0.0001 * i, '{200}'::smallint[], ARRAY[i] FROM unnest($1::int[], $2::float8[], $3::int[], $4::int[]) AS t(r, m, i, e)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
  // An old row beyond the 7 days: never counted.
  await db.query("INSERT INTO rollup_minute (resource_id, bucket_start, invocations, errors) VALUES ($1, $2, 100, 100)", [burst, new Date(now - 8 * DAY)]);
  return { burst, flappy, quiet, other, start, end };
}

describe("POST /api/v1/alert-policies/backtest", () => {
  it("answers the incidents the live evaluation then opens over the same minutes, per function, flapping held back", async () => {
    const now = Date.now();
    const s = await seed(now);
    const body = { conditionKind: "error_rate", threshold: 0.2, windowMinutes: 5, minInvocations: 10, scopeKind: "tag", tagKey: "team", tagValue: "pay", resolveAfterMinutes: 5, flapMinutes: 15 };
    const res = await routes.backtest.POST(req(body), ctx);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: BacktestView };
    expect(data.evaluable).toBe(true);
    expect(Date.parse(data.to) - Date.parse(data.from)).toBe(7 * DAY);
    expect(data.coveredFrom).toBe(data.from);
    expect(data.resources.map((r) => [r.name, r.incidents])).toEqual([["checkout", 2], ["cart", 1]]);
    expect(data.incidents).toBe(3);
    const checkout = data.resources[0];
    // 12 of 20 for two minutes of a 5-minute window of 20 a minute: 24/100 = 0.24 ≥ 0.2 at the burst's second minute.
    expect(checkout.firstOpenedAt).toBe(new Date(s.start + 21 * MIN).toISOString());
    expect(checkout.lastOpenedAt).toBe(new Date(s.start + 111 * MIN).toISOString());
    expect(checkout.peakValue).toBeCloseTo(0.6, 9);

    // The same policy, saved, evaluated live at every minute of the seeded span and past the last resolve.
    const created = await routes.list.POST(asOwner("http://127.0.0.1/api/v1/alert-policies", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, name: "pay error rate" }) }), ctx);
    expect(created.status).toBe(201);
    for (let m = s.start; m <= s.end + 30 * MIN; m += MIN) await evaluateAlerts(db, { now: m + 15_000, baseUrl: "http://osprey.test" });
    const { rows } = await db.query<{ resource_id: number; n: number; first: Date; last: Date }>(
      "SELECT resource_id, count(*)::int AS n, min(opened_at) AS first, max(opened_at) AS last FROM incidents GROUP BY resource_id ORDER BY resource_id",
    );
    const live = rows.map((r) => ({ resourceId: r.resource_id, incidents: r.n, firstMinute: Math.floor(r.first.getTime() / MIN) * MIN, lastMinute: Math.floor(r.last.getTime() / MIN) * MIN }));
    expect(live).toEqual(
      data.resources
        .map((r) => ({ resourceId: r.resourceId, incidents: r.incidents, firstMinute: Date.parse(r.firstOpenedAt), lastMinute: Date.parse(r.lastOpenedAt) }))
        .sort((x, y) => x.resourceId - y.resourceId),
    );
    const { rows: flaps } = await db.query<{ flaps: number }>("SELECT flaps FROM incidents WHERE resource_id = $1", [s.flappy]);
    expect(flaps[0].flaps).toBeGreaterThan(0);
  });

  it("refuses an incomplete body, says where the minute rollups start, and answers evaluable:false for a condition the rollups do not hold", async () => {
    expect((await routes.backtest.POST(req({ conditionKind: "error_rate", threshold: 0.1, scopeKind: "tag" }), ctx)).status).toBe(400);
    expect((await routes.backtest.POST(req({ conditionKind: "error_rate" }), ctx)).status).toBe(400);
    expect((await routes.backtest.POST(req([1]), ctx)).status).toBe(400);

    const { backtestPolicy } = await import("@/lib/db/alerts/backtest");
    const { BacktestInput } = await import("@/lib/api/schemas/alerts-backtest");
    const input = BacktestInput.parse({ conditionKind: "error_rate", threshold: 0.2, windowMinutes: 5 });
    const now = Date.now();
    const short = await backtestPolicy(input, { now, retentionDays: 3 }, db);
    expect(short.coveredFrom).toBe(new Date(now - 3 * DAY).toISOString());
    expect(short.from).toBe(new Date(now - 7 * DAY).toISOString());

    // Another engineer's kinds (metric points, events) reach the backtest through the same body.
    const events = await backtestPolicy({ ...input, conditionKind: "new_error_group" } as unknown as BacktestInput, { now, retentionDays: 30 }, db);
    expect(events).toMatchObject({ evaluable: false, incidents: 0, resources: [] });
    expect(events.reason).toMatch(/new_error_group/);
  });

  it("reads every column the replay needs: the same answer as the pure backtest over the rows as stored, for every rollup kind", async () => {
    const { backtestPolicy } = await import("@/lib/db/alerts/backtest");
    const { backtest, isRollupCondition: isRollupKind } = await import("@/lib/analysis/alerts/backtest");
    const { BacktestInput } = await import("@/lib/api/schemas/alerts-backtest");
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('cols', '{eu-west-1}', now()) RETURNING id");
    const { rows: r } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'eu-west-1', 'lambda', 'arn:aws:lambda:eu-west-1:1:function:mixed', 'mixed') RETURNING id", [a[0].id]);
    const id = r[0].id as number;
    const now = Date.now();
    const end = Math.floor(now / MIN) * MIN - 5 * MIN;
    // Two hours with every counter, histograms and longest durations varying; some minutes missing.
    await db.query(
      `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, errors, timeouts, out_of_memory, crashes, cold_starts, cost_usd, hist_buckets, hist_counts, max_duration_ms)
       SELECT $1, $2::timestamptz - g * interval '1 minute', 20 + g % 7, CASE WHEN g % 30 < 4 THEN 6 ELSE 0 END, CASE WHEN g % 11 = 0 THEN 2 ELSE 0 END,
              CASE WHEN g % 17 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 23 = 0 THEN 1 ELSE 0 END, g % 5, 0.0001 * (g % 13), 
              ARRAY[300, 320 + (g % 40)]::smallint[], ARRAY[15, 5 + g % 3], CASE WHEN g % 9 = 0 THEN NULL ELSE 300 + g * 3 END
         FROM generate_series(0, 119) g WHERE g % 19 <> 5`,
      [id, new Date(end)],
    );
    const { rows: stored } = await db.query("SELECT * FROM rollup_minute WHERE resource_id = $1", [id]);
    const rows = stored.map((x) => ({
      resourceId: id, minute: x.bucket_start.getTime(), invocations: x.invocations, errors: x.errors, timeouts: x.timeouts, outOfMemory: x.out_of_memory, crashes: x.crashes,
      coldStarts: x.cold_starts, costUsd: x.cost_usd, histBuckets: x.hist_buckets, histCounts: x.hist_counts, maxDurationMs: x.max_duration_ms,
    }));
    const cases = [
      { conditionKind: "failed_invocations", threshold: 8 },
      { conditionKind: "timeouts", threshold: 2 },
      { conditionKind: "out_of_memory", threshold: 1 },
      { conditionKind: "cold_start_rate", threshold: 0.09 },
      { conditionKind: "p95_duration", threshold: 20 },
      { conditionKind: "p99_duration", threshold: 25 },
      { conditionKind: "cost_per_hour", threshold: 0.02 },
    ];
    for (const c of cases) {
      const input = BacktestInput.parse({ ...c, windowMinutes: 5, minInvocations: 10, scopeKind: "resources", resourceIds: [id], resolveAfterMinutes: 3, flapMinutes: 0 });
      const got = await backtestPolicy(input, { now, retentionDays: 30 }, db);
      if (!isRollupKind(input.conditionKind)) throw new Error(`${input.conditionKind} is no rollup kind`);
      const want = backtest({ kind: input.conditionKind, threshold: input.threshold, criticalThreshold: null, windowMinutes: 5, minInvocations: 10, severity: "warning" }, { resolveAfterMinutes: 3, flapMinutes: 0 }, [{ resourceId: id, name: "mixed", rows }], now - 7 * DAY, now);
      expect(got.incidents, c.conditionKind).toBe(want.incidents);
      expect(got.incidents, `${c.conditionKind} should fire for the comparison to mean something`).toBeGreaterThan(0);
      expect(got.resources[0].peakValue, c.conditionKind).toBeCloseTo(want.resources[0].peakValue!, 9);
    }
  });
});
