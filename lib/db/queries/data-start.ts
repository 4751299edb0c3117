import type pg from "pg";

const DAY = 86_400_000;

/**
 * When Osprey's data for these resources starts, to the hour: the earliest hour rollup, or the earliest day rollup
 * when that reaches further back (hour rollups are kept 90 days, day rollups 400). Null when there is none.
 * One index probe per resource and grain (LATERAL … LIMIT 1 on the (resource_id, bucket_start) keys), so a fleet of
 * a thousand functions costs a thousand probes, not a scan of their rollups.
 */
export async function earliestDataAt(db: Pick<pg.Pool, "query">, ids: readonly number[]): Promise<number | null> {
  if (!ids.length) return null;
  const { rows } = await db.query<{ hour: Date | null; day: Date | null }>(
    `SELECT (SELECT min(h.bucket_start) FROM unnest($1::int[]) AS id,
                    LATERAL (SELECT bucket_start FROM rollup_hour WHERE resource_id = id ORDER BY bucket_start LIMIT 1) h) AS hour,
            (SELECT min(d.bucket_start) FROM unnest($1::int[]) AS id,
                    LATERAL (SELECT bucket_start FROM rollup_day WHERE resource_id = id ORDER BY bucket_start LIMIT 1) d) AS day`,
    [ids],
  );
  const hour = rows[0]?.hour?.getTime() ?? null;
  const day = rows[0]?.day?.getTime() ?? null;
  // A day bucket starts at midnight, before its first event: it only says more when the hours were pruned.
  if (hour !== null && (day === null || day >= hour - DAY)) return hour;
  return day;
}

/**
 * Whether the previous period of a range starts before the data does, so its figures cover only part of it: a
 * "vs previous" change would compare a whole period with a sliver (a day-old install showed "+69,132 %").
 */
export async function previousPeriodPartial(db: Pick<pg.Pool, "query">, ids: readonly number[], prevFrom: number): Promise<boolean> {
  const start = await earliestDataAt(db, ids);
  return start !== null && start > prevFrom;
}
