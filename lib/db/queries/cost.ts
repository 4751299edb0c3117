import type pg from "pg";
import { histogramFromSparse } from "@/lib/analysis/histogram";
import { durationPercentile } from "@/lib/analysis/metrics";
import { rightSize } from "@/lib/analysis/right-sizing";
import { change, type TimeRange } from "@/lib/api/schemas/common";
import type { CostData, CostQuery } from "@/lib/api/schemas/cost";
import { analyticQuery } from "./analytic";
import { loadTraceBreakdowns } from "./trace-breakdown";
import { resourceWhere, type ResourceFilter } from "./resource-filter";
import { cachedResult } from "./result-cache";
import { coverRange, rollupRowsSql } from "./rollup-range";
import { coveredSpanMs } from "@/lib/analysis/covered-window";
import { coverageStartByResource, dataStartByResource, previousPeriodPartial } from "./data-start";

const DAY = 86_400_000;

export const COST_ASSUMPTIONS = [
  "Costs are list prices (requests + GB-seconds at the first tier per invocation, tiers applied to monthly projections); the free tier is not subtracted.",
  "Right-sizing's monthly figures are 30 days at the invocation rate and average billed duration of the range's hours with data (from the function's first data when that is later than the range's start) for monthlyCostUsd, only the own-code share of the function's X-Ray traces (the last day of the range) scaling with memory, or duration unchanged (I/O-bound) without traces; monthlyCostUsdIfCpuBound assumes duration inversely proportional to memory, as Lambda allocates CPU in proportion to memory. The projected month instead adds the month to date and its daily average (over the month's days with data) over the remaining days, so the two differ when the range's rate differs from the month's.",
  "The recommended size is the highest memory used in the range plus 30 % headroom, rounded up to 64 MB, as on the memory insight card. No smaller size is advised for a function that timed out, ran out of memory, or whose p99 reached 80 % of its timeout.",
  "Daily figures come from daily rollups, from hourly ones for partial days and from minute ones for partial hours at the range's edges: the range is exact to the minute.",
];

interface Row {
  id: number;
  name: string;
  region: string;
  account: string;
  runtime: string | null;
  memory: number | null;
  arch: string | null;
  kind: string;
  timeout: number | null;
}

async function perResourceDay(db: pg.Pool, filter: ResourceFilter, from: number, to: number, byDay: boolean) {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  const rows = rollupRowsSql(
    coverRange(from, to),
    "resource_id, bucket_start, invocations, cost_usd, billed_ms, gb_seconds, max_memory_used_mb, timeouts, out_of_memory",
    "resource_id IN (SELECT id FROM sel)",
    params,
  );
  const day = byDay ? "(floor(extract(epoch FROM bucket_start) * 1000 / 86400000) * 86400000)::float8" : "0::float8";
  const { rows: out } = await analyticQuery<{
    resource_id: number;
    day: number;
    cost: number;
    inv: number;
    billed: number;
    gbs: number;
    maxmem: number | null;
    timeouts: number;
    oom: number;
  }>(
    db,
    `WITH sel AS (SELECT r.id FROM resources r WHERE ${where})
     SELECT resource_id, ${day} AS day, sum(cost_usd)::float8 AS cost, sum(invocations)::float8 AS inv, sum(billed_ms)::float8 AS billed,
            sum(gb_seconds)::float8 AS gbs, max(max_memory_used_mb) AS maxmem,
            sum(timeouts)::float8 AS timeouts, sum(out_of_memory)::float8 AS oom
       FROM (${rows}) x GROUP BY 1, 2`,
    params,
  );
  return out;
}

