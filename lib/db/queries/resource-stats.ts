import type pg from "pg";
import type { Histogram } from "@/lib/analysis/histogram";
import { FAILED_SQL } from "@/lib/analysis/metrics";
import { analyticQuery } from "./analytic";
import { HIST_AGG_SQL, mergeMaxDuration, mergeSparseStrings } from "./hist";
import { resourceWhere, type ResourceFilter } from "./resource-filter";
import { coverRange, coveredSpan, GRAIN_MS, rollupRowsSql, type Segment } from "./rollup-range";

export interface ResourceStats {
  id: number;
  name: string;
  kind: string;
  region: string;
  accountId: number;
  accountName: string;
  arn: string;
  config: Record<string, unknown>;
  deleted: boolean;
  invocations: number;
  successes: number;
  /** Failed invocations of any kind: error, timeout, out of memory, crash. */
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
  coldStarts: number;
  retries: number;
  durationSumMs: number;
  billedMs: number;
  gbSeconds: number;
  costUsd: number;
  maxMemoryUsedMB: number | null;
  hist: Histogram;
  /** The longest duration, null when unknown: percentiles report it in its bucket (histogram.ts). */
  maxDurationMs: number | null;
  sparkline: number[];
}

const SPARK_POINTS = 24;

/**
 * Sparkline bins: about 24, each a whole number of the coarsest rollup rows read (one per day on long
 * ranges), starting on that grain so no such row straddles two bins. The first and last bins may be
 * partly outside the range: they hold only the rows inside it.
 */
export function sparkBins(segments: Segment[]): { origin: number; binMs: number; count: number } {
  const { from, to } = coveredSpan(segments);
  const coarsest = Math.max(...segments.map((s) => GRAIN_MS[s.grain]));
  const origin = Math.floor(from / coarsest) * coarsest;
  const binMs = Math.max(coarsest, Math.ceil((to - origin) / SPARK_POINTS / coarsest) * coarsest);
  return { origin, binMs, count: Math.max(1, Math.ceil((to - origin) / binMs)) };
}

const SUMS = `sum(invocations)::float8 AS invocations, sum(successes)::float8 AS successes,
  sum(${FAILED_SQL})::float8 AS errors, sum(timeouts)::float8 AS timeouts,
  sum(out_of_memory)::float8 AS out_of_memory, sum(crashes)::float8 AS crashes, sum(cold_starts)::float8 AS cold_starts,
  sum(retries)::float8 AS retries, sum(duration_sum_ms)::float8 AS duration_sum_ms, sum(billed_ms)::float8 AS billed_ms,
  sum(gb_seconds)::float8 AS gb_seconds, sum(cost_usd)::float8 AS cost_usd, max(max_memory_used_mb) AS max_memory_used_mb`;

export const ROLLUP_COLS = `resource_id, bucket_start, invocations, successes, errors, timeouts, out_of_memory, crashes, cold_starts, retries,
  hist_buckets, hist_counts, duration_sum_ms, billed_ms, gb_seconds, cost_usd, max_memory_used_mb, memory_size_mb, max_duration_ms`;

export interface FleetBin {
  t: number;
  invocations: number;
  errors: number;
  coldStarts: number;
  costUsd: number;
  hist: Histogram;
  maxDurationMs: number | null;
}

/** The fleet sums of some rollup rows, the histogram as the comma-separated text the queries return. */
export interface FleetPart {
  invocations: number;
  errors: number;
  coldStarts: number;
  costUsd: number;
  hb: string | null;
  hc: string | null;
  /** Absent in summaries computed before rollups kept it: unknown. */
  maxDurationMs?: number | null;
}

/** Adds `part` into a bin or totals; a histogram stays empty ([]) until some rows reach it, as the query leaves it. */
export function addFleetPart(into: Omit<FleetBin, "t">, part: FleetPart): void {
  into.maxDurationMs = mergeMaxDuration(into, part);
  into.invocations += part.invocations;
  into.errors += part.errors;
  into.coldStarts += part.coldStarts;
  into.costUsd += part.costUsd;
  into.hist = mergeSparseStrings(part.hb, part.hc, into.hist.length ? into.hist : undefined);
}

export interface ResourceStatsResult {
  resources: ResourceStats[];
  /** The same rows summed over all matching resources per sparkline bin. */
  bins: FleetBin[];
  binMs: number;
}

/**
 * Per-resource aggregates over a range from the rollups, with a merged duration histogram and a
 * sparkline of invocations; with `withBins`, the same scan also yields the fleet per bin (GROUPING
 * SETS). Pages read these through range-stats.ts, which prefers a summary computed ahead.
 */
