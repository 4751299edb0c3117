import type pg from "pg";

export interface StoredSet {
  rows: number;
  digest: string;
}

// What a user would find stored, keyed by names and AWS ids (never by our own serial ids, which
// differ between two databases), with a digest over every row so one difference shows.
const SETS = {
  invocations: `SELECT r.name || '|' || i.request_id || '|' || i.attempt || '|' || coalesce(i.status::text, '') || '|' || coalesce(i.duration_ms::text, '')
                       || '|' || i.cold_start || '|' || i.complete || '|' || coalesce(i.trace_id, '') AS k
                  FROM invocations i JOIN resources r ON r.id = i.resource_id`,
  logLines: `SELECT r.name || '|' || l.event_id || '|' || md5(l.message) AS k FROM log_events l JOIN resources r ON r.id = l.resource_id`,
  errorOccurrences: `SELECT r.name || '|' || o.event_id || '|' || g.fingerprint AS k
                       FROM error_occurrences o JOIN resources r ON r.id = o.resource_id JOIN error_groups g ON g.id = o.group_id`,
  spans: `SELECT s.trace_id || '|' || s.span_id || '|' || s.name || '|' || coalesce(s.duration_ms::text, '') AS k FROM spans s`,
  metricPoints: `SELECT r.name || '|' || p.metric || '|' || p.stat || '|' || p.period_s || '|' || p.ts || '|' || p.value AS k
                   FROM metric_points p JOIN resources r ON r.id = p.resource_id`,
} as const;

export type StoredRows = Record<keyof typeof SETS, StoredSet>;

/** Row counts and digests of the ingested data of one database. */
export async function storedRows(db: pg.Pool, only: (keyof typeof SETS)[] = Object.keys(SETS) as (keyof typeof SETS)[]): Promise<Partial<StoredRows>> {
  const out: Partial<StoredRows> = {};
  for (const name of only) {
    const { rows } = await db.query<StoredSet>(`SELECT count(*)::int AS rows, coalesce(md5(string_agg(k, ',' ORDER BY k)), '') AS digest FROM (${SETS[name]}) x`);
    out[name] = rows[0];
  }
  return out;
}
