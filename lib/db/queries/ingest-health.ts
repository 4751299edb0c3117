import type pg from "pg";
import type { IngestHealth } from "@/lib/api/schemas/overview";
import { apiCostUsd } from "@/lib/analysis/api-prices";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Per account and region: the latest run of each job, failures in the last 24 h, and how fresh the data is. */
export async function getIngestHealth(db: pg.Pool, filter: { account?: number[]; region?: string[] }, now = Date.now()): Promise<IngestHealth[]> {
  const { rows } = await db.query(
    `WITH ar AS (SELECT a.id, a.name, rg AS region FROM accounts a CROSS JOIN unnest(a.regions) rg
                  WHERE ($1::int[] IS NULL OR a.id = ANY($1)) AND ($2::text[] IS NULL OR rg = ANY($2)))
     SELECT ar.id, ar.name, ar.region,
            (SELECT max(position) FROM ingest_cursors c WHERE c.job = 'logs' AND c.account_id = ar.id AND c.region = ar.region)::float8 AS newest_ms,
            coalesce((SELECT json_agg(j) FROM (
              SELECT r.job, max(r.started_at) AS last_run_at,
                     (array_agg(r.status::text ORDER BY r.started_at DESC))[1] AS last_status,
                     max(r.finished_at) FILTER (WHERE r.status = 'ok') AS last_success_at,
                     count(*) FILTER (WHERE r.status IN ('failed', 'interrupted') AND r.started_at > $3::timestamptz - interval '24 hours')::int AS failures,
                     (array_agg(r.error ORDER BY r.started_at DESC) FILTER (WHERE r.error IS NOT NULL))[1] AS last_error
                FROM ingest_runs r
               WHERE r.account_id = ar.id AND r.region = ar.region AND r.started_at > $3::timestamptz - interval '7 days'
               GROUP BY r.job ORDER BY r.job) j), '[]') AS jobs,
            coalesce((SELECT json_agg(w ORDER BY w.last_seen_at DESC, w.feature, w.resource) FROM (
              SELECT feature, resource, action, denied, message, first_seen_at, last_seen_at, count FROM ingest_warnings
               WHERE account_id = ar.id AND region = ar.region ORDER BY last_seen_at DESC, feature, resource LIMIT 50) w), '[]') AS warnings,
            (SELECT count(*) FROM quarantined_events q WHERE q.account_id = ar.id AND q.region = ar.region)::int AS quarantined_count,
            coalesce((SELECT json_agg(q ORDER BY q.first_seen_at DESC, q.event_id) FROM (
              SELECT log_group, event_id, event_ts_ms, reason, sqlstate, left(message, 300) AS message, first_seen_at FROM quarantined_events
               WHERE account_id = ar.id AND region = ar.region ORDER BY first_seen_at DESC, event_id LIMIT 20) q), '[]') AS quarantined,
            coalesce((SELECT json_agg(u ORDER BY u.api) FROM (
              SELECT api, sum(calls) FILTER (WHERE hour >= date_trunc('hour', $3::timestamptz) - interval '1 hour')::int AS last_hour,
                     sum(calls)::int AS calls, sum(units)::int AS units
                FROM api_call_counts WHERE account_id = ar.id AND region = ar.region AND hour > $3::timestamptz - interval '24 hours'
               GROUP BY api) u), '[]') AS api_calls,
            (SELECT json_build_object('n', count(*), 'p50', percentile_cont(0.5) WITHIN GROUP (ORDER BY $4::float8 - f.position),
                                      'max', max($4::float8 - f.position),
                                      'stalest', (SELECT json_agg(s) FROM (
                                          SELECT r2.name, c2.position::float8 AS position FROM resources r2
                                            LEFT JOIN ingest_cursors c2 ON c2.job = 'logs' AND c2.account_id = ar.id AND c2.region = ar.region
                                                 AND c2.key = coalesce(r2.config->>'logGroup', '/aws/lambda/' || r2.name)
                                           WHERE r2.account_id = ar.id AND r2.region = ar.region AND r2.kind = 'lambda' AND r2.deleted_at IS NULL
                                           ORDER BY c2.position ASC NULLS FIRST, r2.name LIMIT 5) s))
               FROM (SELECT c.position::float8 AS position FROM resources r
                       LEFT JOIN ingest_cursors c ON c.job = 'logs' AND c.account_id = ar.id AND c.region = ar.region
                            AND c.key = coalesce(r.config->>'logGroup', '/aws/lambda/' || r.name)
                      WHERE r.account_id = ar.id AND r.region = ar.region AND r.kind = 'lambda' AND r.deleted_at IS NULL) f) AS freshness
       FROM ar ORDER BY ar.id, ar.region`,
    [filter.account ?? null, filter.region ?? null, new Date(now), now],
  );
  return rows.map((r) => {
    const jobs = (r.jobs as { job: string; last_run_at: string | null; last_status: string | null; last_success_at: string | null; failures: number; last_error: string | null }[]).map(
      (j) => ({
        job: j.job,
        lastRunAt: j.last_run_at ? new Date(j.last_run_at).toISOString() : null,
        lastStatus: j.last_status,
        lastSuccessAt: j.last_success_at ? new Date(j.last_success_at).toISOString() : null,
        failures24h: j.failures,
        lastError: j.last_error,
      }),
    );
    const successes = jobs.map((j) => j.lastSuccessAt).filter((s): s is string => s !== null).sort();
    const lastSuccessAt = successes.at(-1) ?? null;
    const newest = r.newest_ms !== null ? new Date(r.newest_ms as number) : null;
    const reference = newest ?? (lastSuccessAt ? new Date(lastSuccessAt) : null);
    const latestFailure = jobs.filter((j) => j.lastError).sort((a, b) => (b.lastRunAt ?? "").localeCompare(a.lastRunAt ?? ""))[0];
    return {
      accountId: r.id,
      account: r.name,
      region: r.region,
      lastSuccessAt,
      newestDataAt: iso(newest),
      lagMs: reference ? Math.max(0, now - reference.getTime()) : null,
      failures24h: jobs.reduce((n, j) => n + j.failures24h, 0),
      lastError: latestFailure?.lastError ?? null,
      jobs,
      warnings: (r.warnings as WarningRow[]).map((w) => ({
        feature: w.feature,
        resource: w.resource,
        action: w.action,
        denied: w.denied,
        message: w.message,
        firstSeenAt: new Date(w.first_seen_at).toISOString(),
        lastSeenAt: new Date(w.last_seen_at).toISOString(),
        count: w.count,
      })),
      quarantinedCount: r.quarantined_count as number,
      quarantined: (r.quarantined as QuarantineRow[]).map((q) => ({
        logGroup: q.log_group,
        eventId: q.event_id,
        eventTime: eventTime(q.event_ts_ms),
        reason: q.reason,
        sqlstate: q.sqlstate,
        message: q.message,
        firstSeenAt: new Date(q.first_seen_at).toISOString(),
      })),
      apiCalls: (r.api_calls as { api: string; last_hour: number | null; calls: number; units: number }[]).map((u) => ({
        api: u.api,
        callsLastHour: u.last_hour ?? 0,
        calls24h: u.calls,
        units24h: u.units,
        costUsd24h: apiCostUsd(u.api, u.units),
      })),
      freshness: toFreshness(r.freshness as FreshnessRow, now),
    };
  });
}

interface WarningRow {
  feature: string;
  resource: string;
  action: string | null;
  denied: boolean;
  message: string;
  first_seen_at: string;
  last_seen_at: string;
  count: number;
}

interface QuarantineRow {
  log_group: string;
  event_id: string;
  event_ts_ms: number | null;
  reason: string;
  sqlstate: string | null;
  message: string;
  first_seen_at: string;
}

// A quarantined timestamp may be one no Date can show (that may be why it was refused).
function eventTime(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

interface FreshnessRow {
  n: number;
  p50: number | null;
  max: number | null;
  stalest: { name: string; position: number | null }[] | null;
}

function toFreshness(f: FreshnessRow, now: number): IngestHealth["freshness"] {
  return {
    functions: f.n,
    p50AgeMs: f.p50 === null ? null : Math.max(0, f.p50),
    maxAgeMs: f.max === null ? null : Math.max(0, f.max),
    stalest: (f.stalest ?? []).map((s) => ({
      name: s.name,
      newestDataAt: s.position === null ? null : new Date(s.position).toISOString(),
      ageMs: s.position === null ? null : Math.max(0, now - s.position),
    })),
  };
}
