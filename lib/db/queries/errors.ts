import type pg from "pg";
import { z } from "zod";
import { decodeCursor, encodeCursor, OffsetCursor, type TimeRange } from "@/lib/api/schemas/common";
import type { ErrorDetail, ErrorDetailQuery, ErrorGroupRow, ErrorListQuery } from "@/lib/api/schemas/errors";

const SPARK_POINTS = 24;
const TIMELINE_POINTS = 60;
const SORT_SQL = { count: "c.n", lastSeen: "g.last_seen_at", firstSeen: "g.first_seen_at" } as const;

const GROUP_COLUMNS = `g.id, g.error_type, g.message, g.sample_message, g.top_frame, g.state::text AS state, g.count AS total_count,
  g.first_seen_at, g.last_seen_at, g.resolved_at,
  coalesce((SELECT json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name) FROM resources r WHERE r.id = ANY(g.resource_ids)), '[]') AS resources`;

function toGroup(r: Record<string, unknown>) {
  return {
    id: r.id as number,
    errorType: r.error_type as string,
    message: r.message as string,
    sampleMessage: r.sample_message as string,
    topFrame: r.top_frame as string | null,
    state: r.state as ErrorGroupRow["state"],
    totalCount: r.total_count as number,
    firstSeenAt: (r.first_seen_at as Date).toISOString(),
    lastSeenAt: (r.last_seen_at as Date).toISOString(),
    resources: r.resources as { id: number; name: string }[],
  };
}

