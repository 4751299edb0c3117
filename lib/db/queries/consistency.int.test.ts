import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactPercentile, PERCENTILE_BOUND } from "@/lib/analysis/histogram";
import { RangeQuery, resolveRange, type TimeRange } from "@/lib/api/schemas/common";
import { CostQuery } from "@/lib/api/schemas/cost";
import { OverviewQuery } from "@/lib/api/schemas/overview";
import { ResourceListQuery } from "@/lib/api/schemas/resources";
import { SeriesQuery } from "@/lib/api/schemas/series";
import { parseLambdaLogEvents } from "@/lib/ingest/lambda-logs";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { startTimes, workloadEvents, type WorkloadFunction } from "@/test/numbers-workload";
import { writeLambdaBatch } from "../lambda-writer";
import { refreshStatsSummaries } from "../stats-summary-refresh";
import { getCost } from "./cost";
import { getOverview } from "./overview";
import { listResources } from "./resources";
import { getResourceTotals } from "./resource-totals";
import { getResourceSeries } from "./series";
import { readSummarisedFleetTotals, readSummarisedStats } from "./stats-summary";

// Every figure the overview, the function list, the function page (series and totals) and the cost page answer for a
// range equals the same figure computed by SQL over the raw invocations of exactly that range
// (percentiles within the histogram's stated bound), and so does the period before it.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Not on any minute, hour or day boundary.
const NOW = Date.UTC(2026, 10, 20, 12, 17, 23, 456);
const REGION = "us-east-1";

const FUNCTIONS: WorkloadFunction[] = [
  { name: "orders-api", memoryMB: 1024, timeoutS: 6, timeoutShare: 0.01 },
  { name: "report-generator", memoryMB: 2048, timeoutS: 60, timeoutShare: 0.108 },
  { name: "thumbnailer", memoryMB: 128, timeoutS: 15, timeoutShare: 0.03 },
];

const CUSTOM = { from: NOW - 3 * DAY - 5 * HOUR - 13 * MIN - 17_250, to: NOW - DAY - 2 * HOUR - 41 * MIN - 9_125 };
// As the pages send them: query-string values.
const QUERIES: [string, Record<string, string>][] = [
  ["1h", { range: "1h" }],
  ["24h", { range: "24h" }],
  ["7d", { range: "7d" }],
  ["30d", { range: "30d" }],
  ["custom", { from: new Date(CUSTOM.from).toISOString(), to: new Date(CUSTOM.to).toISOString() }],
];

let tdb: TestDatabase;
let db: pg.Pool;
const ids = new Map<string, number>();

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('numbers', '{us-east-1}', now()) RETURNING id");
  // Data on both sides of every range's edges and of the edges of the period before it.
  const edges = [NOW, NOW - HOUR, NOW - 2 * HOUR, NOW - DAY, NOW - 2 * DAY, NOW - 7 * DAY, NOW - 14 * DAY, NOW - 30 * DAY, NOW - 60 * DAY];
  edges.push(CUSTOM.from, CUSTOM.to, CUSTOM.from - (CUSTOM.to - CUSTOM.from));
  for (const [i, fn] of FUNCTIONS.entries()) {
    const config = { logGroup: `/aws/lambda/${fn.name}`, memorySizeMB: fn.memoryMB, timeout: fn.timeoutS, runtime: "nodejs20.x", architecture: "x86_64" };
    const { rows } = await db.query(
      "INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, $2, 'lambda', $3, $4, $5) RETURNING id",
      [accounts[0].id, REGION, `arn:aws:lambda:${REGION}:123456789012:function:${fn.name}`, fn.name, config],
    );
    ids.set(fn.name, rows[0].id);
    const starts = startTimes(NOW - 62 * DAY, NOW, edges, 1000 + i);
    const events = workloadEvents(fn, i + 1, starts, 2000 + i).filter((e) => e.timestamp < NOW);
    // Written in batches as the pull worker writes them, so the rollups are the writer's own.
    for (let b = 0; b < events.length; b += 3000) {
      const client = await db.connect();
      try {
        await client.query("BEGIN");
        await writeLambdaBatch(client, { resourceId: rows[0].id, region: REGION, architecture: "x86_64" }, parseLambdaLogEvents(events.slice(b, b + 3000), { functionName: fn.name }));
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }
  }
}, 240_000);

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

interface Truth {
  invocations: number;
  failed: number;
  coldStarts: number;
  gbSeconds: number;
  costUsd: number;
  durations: number[];
}

