import { createHash } from "node:crypto";
import type pg from "pg";
import type { LogEventInput } from "../ingest/lambda-logs/types";

type Queryable = Pick<pg.Pool, "query">;

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const keyOf = (stream: string, ts: number, hash: string) => `${stream}\0${ts}\0${hash}`;

/**
 * The events not yet stored for a function, recognised by content (log stream, timestamp, message), not
 * by id: the same event read by FilterLogEvents (AWS's eventId) and by Logs Insights (no eventId, a key
 * of its own) would otherwise be stored twice. Used where the two reads can overlap; one indexed look-up
 * over the events' time range.
 */
export async function dropStoredEvents(db: Queryable, resourceId: number, events: LogEventInput[]): Promise<LogEventInput[]> {
  if (!events.length) return events;
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of events) {
    lo = Math.min(lo, e.timestamp);
    hi = Math.max(hi, e.timestamp);
  }
  const { rows } = await db.query<{ log_stream: string; ts: number; h: string }>(
    `SELECT log_stream, (extract(epoch FROM ts) * 1000)::float8 AS ts, md5(message) AS h FROM log_events
      WHERE resource_id = $1 AND ts >= $2 AND ts <= $3`,
    [resourceId, new Date(lo), new Date(hi)],
  );
  if (!rows.length) return events;
  const stored = new Set(rows.map((r) => keyOf(r.log_stream, Math.round(r.ts), r.h)));
  return events.filter((e) => !stored.has(keyOf(e.logStreamName, e.timestamp, md5(e.message))));
}
