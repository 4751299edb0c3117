import type pg from "pg";
import { deployVerdict, type DeployVerdict, type DeployWindow } from "@/lib/analysis/deploy-verdict";
import { histogramFromSparse } from "@/lib/analysis/histogram";
import { durationPercentile, FAILED_SQL } from "@/lib/analysis/metrics";

type Db = Pick<pg.Pool, "query">;

const HOUR = 3_600_000;
/** A verdict compares at most a day on each side of the deploy. */
export const DEPLOY_WINDOW_MAX_MS = 24 * HOUR;

export interface Deploy {
  /** When the new code went live: the function's LastModified when it lies between the two discoveries, else when discovery saw it. */
  at: number;
  fromSha: string | null;
  toSha: string | null;
  /** Each side of the deploy spans this long: up to a day, cut at the neighbouring deploys and at now. */
  windowMs: number;
  before: DeployWindow;
  after: DeployWindow;
  verdict: DeployVerdict;
}

async function windowStats(db: Db, resourceId: number, from: number, to: number): Promise<DeployWindow> {
  const { rows } = await db.query<{ n: number; e: number; cost: number; b: number[] | null; c: number[] | null }>(
    `SELECT s.n, s.e, s.cost, h.b, h.c
       FROM (SELECT coalesce(sum(invocations), 0)::int AS n, coalesce(sum(${FAILED_SQL}), 0)::int AS e, coalesce(sum(cost_usd), 0)::float8 AS cost
               FROM rollup_minute WHERE resource_id = $1 AND bucket_start >= $2 AND bucket_start < $3) s,
            (SELECT array_agg(b ORDER BY b) AS b, array_agg(c ORDER BY b) AS c FROM (
               SELECT u.b, sum(u.c)::int AS c FROM rollup_minute, unnest(hist_buckets, hist_counts) AS u(b, c)
                WHERE resource_id = $1 AND bucket_start >= $2 AND bucket_start < $3 GROUP BY u.b) x) h`,
    [resourceId, new Date(from), new Date(to)],
  );
  const r = rows[0];
  const p95Ms = r.b && r.b.length ? durationPercentile(histogramFromSparse(r.b, r.c ?? []), 95) : null;
  return { invocations: r.n, errors: r.e, p95Ms, costUsd: r.cost };
}

/**
 * A function's code deploys (configuration versions whose codeSha256 changed) since `since`, newest first,
 * each with the verdict of its before and after windows from the minute rollups.
 */
export async function listDeploys(db: Db, resourceId: number, since: number, now = Date.now()): Promise<Deploy[]> {
  const { rows } = await db.query<{ seen: number; prev_seen: number | null; last_modified: string | null; from_sha: string | null; to_sha: string | null }>(
    `SELECT * FROM (
       SELECT (extract(epoch FROM seen_at) * 1000)::float8 AS seen,
              (extract(epoch FROM lag(seen_at) OVER (ORDER BY seen_at)) * 1000)::float8 AS prev_seen,
              config->>'lastModified' AS last_modified,
              (SELECT c->>'from' FROM jsonb_array_elements(changes) c WHERE c->>'path' = 'codeSha256') AS from_sha,
              (SELECT c->>'to' FROM jsonb_array_elements(changes) c WHERE c->>'path' = 'codeSha256') AS to_sha,
              EXISTS (SELECT 1 FROM jsonb_array_elements(changes) c WHERE c->>'path' = 'codeSha256') AS deploy
         FROM resource_config_versions WHERE resource_id = $1) v
      WHERE deploy AND seen >= $2 ORDER BY seen`,
    [resourceId, since],
  );
  const at = rows.map((r) => {
    const modified = r.last_modified ? Date.parse(r.last_modified) : NaN;
    return Number.isFinite(modified) && modified <= r.seen && (r.prev_seen === null || modified > r.prev_seen) ? modified : r.seen;
  });
  const out: Deploy[] = [];
  for (let i = 0; i < rows.length; i++) {
    const previous = i > 0 ? at[i - 1] : -Infinity;
    const next = i + 1 < rows.length ? at[i + 1] : now;
    const windowMs = Math.max(0, Math.min(DEPLOY_WINDOW_MAX_MS, at[i] - previous, next - at[i]));
    const before = await windowStats(db, resourceId, at[i] - windowMs, at[i]);
    const after = await windowStats(db, resourceId, at[i], at[i] + windowMs);
    out.push({ at: at[i], fromSha: rows[i].from_sha, toSha: rows[i].to_sha, windowMs, before, after, verdict: deployVerdict(before, after) });
  }
  return out.reverse();
}

export interface VersionMetrics {
  /** The executed version, as the log stream name carries it: `2026/12/04/[$LATEST]…`, `…/[12]…`. */
  version: string;
  invocations: number;
  /** Invocations that did not succeed (errors, timeouts, out of memory, crashes). */
  failed: number;
  p95Ms: number | null;
  costUsd: number;
}

/** Invocations, failures, p95 and cost per executed version over [from, to), busiest first. */
export async function versionMetrics(db: Db, resourceId: number, from: number, to: number): Promise<VersionMetrics[]> {
  const { rows } = await db.query<VersionMetrics>(
    `SELECT coalesce(substring(log_stream from '\\[([^]]+)\\]'), 'unknown') AS version, count(*)::int AS invocations,
            count(*) FILTER (WHERE status IS NOT NULL AND status <> 'success')::int AS failed,
            (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::float8 AS "p95Ms", coalesce(sum(cost_usd), 0)::float8 AS "costUsd"
       FROM invocations WHERE resource_id = $1 AND started_at >= $2 AND started_at < $3
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    [resourceId, new Date(from), new Date(to)],
  );
  return rows;
}