export function resourceStatsSql(filter: ResourceFilter, from: number, to: number, withBins = true) {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  const segments = coverRange(from, to);
  const bins0 = sparkBins(segments);
  params.push(bins0.origin, bins0.binMs);
  const origin = `$${params.length - 1}::float8`;
  const binMs = `$${params.length}::float8`;
  const rows = rollupRowsSql(segments, ROLLUP_COLS, "resource_id IN (SELECT id FROM sel)", params);
  const sql = `
    WITH sel AS (SELECT r.id FROM resources r WHERE ${where}),
    x AS (${rows}),
    s AS (SELECT resource_id, ${withBins ? "bin" : "NULL::int AS bin"}, ${SUMS}, ${HIST_AGG_SQL}, string_agg(bin || ':' || invocations, ',') AS spark
            FROM (SELECT *, floor((extract(epoch FROM bucket_start) * 1000 - ${origin}) / ${binMs})::int AS bin FROM x) y
           GROUP BY GROUPING SETS ((resource_id)${withBins ? ", (bin)" : ""}))
    SELECT ${RESOURCE_COLS}, s.*
      FROM resources r JOIN accounts a ON a.id = r.account_id LEFT JOIN s ON s.resource_id = r.id
     WHERE r.id IN (SELECT id FROM sel)
    ${withBins ? "UNION ALL\n    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, s.* FROM s WHERE s.resource_id IS NULL" : ""}`;
  return { sql, params, bins0 };
}

/** The resource's own columns, as both the rollup query and the summary read select them. */
export const RESOURCE_COLS = `r.id, r.name, r.kind::text AS kind, r.region, r.account_id, a.name AS account_name, r.arn,
  jsonb_build_object('runtime', r.config->'runtime', 'memorySizeMB', r.config->'memorySizeMB', 'architecture', r.config->'architecture') AS config,
  r.deleted_at IS NOT NULL AS deleted`;

/** The rollup query itself, on a pool or on a client inside the caller's transaction. */
export async function queryResourceStats(db: pg.Pool | pg.PoolClient, filter: ResourceFilter, from: number, to: number, withBins: boolean): Promise<ResourceStatsResult> {
  const { sql, params, bins0 } = resourceStatsSql(filter, from, to, withBins);
  const { rows: all } = await analyticQuery(db, sql, params);
  const fleet = all.filter((r) => r.id === null);
  const bins: FleetBin[] = emptyBins(bins0);
  for (const f of fleet) {
    const b = bins[Math.min(bins0.count - 1, Math.max(0, f.bin as number))];
    addFleetPart(b, { invocations: f.invocations, errors: f.errors, coldStarts: f.cold_starts, costUsd: f.cost_usd, hb: f.hb, hc: f.hc, maxDurationMs: f.max_duration_ms });
  }
  const resources = all.filter((r) => r.id !== null).map((r) => toResourceStats(r, sparkFromPairs(r.spark, bins0.count)));
  return { resources, bins, binMs: bins0.binMs };
}

export function emptyBins(bins0: { origin: number; binMs: number; count: number }): FleetBin[] {
  return Array.from({ length: bins0.count }, (_, i) => ({ t: bins0.origin + i * bins0.binMs, invocations: 0, errors: 0, coldStarts: 0, costUsd: 0, hist: [], maxDurationMs: null }));
}

/** The sparkline from the query's `bin:invocations` pairs, each clamped into the bins. */
function sparkFromPairs(pairs: string | null, count: number): number[] {
  const spark = new Array<number>(count).fill(0);
  if (!pairs) return spark;
  for (const pair of pairs.split(",")) {
    const [b, n] = pair.split(":");
    spark[Math.min(count - 1, Math.max(0, Number(b)))] += Number(n);
  }
  return spark;
}

/** A row of resource columns and sums (`hb`/`hc` the sparse histogram as text) as ResourceStats. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a pg row: its columns are the query's
export function toResourceStats(r: Record<string, any>, sparkline: number[]): ResourceStats {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    region: r.region,
    accountId: r.account_id,
    accountName: r.account_name,
    arn: r.arn,
    config: r.config ?? {},
    deleted: r.deleted,
    invocations: r.invocations ?? 0,
    successes: r.successes ?? 0,
    errors: r.errors ?? 0,
    timeouts: r.timeouts ?? 0,
    outOfMemory: r.out_of_memory ?? 0,
    crashes: r.crashes ?? 0,
    coldStarts: r.cold_starts ?? 0,
    retries: r.retries ?? 0,
    durationSumMs: r.duration_sum_ms ?? 0,
    billedMs: r.billed_ms ?? 0,
    gbSeconds: r.gb_seconds ?? 0,
    costUsd: r.cost_usd ?? 0,
    maxMemoryUsedMB: r.max_memory_used_mb ?? null,
    hist: mergeSparseStrings(r.hb, r.hc),
    maxDurationMs: r.max_duration_ms ?? null,
    sparkline,
  };
}
