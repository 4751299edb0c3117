import type pg from "pg";
import { sparseFromHistogram } from "@/lib/analysis/histogram";
import { RANGE_PRESETS, resolveRange } from "@/lib/api/schemas/common";
import { queryFleetTotals } from "./queries/fleet";
import type { ResourceFilter } from "./queries/resource-filter";
import { queryResourceStats, type FleetBin } from "./queries/resource-stats";
import { coverKey, toSparseText, type SummaryBin, type SummaryTotals } from "./queries/stats-summary";

/**
 * Computes the summaries of the preset ranges ending now (read by lib/db/queries/stats-summary.ts),
 * for every account and region with resources. Each is computed in one REPEATABLE READ snapshot
 * with the rollup version it read, so the version says exactly which writes it includes; one whose
 * range and version are unchanged is left as it is.
 */
export interface RefreshCounts {
  computed: number;
  unchanged: number;
  pruned: number;
}

// Summaries of ranges that are no longer current still answer requests ending a little earlier.
const KEEP_OLD_MS = 15 * 60_000;

export async function refreshStatsSummaries(db: pg.Pool, now = Date.now()): Promise<RefreshCounts> {
  const { rows: scopes } = await db.query<{ account_id: number; region: string }>(
    "SELECT DISTINCT account_id, region FROM resources ORDER BY account_id, region",
  );
  const counts: RefreshCounts = { computed: 0, unchanged: 0, pruned: 0 };
  const current: string[] = [];
  for (const preset of Object.keys(RANGE_PRESETS) as (keyof typeof RANGE_PRESETS)[]) {
    const range = resolveRange({ range: preset, to: now }, now);
    current.push(coverKey(range.from, range.to), coverKey(range.prevFrom, range.prevTo));
    for (const scope of scopes) {
      const done = await refreshScope(db, scope.account_id, scope.region, range);
      counts[done ? "computed" : "unchanged"]++;
    }
  }
  const pruned = await db.query("DELETE FROM stats_summary_scopes WHERE cover <> ALL($1::text[]) AND computed_at < $2", [current, new Date(now - KEEP_OLD_MS)]);
  counts.pruned = pruned.rowCount ?? 0;
  return counts;
}

type Range = ReturnType<typeof resolveRange>;

/** One account and region over one preset range and the period before it; false when it was current already. */
async function refreshScope(db: pg.Pool, accountId: number, region: string, range: Range): Promise<boolean> {
  const cover = coverKey(range.from, range.to);
  const prevCover = coverKey(range.prevFrom, range.prevTo);
  const client = await db.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const { rows } = await client.query<{ version: string; have: string | null; have_prev: string | null }>(
      `SELECT coalesce((SELECT version FROM rollup_versions WHERE account_id = $1 AND region = $2), 0) AS version,
              (SELECT version FROM stats_summary_scopes WHERE cover = $3 AND account_id = $1 AND region = $2) AS have,
              (SELECT version FROM stats_summary_scopes WHERE cover = $4 AND account_id = $1 AND region = $2) AS have_prev`,
      [accountId, region, cover, prevCover],
    );
    const { version, have, have_prev } = rows[0];
    if (have === version && have_prev === version) {
      await client.query("COMMIT");
      return false;
    }
    const filter: ResourceFilter = { account: [accountId], region: [region], includeDeleted: true };
    const stats = await queryResourceStats(client, filter, range.from, range.to, true);
    const prev = await queryFleetTotals(client, filter, range.prevFrom, range.prevTo);
    // Bins without rollup rows are left out, as the rollup query leaves them empty.
    const bins = stats.bins.flatMap((b, i): SummaryBin[] => (b.hist.length ? [{ i, ...binTotals(b) }] : []));
    await client.query("DELETE FROM stats_summary_scopes WHERE cover = ANY($1::text[]) AND account_id = $2 AND region = $3", [[cover, prevCover], accountId, region]);
    await client.query(
      `INSERT INTO stats_summary_scopes (cover, account_id, region, version, totals, bins)
       VALUES ($1, $3, $4, $5, NULL, $6::jsonb), ($2, $3, $4, $5, $7::jsonb, NULL)`,
      [cover, prevCover, accountId, region, version, JSON.stringify(bins), JSON.stringify(binTotals(prev))],
    );
    if (stats.resources.length) {
      const records = stats.resources.map((r) => {
        const { buckets, counts } = sparseFromHistogram(r.hist);
        return {
          resource_id: r.id,
          invocations: r.invocations,
          successes: r.successes,
          errors: r.errors,
          timeouts: r.timeouts,
          out_of_memory: r.outOfMemory,
          crashes: r.crashes,
          cold_starts: r.coldStarts,
          retries: r.retries,
          duration_sum_ms: r.durationSumMs,
          billed_ms: r.billedMs,
          gb_seconds: r.gbSeconds,
          cost_usd: r.costUsd,
          max_memory_used_mb: r.maxMemoryUsedMB,
          max_duration_ms: r.maxDurationMs,
          hist_buckets: buckets,
          hist_counts: counts,
          spark: r.sparkline,
        };
      });
      await client.query(
        `INSERT INTO stats_summaries (cover, account_id, region, resource_id, invocations, successes, errors, timeouts, out_of_memory, crashes,
                cold_starts, retries, duration_sum_ms, billed_ms, gb_seconds, cost_usd, max_memory_used_mb, max_duration_ms, hist_buckets, hist_counts, spark)
         SELECT $1, $2, $3, x.* FROM jsonb_to_recordset($4::jsonb) AS x(resource_id int, invocations float8, successes float8, errors float8,
                timeouts float8, out_of_memory float8, crashes float8, cold_starts float8, retries float8, duration_sum_ms float8, billed_ms float8,
                gb_seconds float8, cost_usd float8, max_memory_used_mb int, max_duration_ms float8, hist_buckets smallint[], hist_counts int[], spark float8[])`,
        [cover, accountId, region, JSON.stringify(records)],
      );
    }
    await client.query("COMMIT");
    return true;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    // Another refresher (a second worker, `ingest --once`) wrote the same summary meanwhile: it is current.
    const code = (err as { code?: string }).code;
    if (code === "40001" || code === "23505") return false;
    throw err;
  } finally {
    client.release();
  }
}

function binTotals(b: Pick<FleetBin, "invocations" | "errors" | "coldStarts" | "costUsd" | "hist" | "maxDurationMs">): SummaryTotals {
  return { invocations: b.invocations, errors: b.errors, coldStarts: b.coldStarts, costUsd: b.costUsd, maxDurationMs: b.maxDurationMs, ...toSparseText(b.hist) };
}
