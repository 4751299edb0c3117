import type pg from "pg";
import type { Histogram } from "@/lib/analysis/histogram";
import { FAILED_SQL } from "@/lib/analysis/metrics";
import { analyticQuery } from "./analytic";
import { HIST_AGG_SQL, mergeSparseStrings } from "./hist";
import { resourceWhere, type ResourceFilter } from "./resource-filter";
import { coverRange, rollupRowsSql } from "./rollup-range";

export interface FleetTotals {
  invocations: number;
  /** Failed invocations (lib/analysis/metrics.ts). */
  errors: number;
  coldStarts: number;
  costUsd: number;
  hist: Histogram;
  /** The longest duration, null when unknown (hist.ts maxDurationSql). */
  maxDurationMs: number | null;
}

const TOTALS = `coalesce(sum(invocations), 0)::float8 AS invocations, coalesce(sum(${FAILED_SQL}), 0)::float8 AS errors,
  coalesce(sum(cold_starts), 0)::float8 AS cold_starts, coalesce(sum(cost_usd), 0)::float8 AS cost_usd, ${HIST_AGG_SQL}`;

const COLS = "resource_id, bucket_start, invocations, errors, timeouts, out_of_memory, crashes, cold_starts, cost_usd, hist_buckets, hist_counts, max_duration_ms";

/** Totals of all matching resources over a range, from the rollups; pages read them through range-stats.ts. */
export async function queryFleetTotals(db: pg.Pool | pg.PoolClient, filter: ResourceFilter, from: number, to: number): Promise<FleetTotals> {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  const rows = rollupRowsSql(coverRange(from, to), COLS, `resource_id IN (SELECT id FROM sel)`, params);
  const { rows: out } = await analyticQuery(db, `WITH sel AS (SELECT r.id FROM resources r WHERE ${where}) SELECT ${TOTALS} FROM (${rows}) x`, params);
  const r = out[0];
  return { invocations: r.invocations, errors: r.errors, coldStarts: r.cold_starts, costUsd: r.cost_usd, hist: mergeSparseStrings(r.hb, r.hc), maxDurationMs: r.max_duration_ms };
}
