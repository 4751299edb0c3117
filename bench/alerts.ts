// `npm run bench:alerts`: one evaluation of 20 alert policies over 1,000 functions, reading the minute
// rollups of their windows (seeded: 60 minutes x 1,000 functions). Target (issue 13): well under a second.
// Then a policy's backtest over 7 days x 100 functions (the 7 days of minute rollups seeded for them).
import { loadavg } from "node:os";
import pg from "pg";
import { backtestPolicy } from "@/lib/db/alerts/backtest";
import { evaluateAlerts } from "@/lib/db/alerts/evaluate-alerts";
import { PolicyInput } from "@/lib/api/schemas/alerts";
import { applyMigrations } from "@/lib/db/migrate";
import { isLocalDatabaseUrl, withDatabase } from "@/lib/db/url";
import { appendBenchmarks } from "./report";

const FUNCTIONS = 1000;
const POLICIES = 20;
const MINUTES = 60;
const RUNS = Number(process.env.BENCH_ALERTS_RUNS ?? 9);
const BACKTEST_FUNCTIONS = 100;
const BACKTEST_RUNS = 3;
const WEEK_MINUTES = 7 * 24 * 60;
// The steady median before readWindowTotals read the histograms apart (BENCHMARKS.md, 2026-12-02 17:08 UTC).
const BEFORE_MS = 838;
const DB = "osprey_bench_alerts";

async function database(): Promise<string> {
  const admin = process.env.DATABASE_URL;
  if (!admin || !isLocalDatabaseUrl(admin)) throw new Error("set DATABASE_URL to a Postgres on this machine");
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${DB}"`);
  await c.query(`CREATE DATABASE "${DB}"`);
  await c.end();
  const url = withDatabase(admin, DB);
  await applyMigrations(url);
  return url;
}

async function seed(db: pg.Pool, now: number): Promise<void> {
  await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('bench', '{us-east-1}', now())");
  await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, tags)
     SELECT (SELECT id FROM accounts LIMIT 1), 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:123456789012:function:fn-' || g, 'fn-' || g,
            jsonb_build_object('team', CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END)
       FROM generate_series(1, $1) g`,
    [FUNCTIONS],
  );
  // Every function ran each minute; one in ten fails a quarter of the time, so some policies fire.
  await db.query(
    `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors, timeouts, cold_starts, cost_usd, hist_buckets, hist_counts, max_duration_ms)
     SELECT r.id, date_trunc('minute', $1::timestamptz) - m * interval '1 minute', 40, CASE WHEN r.id % 10 = 0 THEN 30 ELSE 40 END,
            CASE WHEN r.id % 10 = 0 THEN 8 ELSE 0 END, CASE WHEN r.id % 10 = 0 THEN 2 ELSE 0 END, 1, 0.0004,
            ARRAY[150, 200, 260]::smallint[], ARRAY[30, 9, 1], 1200
       FROM resources r, generate_series(0, $2 - 1) m`,
    [new Date(now), MINUTES],
  );
  const kinds = ["error_rate", "failed_invocations", "timeouts", "out_of_memory", "cold_start_rate", "p95_duration", "p99_duration", "cost_per_hour"];
  const thresholds: Record<string, number> = { error_rate: 0.05, failed_invocations: 20, timeouts: 5, out_of_memory: 1, cold_start_rate: 0.5, p95_duration: 1000, p99_duration: 1000, cost_per_hour: 1 };
  for (let i = 0; i < POLICIES; i++) {
    const kind = kinds[i % kinds.length];
    const scope = i % 4 === 3 ? { kind: "tag", key: "team", value: "a" } : { kind: "all", key: null, value: null };
    await db.query(
      `INSERT INTO alert_policies (name, condition_kind, threshold, critical_threshold, window_minutes, min_invocations, scope_kind, tag_key, tag_value)
       VALUES ($1, $2, $3, $4, $5, 10, $6, $7, $8)`,
      [`bench ${i}`, kind, thresholds[kind], kind === "error_rate" ? 0.25 : null, [5, 10, 15, 30, 60][i % 5], scope.kind, scope.key, scope.value],
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The rest of 7 days for the first 100 functions: a burst of failures for 5 minutes every 3 hours, at a different minute for each. */
async function seedWeek(db: pg.Pool, now: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>("SELECT id FROM resources ORDER BY id LIMIT $1", [BACKTEST_FUNCTIONS]);
  const ids = rows.map((r) => r.id);
  await db.query(
    `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors, cold_starts, cost_usd, hist_buckets, hist_counts, max_duration_ms)
     SELECT r, date_trunc('minute', $1::timestamptz) - m * interval '1 minute', 40, CASE WHEN (m + r * 7) % 180 < 5 THEN 28 ELSE 40 END,
            CASE WHEN (m + r * 7) % 180 < 5 THEN 12 ELSE 0 END, 1, 0.0004, ARRAY[150, 200, 260]::smallint[], ARRAY[30, 9, 1], 1200
       FROM unnest($2::int[]) r, generate_series($3::int, $4::int) m`,
    [new Date(now), ids, MINUTES, WEEK_MINUTES + 10],
  );
  return ids;
}

async function main() {
  const url = await database();
  const db = new pg.Pool({ connectionString: url, max: 4 });
  const now = Date.now();
  await seed(db, now);
  await db.query("ANALYZE");
  const t0 = performance.now();
  const first = await evaluateAlerts(db, { now, baseUrl: "http://localhost" });
  const firstMs = performance.now() - t0;
  const steady: number[] = [];
  const phases: { read: number; evaluate: number; write: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const s = await evaluateAlerts(db, { now: now + (i + 1) * 1000, baseUrl: "http://localhost" });
    steady.push(performance.now() - t);
    phases.push(s.ms);
  }
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM incidents");

  const ids = await seedWeek(db, now);
  await db.query("ANALYZE rollup_minute");
  const input = PolicyInput.parse({ name: "bench backtest", conditionKind: "error_rate", threshold: 0.1, windowMinutes: 10, minInvocations: 10, scopeKind: "resources", resourceIds: ids });
  const backtests: number[] = [];
  let backtest = await backtestPolicy(input, { now, retentionDays: 30 }, db);
  for (let i = 0; i < BACKTEST_RUNS; i++) {
    const t = performance.now();
    backtest = await backtestPolicy(input, { now, retentionDays: 30 }, db);
    backtests.push(performance.now() - t);
  }
  const t = performance.now();
  const p99 = await backtestPolicy({ ...input, conditionKind: "p99_duration", threshold: 1000 }, { now, retentionDays: 30 }, db);
  const p99Ms = performance.now() - t;
  await db.end();
  const load = loadavg().map((x) => x.toFixed(1)).join(" / ");
  const body = `Load average when done (1 / 5 / 15 min): ${load} on 2 cores: figures taken on a busy machine are that much slower.