/** Error groups with occurrences in the range, their count there and a sparkline. */
export async function listErrorGroups(
  db: pg.Pool,
  q: ErrorListQuery,
  range: TimeRange,
): Promise<{ data: ErrorGroupRow[]; nextCursor: string | null; total: number; sparkBinMs: number }> {
  const binMs = Math.ceil((range.to - range.from) / SPARK_POINTS);
  const params: unknown[] = [new Date(range.from), new Date(range.to), range.from, binMs];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const occ = ["o.ts >= $1", "o.ts < $2"];
  if (q.resource?.length) occ.push(`o.resource_id = ANY(${p(q.resource)}::int[])`);
  if (q.account?.length) occ.push(`o.resource_id IN (SELECT id FROM resources WHERE account_id = ANY(${p(q.account)}::int[]))`);
  const grp = ["true"];
  if (q.state?.length) grp.push(`g.state = ANY(${p(q.state)}::"ErrorGroupState"[])`);
  if (q.q) {
    const pattern = p(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    grp.push(`(g.error_type ILIKE ${pattern} OR g.message ILIKE ${pattern})`);
  }
  const offset = decodeCursor(q.cursor, OffsetCursor)?.o ?? 0;
  const dir = q.order === "asc" ? "ASC" : "DESC";
  const { rows } = await db.query(
    `WITH b AS (SELECT o.group_id, floor((extract(epoch FROM o.ts) * 1000 - $3::float8) / $4::float8)::int AS bin, count(*)::int AS n
                  FROM error_occurrences o WHERE ${occ.join(" AND ")} GROUP BY 1, 2),
          c AS (SELECT group_id, sum(n)::int AS n, json_object_agg(bin, n) AS bins FROM b GROUP BY group_id)
     SELECT ${GROUP_COLUMNS}, c.n, c.bins, count(*) OVER () AS total
       FROM error_groups g JOIN c ON c.group_id = g.id
      WHERE ${grp.join(" AND ")}
      ORDER BY ${SORT_SQL[q.sort]} ${dir}, g.id ${dir}
      LIMIT ${p(q.limit + 1)} OFFSET ${p(offset)}`,
    params,
  );
  const total = rows.length ? Number(rows[0].total) : 0;
  const data = rows.slice(0, q.limit).map((r) => {
    const spark = new Array<number>(SPARK_POINTS).fill(0);
    for (const [bin, n] of Object.entries(r.bins as Record<string, number>)) spark[Math.min(SPARK_POINTS - 1, Math.max(0, Number(bin)))] += n;
    return { ...toGroup(r), count: r.n as number, sparkline: spark };
  });
  return { data, nextCursor: rows.length > q.limit ? encodeCursor({ o: offset + q.limit }) : null, total, sparkBinMs: binMs };
}

const OccurrenceCursor = z.object({ t: z.number(), e: z.string() });

/** One group with its occurrences in the range, newest first; null when unknown. */
export async function getErrorGroup(
  db: pg.Pool,
  id: number,
  q: ErrorDetailQuery,
  range: TimeRange,
): Promise<{ data: ErrorDetail; nextCursor: string | null } | null> {
  const { rows } = await db.query(`SELECT ${GROUP_COLUMNS}, g.sample_stack FROM error_groups g WHERE g.id = $1`, [id]);
  if (!rows[0]) return null;
  const cursor = decodeCursor(q.cursor, OccurrenceCursor);
  const params: unknown[] = [id, new Date(range.from), new Date(range.to), q.limit + 1];
  let keyset = "";
  if (cursor) {
    params.push(new Date(cursor.t), cursor.e);
    keyset = "AND (o.ts, o.event_id) < ($5, $6)";
  }
  const { rows: occ } = await db.query(
    // The attempt an occurrence belongs to: the latest attempt of its request begun by then, read from
    // the daily partitions of the range only (and the day before it: no invocation runs past 15 minutes).
    `SELECT o.event_id, o.ts, o.resource_id, r.name AS resource_name, o.request_id, o.error_type, o.error_message, o.log_stream,
            (SELECT i.attempt FROM invocations i
              WHERE i.resource_id = o.resource_id AND i.request_id = o.request_id AND (i.started_at IS NULL OR i.started_at <= o.ts)
                AND i.day BETWEEN ($2::timestamptz AT TIME ZONE 'UTC')::date - 1 AND ($3::timestamptz AT TIME ZONE 'UTC')::date
              ORDER BY i.started_at DESC NULLS LAST, i.attempt DESC LIMIT 1) AS attempt
       FROM error_occurrences o JOIN resources r ON r.id = o.resource_id
      WHERE o.group_id = $1 AND o.ts >= $2 AND o.ts < $3 ${keyset}
      ORDER BY o.ts DESC, o.event_id DESC LIMIT $4`,
    params,
  );
  const page = occ.slice(0, q.limit);
  const binMs = Math.ceil((range.to - range.from) / TIMELINE_POINTS);
  const { rows: bins } = await db.query(
    `SELECT floor((extract(epoch FROM o.ts) * 1000 - $4::float8) / $5::float8)::int AS bin, count(*)::int AS n
       FROM error_occurrences o WHERE o.group_id = $1 AND o.ts >= $2 AND o.ts < $3 GROUP BY 1`,
    [id, new Date(range.from), new Date(range.to), range.from, binMs],
  );
  const counts = new Array<number>(TIMELINE_POINTS).fill(0);
  for (const b of bins) counts[Math.min(TIMELINE_POINTS - 1, Math.max(0, b.bin))] += b.n;
  const last = occ.length > q.limit ? page.at(-1) : undefined;
  return {
    data: {
      ...toGroup(rows[0]),
      resolvedAt: rows[0].resolved_at ? (rows[0].resolved_at as Date).toISOString() : null,
      sampleStack: (rows[0].sample_stack as string | null) ?? null,
      timeline: { from: range.from, binMs, counts },
      occurrences: page.map((o) => ({
        eventId: o.event_id,
        ts: o.ts.toISOString(),
        resourceId: o.resource_id,
        resourceName: o.resource_name,
        requestId: o.request_id,
        attempt: o.attempt ?? null,
        errorType: o.error_type,
        errorMessage: o.error_message,
        logStream: o.log_stream,
      })),
    },
    nextCursor: last ? encodeCursor({ t: last.ts.getTime(), e: last.event_id }) : null,
  };
}

/** Sets a group's state; resolving stamps the time so a later occurrence can count as a regression. */
export async function updateErrorGroupState(db: pg.Pool, id: number, state: ErrorGroupRow["state"]): Promise<{ id: number; state: ErrorGroupRow["state"]; resolvedAt: string | null } | null> {
  const { rows } = await db.query(
    `UPDATE error_groups SET state = $2::"ErrorGroupState",
            resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE resolved_at END
      WHERE id = $1 RETURNING id, state::text AS state, resolved_at`,
    [id, state],
  );
  const r = rows[0];
  return r ? { id: r.id, state: r.state, resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null } : null;
}