async function durationHistograms(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<Map<number, { b: number[]; c: number[] }>> {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  const rows = rollupRowsSql(coverRange(from, to), "resource_id, hist_buckets, hist_counts", "resource_id IN (SELECT id FROM sel)", params);
  const { rows: out } = await analyticQuery<{ resource_id: number; b: number[]; c: number[] }>(
    db,
    `WITH sel AS (SELECT r.id FROM resources r WHERE ${where} AND r.kind = 'lambda')
     SELECT resource_id, array_agg(b ORDER BY b) AS b, array_agg(c ORDER BY b) AS c FROM (
       SELECT resource_id, u.b, sum(u.c)::int AS c FROM (${rows}) x, unnest(hist_buckets, hist_counts) AS u(b, c) GROUP BY 1, 2) y
      GROUP BY resource_id`,
    params,
  );
  return new Map(out.map((r) => [r.resource_id, r]));
}

interface RightSizingCounts {
  inv: number;
  billed: number;
  maxmem: number | null;
  timeouts: number;
  oom: number;
}

/** The right-sizing engine's advice over the range: the memory insight card asks the same engine. */
function rightSizing(r: Row, g: RightSizingCounts, hist: { b: number[]; c: number[] } | undefined, spanMs: number, ownCodeShare: number | null): NonNullable<CostData["groups"][number]["rightSizing"]> | null {
  if (r.kind !== "lambda" || !r.memory) return null;
  const advice = rightSize({
    memorySizeMB: r.memory,
    maxMemoryUsedMB: g.maxmem,
    timeoutS: r.timeout,
    invocations: g.inv,
    timeouts: g.timeouts,
    outOfMemory: g.oom,
    p99Ms: hist ? durationPercentile(histogramFromSparse(hist.b, hist.c), 99) : null,
    billedMs: g.billed,
    windowMs: spanMs,
    architecture: r.arch === "arm64" ? "arm64" : "x86_64",
    region: r.region,
    ownCodeShare,
  });
  if (!advice) return null;
  return {
    monthlyInvocations: advice.monthlyInvocations,
    currentMonthlyCostUsd: advice.currentMonthlyCostUsd,
    recommendedMemoryMB: advice.recommendedMemoryMB,
    action: advice.action,
    hold: advice.hold,
    reason: advice.reason,
    recommendedMonthlyCostUsd: advice.recommendedMonthlyCostUsd,
    monthlySavingUsd: advice.monthlySavingUsd,
    basis: advice.basis,
    options: advice.options.map((o) => ({
      memoryMB: o.memoryMB,
      avgBilledDurationMs: o.avgBilledDurationMs,
      monthlyCostUsd: o.monthlyCostUsd,
      monthlyCostUsdIfCpuBound: o.monthlyCostUsdIfCpuBound,
      current: o.current,
      recommended: o.recommended,
      fits: o.fits,
    })),
  };
}

/** Cost per resource (or account, region, runtime) per day, top movers, month projection and right-sizing. */
export async function getCost(db: pg.Pool, q: CostQuery, range: TimeRange, now = Date.now()): Promise<CostData> {
  // Keyed by the aligned rollup rows the three reads cover, as the other fleet aggregates are.
  const key = `cost:${JSON.stringify(q)}:${JSON.stringify([coverRange(range.from, range.to), coverRange(range.prevFrom, range.prevTo), Math.floor(now / 60_000)])}`;
  return cachedResult(key, () => queryCost(db, q, range, now));
}

async function queryCost(db: pg.Pool, q: CostQuery, range: TimeRange, now: number): Promise<CostData> {
  const filter: ResourceFilter = { ...q, includeDeleted: true };
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  const [cur, prev, mtd, meta, hists] = await Promise.all([
    perResourceDay(db, filter, range.from, range.to, true),
    perResourceDay(db, filter, range.prevFrom, range.prevTo, false),
    perResourceDay(db, filter, monthStart, Math.max(now, monthStart + 60_000), false),
    db.query<Row>(
      `SELECT r.id, r.name, r.region, a.name AS account, r.config->>'runtime' AS runtime, (r.config->>'memorySizeMB')::int AS memory,
              r.config->>'architecture' AS arch, r.kind::text AS kind, (r.config->>'timeoutS')::int AS timeout
         FROM resources r JOIN accounts a ON a.id = r.account_id WHERE ${where}`,
      params,
    ),
    q.groupBy === "resource" ? durationHistograms(db, filter, range.from, range.to) : new Map<number, { b: number[]; c: number[] }>(),
  ]);
  // One probe of each resource's first data serves both the "vs previous" guard and the covered hours.
  const ids = meta.rows.map((r) => r.id);
  const dataStart = await dataStartByResource(db, ids);
  const partial = await previousPeriodPartial(db, ids, range.prevFrom, dataStart);
  // Rates over the hours Osprey covers, as the insight cards take them: a new account is not a month of idle days.
  const coverage = await coverageStartByResource(db, ids, dataStart);
  const covered = (id: number, from: number, to: number) => {
    const since = coverage.get(id);
    return coveredSpanMs({ windowStart: new Date(from), windowEnd: new Date(to), coveredSince: since === undefined ? null : new Date(since) });
  };
  // The what-if scales the own-code share of each function's traces; the last day of the range is recent enough for a share.
  const traces =
    q.groupBy === "resource"
      ? await loadTraceBreakdowns(db, meta.rows.filter((r) => r.kind === "lambda").map((r) => r.id), new Date(Math.max(range.from, range.to - DAY)), new Date(range.to))
      : new Map<number, { ownCodeShare: number }>();
  const firstDay = Math.floor(range.from / DAY) * DAY;
  const days: number[] = [];
  for (let d = firstDay; d < range.to; d += DAY) days.push(d);
  const dayIndex = (t: number) => Math.min(days.length - 1, Math.max(0, Math.round((t - firstDay) / DAY)));
  const keyOf = (r: Row) =>
    q.groupBy === "resource" ? [String(r.id), r.name] : q.groupBy === "account" ? [r.account, r.account] : q.groupBy === "region" ? [r.region, r.region] : [r.runtime ?? "unknown", r.runtime ?? "unknown"];
  const byId = new Map(meta.rows.map((r) => [r.id, r]));
  type Acc = RightSizingCounts & { key: string; label: string; row: Row | null; cost: number; prev: number; gbs: number; daily: number[] };
  const groups = new Map<string, Acc>();
  const acc = (r: Row) => {
    const [key, label] = keyOf(r);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label, row: q.groupBy === "resource" ? r : null, cost: 0, prev: 0, inv: 0, billed: 0, gbs: 0, maxmem: null, timeouts: 0, oom: 0, daily: new Array(days.length).fill(0) }));
    return g;
  };
  for (const c of cur) {
    const r = byId.get(c.resource_id);
    if (!r) continue;
    const g = acc(r);
    g.cost += c.cost;
    g.inv += c.inv;
    g.billed += c.billed;
    g.gbs += c.gbs;
    g.timeouts += c.timeouts;
    g.oom += c.oom;
    g.maxmem = c.maxmem === null ? g.maxmem : Math.max(g.maxmem ?? 0, c.maxmem);
    g.daily[dayIndex(c.day)] += c.cost;
  }
  for (const p of prev) {
    const r = byId.get(p.resource_id);
    if (r) acc(r).prev += p.cost;
  }
  const all = [...groups.values()].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key));
  const shown = all.slice(0, q.limit);
  const rest = all.slice(q.limit);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const totalCost = sum(all.map((g) => g.cost));
  const totalPrev = sum(all.map((g) => g.prev));
  const mtdCost = sum(mtd.map((r) => r.cost));
  const coveredFrom = coverage.size ? Math.min(...coverage.values()) : monthStart;
  // The month's covered days: an account added on the 20th averages over its own days, not the 19 before.
  const elapsedDays = Math.max(1 / 24, (now - Math.max(monthStart, coveredFrom)) / DAY);
  const monthEnd = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() + 1, 1);
  const remainingDays = Math.max(0, (monthEnd - now) / DAY);
  const dailyAverage = mtdCost / elapsedDays;
  return {
    days,
    totals: {
      costUsd: totalCost,
      previousCostUsd: totalPrev,
      change: change(totalCost, totalPrev, partial).change,
      previousPartial: partial,
      daily: days.map((_, i) => sum(all.map((g) => g.daily[i]))),
    },
    groups: shown.map((g) => ({
      key: g.key,
      label: g.label,
      resourceId: g.row?.id ?? null,
      region: g.row?.region ?? null,
      costUsd: g.cost,
      previousCostUsd: g.prev,
      change: change(g.cost, g.prev, partial).change,
      invocations: g.inv,
      gbSeconds: g.gbs,
      avgBilledDurationMs: g.inv > 0 ? g.billed / g.inv : null,
      memorySizeMB: g.row?.memory ?? null,
      maxMemoryUsedMB: g.maxmem,
      architecture: g.row?.arch ?? null,
      daily: g.daily,
      rightSizing: g.row ? rightSizing(g.row, g, hists.get(g.row.id), covered(g.row.id, range.from, range.to), traces.get(g.row.id)?.ownCodeShare ?? null) : null,
    })),
    other: { groups: rest.length, costUsd: sum(rest.map((g) => g.cost)), daily: days.map((_, i) => sum(rest.map((g) => g.daily[i]))) },
    topMovers: [...all]
      .sort((a, b) => Math.abs(b.cost - b.prev) - Math.abs(a.cost - a.prev) || a.key.localeCompare(b.key))
      .slice(0, 10)
      .filter((g) => g.cost !== g.prev)
      .map((g) => ({ key: g.key, label: g.label, resourceId: g.row?.id ?? null, costUsd: g.cost, previousCostUsd: g.prev, deltaUsd: g.cost - g.prev })),
    projectedMonth: {
      month: new Date(monthStart).toISOString().slice(0, 7),
      monthToDateUsd: mtdCost,
      dailyAverageUsd: dailyAverage,
      remainingDays,
      projectedUsd: mtdCost + dailyAverage * remainingDays,
    },
    assumptions: COST_ASSUMPTIONS,
  };
}
