import type pg from "pg";
import { FIRST_READ_LOOKBACK_MS } from "@/lib/ingest/first-read";

const DAY = 86_400_000;

/**
 * When Osprey's data for each resource starts, to the hour: its earliest hour rollup, or its earliest day rollup
 * when that reaches further back (hour rollups are kept 90 days, day rollups 400). Resources without data are left
 * out. One index probe per resource and grain (the (resource_id, bucket_start) keys), so a fleet of a thousand
 * functions costs a thousand probes, not a scan of their rollups.
 */
export async function dataStartByResource(db: Pick<pg.Pool, "query">, ids: readonly number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: number; hour: Date | null; day: Date | null }>(
    `SELECT u.id, (SELECT h.bucket_start FROM rollup_hour h WHERE h.resource_id = u.id ORDER BY h.bucket_start LIMIT 1) AS hour,
                  (SELECT d.bucket_start FROM rollup_day d WHERE d.resource_id = u.id ORDER BY d.bucket_start LIMIT 1) AS day
       FROM unnest($1::int[]) AS u(id)`,
    [ids],
  );
  const out = new Map<number, number>();
  for (const r of rows) {
    const hour = r.hour?.getTime() ?? null;
    const day = r.day?.getTime() ?? null;
    // A day bucket starts at midnight, before its first event: it only says more when the hours were pruned.
    const start = hour !== null && (day === null || day >= hour - DAY) ? hour : day;
    if (start !== null) out.set(r.id, start);
  }
  return out;
}

/**
 * Where Osprey's view of each resource begins, for rates and monthly figures: the earlier of its first data and the
 * time reading it began (first seen, less the first read's look-back). A nightly job first seen yesterday that ran
 * an hour ago has a day of coverage, not an hour: the hours before its run were read and were idle.
 */
export async function coverageStartByResource(
  db: Pick<pg.Pool, "query">,
  ids: readonly number[],
  dataStart?: Map<number, number>,
): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const data = dataStart ?? (await dataStartByResource(db, ids));
  const { rows } = await db.query<{ id: number; first_seen_at: Date }>("SELECT id, first_seen_at FROM resources WHERE id = ANY($1::int[])", [ids]);
  const out = new Map<number, number>();
  for (const r of rows) {
    const readFrom = r.first_seen_at.getTime() - FIRST_READ_LOOKBACK_MS;
    out.set(r.id, Math.min(readFrom, data.get(r.id) ?? Infinity));
  }
  return out;
}

/** When Osprey's data for any of these resources starts (dataStartByResource's earliest); null when there is none. */
export async function earliestDataAt(db: Pick<pg.Pool, "query">, ids: readonly number[], dataStart?: Map<number, number>): Promise<number | null> {
  const starts = [...(dataStart ?? (await dataStartByResource(db, ids))).values()];
  return starts.length ? Math.min(...starts) : null;
}

/**
 * Whether the previous period of a range starts before the data does, so its figures cover only part of it: a
 * "vs previous" change would compare a whole period with a sliver (a day-old install showed "+69,132 %").
 */
export async function previousPeriodPartial(
  db: Pick<pg.Pool, "query">,
  ids: readonly number[],
  prevFrom: number,
  dataStart?: Map<number, number>,
): Promise<boolean> {
  const start = await earliestDataAt(db, ids, dataStart);
  return start !== null && start > prevFrom;
}