Seeded: ${FUNCTIONS.toLocaleString("en")} functions, ${POLICIES} policies (8 condition kinds, windows 5–60 min, scopes all and tag), ${(FUNCTIONS * MINUTES).toLocaleString("en")} minute rollups; PostgreSQL on 127.0.0.1 (DATABASE_URL).

| measure | figure | target |
|---|---|---|
| first evaluation (opens ${first.opened.toLocaleString("en")} incidents, timeline rows, in one transaction) | ${firstMs.toFixed(0)} ms | < 1000 ms |
| steady evaluation, median of ${RUNS} (incidents held, deduplicated) | ${median(steady).toFixed(0)} ms | < 1000 ms |
| steady evaluation, slowest of ${RUNS} | ${Math.max(...steady).toFixed(0)} ms | |
| steady, median per phase: read (policies, resources, rollup sums in SQL, incidents) / evaluate (pure) / write | ${(["read", "evaluate", "write"] as const).map((k) => median(phases.map((p) => p[k])).toFixed(0)).join(" / ")} ms | |
| first evaluation per phase: read / evaluate / write | ${first.ms.read.toFixed(0)} / ${first.ms.evaluate.toFixed(0)} / ${first.ms.write.toFixed(0)} ms | |
| incidents after all runs | ${rows[0].n.toLocaleString("en")} | = opened (${first.opened.toLocaleString("en")}) |
| steady median against ${BEFORE_MS} ms before the faster read (2026-12-02 17:08) | ×${(median(steady) / BEFORE_MS).toFixed(2)} | < 400 ms aimed |
| backtest of an error-rate policy, 7 days x ${BACKTEST_FUNCTIONS} functions (${((WEEK_MINUTES + 11) * BACKTEST_FUNCTIONS).toLocaleString("en")} minute rollups, one replay per minute each), median of ${BACKTEST_RUNS} | ${median(backtests).toFixed(0)} ms (${backtest.incidents.toLocaleString("en")} incidents) | |
| the same backtest of a p99 duration policy (histograms read and merged each minute), one run | ${p99Ms.toFixed(0)} ms (${p99.incidents.toLocaleString("en")} incidents) | |`;
  console.log(body);
  if (!process.env.BENCH_NO_WRITE) appendBenchmarks("bench:alerts (evaluation of 1,000 functions x 20 policies)", body);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