/** The figures of each function over [from, to), straight from the raw invocations, as metrics.ts defines them. */
async function truth(from: number, to: number): Promise<Map<number, Truth>> {
  const { rows } = await db.query(
    `SELECT resource_id, count(*)::int AS invocations,
            count(*) FILTER (WHERE status IN ('error', 'timeout', 'out_of_memory', 'crash'))::int AS failed,
            count(*) FILTER (WHERE cold_start)::int AS cold_starts,
            coalesce(sum(billed_duration_ms::float8 / 1000 * memory_size_mb / 1024), 0)::float8 AS gb_seconds,
            coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
            coalesce(array_agg(duration_ms ORDER BY duration_ms) FILTER (WHERE duration_ms IS NOT NULL), '{}') AS durations
       FROM invocations
      WHERE complete AND coalesce(started_at, ended_at - duration_ms * interval '1 millisecond') >= $1
        AND coalesce(started_at, ended_at - duration_ms * interval '1 millisecond') < $2
      GROUP BY resource_id`,
    [new Date(from), new Date(to)],
  );
  const out = new Map<number, Truth>();
  for (const id of ids.values()) out.set(id, { invocations: 0, failed: 0, coldStarts: 0, gbSeconds: 0, costUsd: 0, durations: [] });
  for (const r of rows) out.set(r.resource_id, { invocations: r.invocations, failed: r.failed, coldStarts: r.cold_starts, gbSeconds: r.gb_seconds, costUsd: r.cost_usd, durations: r.durations });
  return out;
}

function fleet(t: Map<number, Truth>): Truth {
  const all: Truth = { invocations: 0, failed: 0, coldStarts: 0, gbSeconds: 0, costUsd: 0, durations: [] };
  for (const x of t.values()) {
    all.invocations += x.invocations;
    all.failed += x.failed;
    all.coldStarts += x.coldStarts;
    all.gbSeconds += x.gbSeconds;
    all.costUsd += x.costUsd;
    all.durations.push(...x.durations);
  }
  all.durations.sort((a, b) => a - b);
  return all;
}

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

/** Floats summed in another order: equal to 9 significant digits. */
function near(actual: number | null | undefined, expected: number | null, what: string) {
  if (expected === null) return expect(actual, what).toBeNull();
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * 1e-9 + 1e-12);
}

/** Within the bound lib/analysis/histogram.ts states; exact to the 0.1 s a page shows for the timeouts at 60 s. */
function percentileNear(actual: number | null | undefined, durations: number[], p: number, what: string) {
  const exact = exactPercentile(durations, p);
  if (exact === null) return expect(actual ?? null, what).toBeNull();
  expect(actual, what).not.toBeNull();
  expect(actual as number, `${what}: ${actual} vs exact ${exact}`).toBeGreaterThanOrEqual(exact * (1 - PERCENTILE_BOUND.below));
  expect(actual as number, `${what}: ${actual} vs exact ${exact}`).toBeLessThanOrEqual(exact * (1 + PERCENTILE_BOUND.above));
  if (exact >= 60_000) expect(((actual as number) / 1000).toFixed(1), `${what} at the timeout`).toBe((exact / 1000).toFixed(1));
}

function range(q: Record<string, string>): TimeRange {
  return resolveRange(RangeQuery.parse(q), NOW);
}

