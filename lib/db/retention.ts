import type pg from "pg";
import { pruneNotifications } from "./notifications/delivery";

// Retention of everything that grows with time. Raw data (invocations, log events, spans, metric
// points) lives in daily partitions that lib/db/partitions.ts drops whole; this module bounds the rest:
// rows that land in the default partitions, rollups, error occurrences, ingest runs, notifications,
// kept Firehose payloads, quarantined events and ingest warnings.

const DAY_MS = 86_400_000;

/** Hourly rollups serve ranges up to 90 days, daily ones up to the API's longest range (400 days). */
export const HOUR_ROLLUP_RETENTION_DAYS = 90;
export const DAY_ROLLUP_RETENTION_DAYS = 400;

export interface RetentionPolicy {
  /** OSPREY_RETENTION_DAYS: raw data and minute rollups. */
  rawDays: number;
  hourDays: number;
  dayDays: number;
}

export function retentionPolicy(rawDays: number): RetentionPolicy {
  // A longer raw retention than the coarser grains' own would leave a gap: they keep at least as long.
  return { rawDays, hourDays: Math.max(rawDays, HOUR_ROLLUP_RETENTION_DAYS), dayDays: Math.max(rawDays, DAY_ROLLUP_RETENTION_DAYS) };
}

// Rows a partitioned table's default partition caught (days without a partition of their own), by partition key.
const DEFAULT_PARTITIONS: [table: string, key: string][] = [
  ["invocations_default", "day"],
  ["log_events_default", "ts"],
  ["spans_default", "start_time"],
  ["metric_points_default", "ts"],
];

export type RetentionCounts = Record<string, number>;

/** Deletes what is past its retention; returns the rows removed per table. */
export async function applyRetention(db: Pick<pg.Pool, "query">, rawDays: number, now = Date.now()): Promise<RetentionCounts> {
  const p = retentionPolicy(rawDays);
  const before = (days: number) => new Date(now - days * DAY_MS);
  const rawCutoff = before(p.rawDays);
  const out: RetentionCounts = {};
  const run = async (name: string, sql: string, params: unknown[]) => {
    const { rowCount } = await db.query(sql, params);
    out[name] = (out[name] ?? 0) + (rowCount ?? 0);
  };

  for (const [table, key] of DEFAULT_PARTITIONS) await run(table, `DELETE FROM ${table} WHERE ${key} < $1`, [key === "day" ? rawCutoff.toISOString().slice(0, 10) : rawCutoff]);

  await run("rollup_minute", "DELETE FROM rollup_minute WHERE bucket_start < $1", [rawCutoff]);
  await run("rollup_hour", "DELETE FROM rollup_hour WHERE bucket_start < $1", [before(p.hourDays)]);
  await run("rollup_day", "DELETE FROM rollup_day WHERE bucket_start < $1", [before(p.dayDays)]);

  // The review's daily pillar scores go with the daily rollups: its progress chart reaches as far back as theirs.
  await run("review_snapshots", "DELETE FROM review_snapshots WHERE day < $1", [before(p.dayDays).toISOString().slice(0, 10)]);

  await run("error_occurrences", "DELETE FROM error_occurrences WHERE ts < $1", [rawCutoff]);
  // A group nobody has seen within the retention and with no occurrence left is forgotten; an
  // ignored one is kept, so a user's "ignore" outlives a quiet month.
  await run(
    "error_groups",
    `DELETE FROM error_groups g WHERE g.last_seen_at < $1 AND g.state <> 'ignored'
        AND NOT EXISTS (SELECT 1 FROM error_occurrences o WHERE o.group_id = g.id)`,
    [rawCutoff],
  );

  // Ingest health reads recent runs and each job's last success: those are kept whatever their age.
  await run(
    "ingest_runs",
    `DELETE FROM ingest_runs r WHERE r.started_at < $1
        AND r.id <> ALL (SELECT max(id) FROM ingest_runs GROUP BY job, account_id, region
                         UNION ALL SELECT max(id) FROM ingest_runs WHERE status = 'ok' GROUP BY job, account_id, region)`,
    [rawCutoff],
  );

  out.notification_outbox = await pruneNotifications(db, p.rawDays, now);
  // Incidents resolved before the raw retention are history (their timeline goes with them, by cascade);
  // open and acknowledged ones stay whatever their age.
  await run("incidents", "DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < $1", [rawCutoff]);
  await run("push_pending", "DELETE FROM push_pending WHERE received_at < $1", [rawCutoff]);

  // Quarantined events and ingest warnings not seen again within the retention: their problem is history.
  await run("quarantined_events", "DELETE FROM quarantined_events WHERE last_seen_at < $1", [rawCutoff]);
  await run("ingest_warnings", "DELETE FROM ingest_warnings WHERE last_seen_at < $1", [rawCutoff]);
  await run("api_call_counts", "DELETE FROM api_call_counts WHERE hour < $1", [rawCutoff]);
  // The audit log is kept as long as hourly rollups (at least 90 days): who changed a policy last month stays answerable.
  await run("audit_events", "DELETE FROM audit_events WHERE at < $1", [before(p.hourDays)]);
  return out;
}
