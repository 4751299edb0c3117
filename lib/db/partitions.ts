import type pg from "pg";

export const PARTITIONED_TABLES = ["invocations", "log_events", "spans", "metric_points"] as const;

const DAY_MS = 86_400_000;

export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Ensures a partition for every day from `retentionDays` ago to `daysAhead` ahead (rows the
 * default partition caught for those days move into them), and drops days past retention.
 */
export async function ensurePartitions(
  db: pg.Pool,
  opts: { daysAhead: number; retentionDays: number; now?: number },
): Promise<{ created: number; dropped: number }> {
  const now = opts.now ?? Date.now();
  let created = 0;
  let dropped = 0;
  for (const table of PARTITIONED_TABLES) {
    for (let d = -opts.retentionDays; d <= opts.daysAhead; d++) {
      const { rows } = await db.query<{ made: boolean }>("SELECT osprey_ensure_day_partition($1, $2::date) AS made", [
        table,
        utcDay(now + d * DAY_MS),
      ]);
      if (rows[0].made) created++;
    }
    const { rows } = await db.query<{ n: number }>("SELECT osprey_drop_day_partitions_before($1, $2::date) AS n", [
      table,
      utcDay(now - opts.retentionDays * DAY_MS),
    ]);
    dropped += rows[0].n;
  }
  return { created, dropped };
}