describe("every page's figures equal SQL over the raw invocations of exactly the range", () => {
  it("has data on both sides of every edge", async () => {
    const { rows } = await db.query("SELECT count(*)::int AS n, count(DISTINCT status)::int AS statuses, count(*) FILTER (WHERE attempt > 1)::int AS retries FROM invocations WHERE complete");
    expect(rows[0].n).toBeGreaterThan(5000);
    expect(rows[0].statuses).toBe(5);
    expect(rows[0].retries).toBeGreaterThan(100);
  });

  it.each(QUERIES)("ranges are half-open, the previous period right before and as long (%s)", (name, q) => {
    const r = range(q);
    if (q.range) {
      expect(r.to - r.from, "length of the preset").toBe({ "1h": HOUR, "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY }[q.range as "1h"]);
      // The range ends at now, or at the end of the minute now is in.
      expect(r.to).toBeGreaterThanOrEqual(NOW);
      expect(r.to - NOW).toBeLessThan(MIN);
    } else {
      expect(r.from).toBeLessThanOrEqual(CUSTOM.from);
      expect(CUSTOM.from - r.from).toBeLessThan(MIN);
      expect(r.to).toBeGreaterThanOrEqual(CUSTOM.to);
      expect(r.to - CUSTOM.to).toBeLessThan(MIN);
    }
    expect(r.prevTo).toBe(r.from);
    expect(r.prevTo - r.prevFrom).toBe(r.to - r.from);
  });

  it.each(QUERIES)("overview (%s)", async (name, q) => {
    const r = range(q);
    const cur = fleet(await truth(r.from, r.to));
    const prev = fleet(await truth(r.prevFrom, r.prevTo));
    expect(cur.invocations).toBeGreaterThan(0);
    expect(prev.invocations).toBeGreaterThan(0);
    const { data } = await getOverview(db, OverviewQuery.parse({ ...q }), r);
    const t = data.totals;
    expect([t.invocations.value, t.invocations.previous], "invocations").toEqual([cur.invocations, prev.invocations]);
    expect([t.errors.value, t.errors.previous], "failed").toEqual([cur.failed, prev.failed]);
    expect([t.coldStarts.value, t.coldStarts.previous], "cold starts").toEqual([cur.coldStarts, prev.coldStarts]);
    near(t.errorRate.value, rate(cur.failed, cur.invocations), "error rate");
    near(t.errorRate.previous, rate(prev.failed, prev.invocations), "previous error rate");
    near(t.coldStartRate.value, rate(cur.coldStarts, cur.invocations), "cold-start rate");
    near(t.costUsd.value, cur.costUsd, "cost");
    near(t.costUsd.previous, prev.costUsd, "previous cost");
    percentileNear(t.p95.value, cur.durations, 95, "p95");
    percentileNear(t.p95.previous, prev.durations, 95, "previous p95");
    // Its per-function lists show each function's own figures, as the function list does.
    const perFunction = await truth(r.from, r.to);
    for (const item of data.top.errors) expect(item.value, `${item.name} failed (top list)`).toBe(perFunction.get(item.id)!.failed);
    for (const item of data.top.coldStarts) expect(item.value, `${item.name} cold starts (top list)`).toBe(perFunction.get(item.id)!.coldStarts);
    for (const item of data.top.cost) near(item.value, perFunction.get(item.id)!.costUsd, `${item.name} cost (top list)`);
    // The trend series covers the same range: its points add up to the totals.
    expect(data.series.reduce((a, p) => a + p.invocations, 0), "series invocations").toBe(cur.invocations);
    expect(data.series.reduce((a, p) => a + p.errors, 0), "series failed").toBe(cur.failed);
  });

  it.each(QUERIES)("function list (%s)", async (name, q) => {
    const r = range(q);
    const t = await truth(r.from, r.to);
    const { data } = await listResources(db, ResourceListQuery.parse({ ...q, limit: "500" }), r);
    expect(data).toHaveLength(FUNCTIONS.length);
    for (const row of data) {
      const x = t.get(row.id)!;
      expect(row.invocations, `${row.name} invocations`).toBe(x.invocations);
      expect(row.errors, `${row.name} failed`).toBe(x.failed);
      expect(row.coldStarts, `${row.name} cold starts`).toBe(x.coldStarts);
      near(row.errorRate, rate(x.failed, x.invocations), `${row.name} error rate`);
      near(row.coldStartRate, rate(x.coldStarts, x.invocations), `${row.name} cold-start rate`);
      near(row.costUsd, x.costUsd, `${row.name} cost`);
      percentileNear(row.p50, x.durations, 50, `${row.name} p50`);
      percentileNear(row.p95, x.durations, 95, `${row.name} p95`);
      percentileNear(row.p99, x.durations, 99, `${row.name} p99`);
    }
    // 10.8 % of report-generator's invocations time out at 60 s: its p95 and p99 are the timeout.
    const rg = t.get(ids.get("report-generator")!)!;
    expect(exactPercentile(rg.durations, 95)).toBeGreaterThanOrEqual(60_000);
  });

  it.each(QUERIES)("function page series (%s)", async (name, q) => {
    const r = range(q);
    const id = ids.get("report-generator")!;
    const x = (await truth(r.from, r.to)).get(id)!;
    const { series } = await getResourceSeries(db, id, SeriesQuery.parse({ ...q, metric: "invocations,errors,cold_starts,gb_seconds,cost" }), r);
    const total = (m: string) => series.find((s) => s.metric === m)!.points.reduce((a, p) => a + (p.v ?? 0), 0);
    expect(total("invocations"), "invocations").toBe(x.invocations);
    expect(total("errors"), "failed").toBe(x.failed);
    expect(total("cold_starts"), "cold starts").toBe(x.coldStarts);
    near(total("gb_seconds"), x.gbSeconds, "billed GB-s");
    near(total("cost"), x.costUsd, "cost");
    // Average concurrency over each period's part inside the range: weighted back, the summed duration.
    const { series: conc } = await getResourceSeries(db, id, SeriesQuery.parse({ ...q, metric: "concurrency_avg" }), r);
    const periodMs = conc[0].points.length > 1 ? conc[0].points[1].t - conc[0].points[0].t : r.to - r.from;
    const busyMs = conc[0].points.reduce((a, p) => a + (p.v ?? 0) * (Math.min(p.t + periodMs, r.to) - Math.max(p.t, r.from)), 0);
    near(busyMs, x.durations.reduce((a, d) => a + d, 0), "concurrency over the range");
  });

  it.each(QUERIES)("function page totals (%s)", async (name, q) => {
    const r = range(q);
    const cur = await truth(r.from, r.to);
    const prev = await truth(r.prevFrom, r.prevTo);
    for (const fn of FUNCTIONS) {
      const id = ids.get(fn.name)!;
      const [x, p] = [cur.get(id)!, prev.get(id)!];
      expect(x.invocations, `${fn.name} has invocations`).toBeGreaterThan(0);
      const { totals: t } = await getResourceTotals(db, { id, config: {} }, r);
      expect([t.invocations.value, t.invocations.previous], `${fn.name} invocations`).toEqual([x.invocations, p.invocations]);
      expect([t.errors.value, t.errors.previous], `${fn.name} failed`).toEqual([x.failed, p.failed]);
      expect([t.coldStarts.value, t.coldStarts.previous], `${fn.name} cold starts`).toEqual([x.coldStarts, p.coldStarts]);
      near(t.errorRate.value, rate(x.failed, x.invocations), `${fn.name} error rate`);
      near(t.errorRate.previous, rate(p.failed, p.invocations), `${fn.name} previous error rate`);
      near(t.coldStartRate.value, rate(x.coldStarts, x.invocations), `${fn.name} cold-start rate`);
      near(t.costUsd.value, x.costUsd, `${fn.name} cost`);
      near(t.costUsd.previous, p.costUsd, `${fn.name} previous cost`);
      percentileNear(t.p95.value, x.durations, 95, `${fn.name} p95`);
      percentileNear(t.p95.previous, p.durations, 95, `${fn.name} previous p95`);
    }
  });

  it("function page concurrency: the highest ConcurrentExecutions point of the range against the reserved concurrency", async () => {
    const id = ids.get("orders-api")!;
    const r = range({ range: "24h" });
    const points: [number, number][] = [[r.from - MIN, 99], [r.from, 7], [r.from + HOUR, 12], [r.to - MIN, 9], [r.to, 50]];
    for (const [ts, v] of points)
      await db.query("INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value) VALUES ($1, 'AWS/Lambda', 'ConcurrentExecutions', 'Maximum', 60, $2, $3)", [id, new Date(ts), v]);
    const { rows } = await db.query(
      "SELECT max(value)::float8 AS peak FROM metric_points WHERE resource_id = $1 AND metric = 'ConcurrentExecutions' AND ts >= $2 AND ts < $3",
      [id, new Date(r.from), new Date(r.to)],
    );
    expect(rows[0].peak).toBe(12);
    expect((await getResourceTotals(db, { id, config: { reservedConcurrency: 16 } }, r)).concurrency).toEqual({ peak: 12, limit: 16, pct: 75 });
    expect((await getResourceTotals(db, { id, config: {} }, r)).concurrency).toEqual({ peak: 12, limit: null, pct: null });
    expect((await getResourceTotals(db, { id: ids.get("thumbnailer")!, config: { reservedConcurrency: 5 } }, r)).concurrency).toEqual({ peak: null, limit: 5, pct: null });
  });

  it.each(QUERIES)("cost page (%s)", async (name, q) => {
    const r = range(q);
    const t = await truth(r.from, r.to);
    const p = await truth(r.prevFrom, r.prevTo);
    const cost = await getCost(db, CostQuery.parse({ ...q }), r, NOW);
    near(cost.totals.costUsd, fleet(t).costUsd, "total cost");
    near(cost.totals.previousCostUsd, fleet(p).costUsd, "previous total cost");
    near(cost.totals.daily.reduce((a, b) => a + b, 0), fleet(t).costUsd, "daily costs add up to the total");
    for (const g of cost.groups) {
      const x = t.get(g.resourceId!)!;
      expect(g.invocations, `${g.label} invocations`).toBe(x.invocations);
      near(g.costUsd, x.costUsd, `${g.label} cost`);
      near(g.previousCostUsd, p.get(g.resourceId!)!.costUsd, `${g.label} previous cost`);
      near(g.gbSeconds, x.gbSeconds, `${g.label} billed GB-s`);
    }
  });

  it("the summaries the workers compute ahead answer the same for every preset and the period before", async () => {
    await refreshStatsSummaries(db, NOW);
    for (const [name, q] of QUERIES.filter(([, q]) => q.range)) {
      const r = range(q);
      const t = await truth(r.from, r.to);
      const stats = await readSummarisedStats(db, { kind: "lambda" }, r.from, r.to);
      expect(stats, name).not.toBeNull();
      for (const s of stats!) {
        const x = t.get(s.id)!;
        expect([s.invocations, s.errors, s.coldStarts], `${name} ${s.name}`).toEqual([x.invocations, x.failed, x.coldStarts]);
        near(s.costUsd, x.costUsd, `${name} ${s.name} cost`);
      }
      const prev = fleet(await truth(r.prevFrom, r.prevTo));
      const summarised = await readSummarisedFleetTotals(db, { includeDeleted: true }, r.prevFrom, r.prevTo);
      expect([summarised?.invocations, summarised?.errors, summarised?.coldStarts], `${name} previous`).toEqual([prev.invocations, prev.failed, prev.coldStarts]);
    }
  });

  it("compares with the previous period only when the data covers it: a range reaching past the first data gives no change", async () => {
    const { rows } = await db.query<{ first: Date }>("SELECT min(coalesce(started_at, ended_at - duration_ms * interval '1 millisecond')) AS first FROM invocations WHERE complete");
    const first = rows[0].first.getTime();
    const orders = ids.get("orders-api")!;
    // 30 days: the period before starts after the first invocation (the data reach back past NOW - 60 d).
    const covered = range({ range: "30d" });
    expect(covered.prevFrom).toBeGreaterThan(first);
    const o = (await getOverview(db, OverviewQuery.parse({ range: "30d" }), covered)).data.totals;
    expect(o.invocations.previousPartial).toBe(false);
    expect(o.invocations.change).toBeCloseTo((o.invocations.value! - o.invocations.previous!) / o.invocations.previous!, 12);
    // 45 days ending now: the period before starts 90 days back, long before the first invocation.
    const q = { from: new Date(NOW - 45 * DAY).toISOString(), to: new Date(NOW).toISOString() };
    const partial = range(q);
    expect(partial.prevFrom).toBeLessThan(first - 2 * HOUR);
    const prev = fleet(await truth(partial.prevFrom, partial.prevTo));
    expect(prev.invocations).toBeGreaterThan(0);
    const p = (await getOverview(db, OverviewQuery.parse(q), partial)).data.totals;
    // The previous figure is still what was stored; only the change is withheld.
    expect([p.invocations.previous, p.invocations.change, p.invocations.previousPartial]).toEqual([prev.invocations, null, true]);
    expect([p.errorRate.change, p.costUsd.change, p.p95.change]).toEqual([null, null, null]);
    const fn = (await getResourceTotals(db, { id: orders, config: {} }, partial)).totals;
    expect([fn.invocations.change, fn.invocations.previousPartial]).toEqual([null, true]);
    const cost = await getCost(db, CostQuery.parse(q), partial, NOW);
    expect([cost.totals.change, cost.totals.previousPartial]).toEqual([null, true]);
    expect(cost.groups.every((g) => g.change === null)).toBe(true);
  });

  it("current and previous period together never hold more than was stored", async () => {
    const { rows } = await db.query("SELECT count(*)::int AS n FROM invocations WHERE complete");
    for (const [name, q] of QUERIES) {
      const r = range(q);
      const { data } = await getOverview(db, OverviewQuery.parse({ ...q }), r);
      const both = fleet(await truth(r.prevFrom, r.to)).invocations;
      expect(data.totals.invocations.value! + data.totals.invocations.previous!, name).toBe(both);
      expect(both).toBeLessThanOrEqual(rows[0].n);
    }
  });
});
