import type pg from "pg";
import { emptyHistogram, sparseFromHistogram, type Histogram } from "@/lib/analysis/histogram";
import type { FleetTotals } from "./fleet";
import { resourceWhere, type ResourceFilter } from "./resource-filter";
import { addFleetPart, emptyBins, RESOURCE_COLS, sparkBins, toResourceStats, type ResourceStats, type ResourceStatsResult } from "./resource-stats";
import { coverRange } from "./rollup-range";

/**
 * Reads the aggregates the workers computed ahead for the preset ranges (stats-summary-refresh.ts).
 *
 * A summary answers a request when it was computed for the same rollup rows (the range's cover) and
 * is current: its account and region have had no rollup write since (same version), or it is under
 * SUMMARY_MAX_AGE_MS old. The second case serves accounts whose ingest writes all the time; the
 * workers recompute the summaries after every logs pass and every minute, so a view is at most that
 * much behind, as a dashboard refreshed by the minute is anyway. When any account and region of the
 * selection has no current summary, the caller reads the rollups (these return null).
 */
export const SUMMARY_MAX_AGE_MS = 90_000;

/** The key a range's summaries are stored under: the rollup rows that answer it. */
export function coverKey(from: number, to: number): string {
  return JSON.stringify(coverRange(from, to));
}

/** Sparse histogram as the comma-separated text the rollup query returns (mergeSparseStrings reads both). */
export interface SparseText {
  hb: string;
  hc: string;
}

export interface SummaryTotals extends SparseText {
  invocations: number;
  errors: number;
  coldStarts: number;
  costUsd: number;
  maxDurationMs?: number | null;
}

/** One sparkline bin of an account and region; only bins with rollup rows are kept. */
export interface SummaryBin extends SummaryTotals {
  i: number;
}

/** Counts the selection's accounts and regions that have no current summary for the cover. */
const STALE_SCOPES = (cover: string) => `
  SELECT count(*)::int FROM (SELECT DISTINCT account_id, region FROM sel) n
    LEFT JOIN stats_summary_scopes s ON s.cover = ${cover} AND s.account_id = n.account_id AND s.region = n.region
    LEFT JOIN rollup_versions v ON v.account_id = n.account_id AND v.region = n.region
   WHERE s.cover IS NULL
      OR (s.version <> coalesce(v.version, 0) AND s.computed_at < now() - make_interval(secs => ${SUMMARY_MAX_AGE_MS / 1000}))`;

const SUM_COLS = `ss.invocations, ss.successes, ss.errors, ss.timeouts, ss.out_of_memory, ss.crashes, ss.cold_starts, ss.retries,
  ss.duration_sum_ms, ss.billed_ms, ss.gb_seconds, ss.cost_usd, ss.max_memory_used_mb, ss.max_duration_ms,
  array_to_string(ss.hist_buckets, ',') AS hb, array_to_string(ss.hist_counts, ',') AS hc, ss.spark`;

/** Per-resource aggregates from the summaries, any filter; null when they are not current for it. */
export async function readSummarisedStats(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<ResourceStats[] | null> {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  params.push(coverKey(from, to));
  const cover = `$${params.length}`;
  const { rows } = await db.query(
    `WITH sel AS (SELECT r.id, r.account_id, r.region FROM resources r WHERE ${where})
     SELECT (${STALE_SCOPES(cover)}) AS stale_scopes, ${RESOURCE_COLS}, ${SUM_COLS}
       FROM resources r JOIN accounts a ON a.id = r.account_id
       LEFT JOIN stats_summaries ss ON ss.cover = ${cover} AND ss.resource_id = r.id
      WHERE r.id IN (SELECT id FROM sel)`,
    params,
  );
  if (rows.length && rows[0].stale_scopes > 0) return null;
  const count = sparkBins(coverRange(from, to)).count;
  return rows.map((r) => toResourceStats(r, r.spark ?? new Array<number>(count).fill(0)));
}

/**
 * The fleet parts (bins, totals) are kept per account and region, so they answer only filters made
 * of those: what the overview asks for. Deleted resources count, as in the overview.
 */
function isScopeFilter(f: ResourceFilter): boolean {
  return f.includeDeleted === true && !f.kind && !f.runtime?.length && !f.tag?.length && !f.q && !f.ids;
}

interface ScopeRow {
  stale_scopes: number;
  totals: SummaryTotals | null;
  bins: SummaryBin[] | null;
}

async function readScopes(db: pg.Pool, filter: ResourceFilter, cover: string): Promise<ScopeRow[] | null> {
  const params: unknown[] = [];
  const where = resourceWhere(filter, params);
  params.push(cover);
  const c = `$${params.length}`;
  const { rows } = await db.query<ScopeRow>(
    `WITH sel AS (SELECT r.id, r.account_id, r.region FROM resources r WHERE ${where})
     SELECT (${STALE_SCOPES(c)}) AS stale_scopes, s.totals, s.bins
       FROM (SELECT DISTINCT account_id, region FROM sel) n
       LEFT JOIN stats_summary_scopes s ON s.cover = ${c} AND s.account_id = n.account_id AND s.region = n.region`,
    params,
  );
  return rows.length && rows[0].stale_scopes > 0 ? null : rows;
}

/** As readSummarisedStats, with the fleet per sparkline bin; null when not current or not a scope filter. */
export async function readSummarisedStatsWithBins(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<ResourceStatsResult | null> {
  if (!isScopeFilter(filter)) return null;
  const [resources, scopes] = await Promise.all([readSummarisedStats(db, filter, from, to), readScopes(db, filter, coverKey(from, to))]);
  if (!resources || !scopes || scopes.some((s) => !s.bins)) return null;
  const bins0 = sparkBins(coverRange(from, to));
  const bins = emptyBins(bins0);
  for (const scope of scopes) {
    for (const b of scope.bins!) if (bins[b.i]) addFleetPart(bins[b.i], b);
  }
  return { resources, bins, binMs: bins0.binMs };
}

/** Fleet totals from the summaries (kept for the preset ranges and the periods before them); null when not current. */
export async function readSummarisedFleetTotals(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<FleetTotals | null> {
  if (!isScopeFilter(filter)) return null;
  const scopes = await readScopes(db, filter, coverKey(from, to));
  if (!scopes) return null;
  if (scopes.some((s) => !s.totals)) return null;
  const out: FleetTotals = { invocations: 0, errors: 0, coldStarts: 0, costUsd: 0, hist: emptyHistogram(), maxDurationMs: null };
  for (const s of scopes) addFleetPart(out, s.totals!);
  return out;
}

/** A dense histogram as the sparse text the summaries keep. */
export function toSparseText(h: Histogram): SparseText {
  const { buckets, counts } = sparseFromHistogram(h);
  return { hb: buckets.join(","), hc: counts.join(",") };
}
