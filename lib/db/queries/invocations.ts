import type pg from "pg";
import { z } from "zod";
import { decodeCursor, encodeCursor, type TimeRange } from "@/lib/api/schemas/common";
import type { InvocationListQuery, InvocationSummary } from "@/lib/api/schemas/invocations";
import { utcDay } from "@/lib/db/partitions";

const KeysetCursor = z.object({ t: z.number(), id: z.string().regex(/^\d+$/) });

export const INVOCATION_SUMMARY_COLUMNS = `i.id::text AS id, i.request_id, i.attempt, i.started_at, i.ended_at, i.duration_ms, i.billed_duration_ms,
  i.memory_size_mb, i.max_memory_used_mb, i.init_duration_ms, i.cold_start, i.status::text AS status, i.error_type, i.error_message,
  i.cost_usd, i.trace_id, i.complete`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toInvocationSummary(r: Record<string, unknown>): InvocationSummary {
  return {
    id: r.id as string,
    requestId: r.request_id as string,
    attempt: r.attempt as number,
    retry: (r.attempt as number) > 1,
    startedAt: iso(r.started_at as Date | null),
    endedAt: iso(r.ended_at as Date | null),
    durationMs: r.duration_ms as number | null,
    billedDurationMs: r.billed_duration_ms as number | null,
    memorySizeMB: r.memory_size_mb as number | null,
    maxMemoryUsedMB: r.max_memory_used_mb as number | null,
    initDurationMs: r.init_duration_ms as number | null,
    coldStart: r.cold_start as boolean,
    status: r.status as InvocationSummary["status"],
    errorType: r.error_type as string | null,
    errorMessage: r.error_message as string | null,
    costUsd: r.cost_usd as number | null,
    traceId: r.trace_id as string | null,
    complete: r.complete as boolean,
  };
}

// Log lines of a request can trail its start by up to Lambda's 15-minute limit.
const LOG_TRAIL_MS = 15 * 60_000;

/**
 * Invocations of one resource that started in the range, newest first, keyset-paged on
 * (started_at, id). `day` bounds let Postgres skip the partitions outside the range.
 */
export async function listInvocations(
  db: pg.Pool,
  resourceId: number,
  q: InvocationListQuery,
  range: TimeRange,
): Promise<{ data: InvocationSummary[]; nextCursor: string | null }> {
  const params: unknown[] = [resourceId, new Date(range.from), new Date(range.to), utcDay(range.from), utcDay(range.to)];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const cond = ["i.resource_id = $1", "i.started_at >= $2", "i.started_at < $3", "i.day >= $4::date", "i.day <= $5::date"];
  const cursor = decodeCursor(q.cursor, KeysetCursor);
  if (cursor) cond.push(`(i.started_at, i.id) < (${p(new Date(cursor.t))}, ${p(cursor.id)}::bigint)`);
  if (q.status?.length) cond.push(`i.status = ANY(${p(q.status)}::"InvocationStatus"[])`);
  if (q.coldStart !== undefined) cond.push(`i.cold_start = ${p(q.coldStart)}`);
  if (q.retry !== undefined) cond.push(q.retry ? "i.attempt > 1" : "i.attempt = 1");
  if (q.minDurationMs !== undefined) cond.push(`i.duration_ms >= ${p(q.minDurationMs)}`);
  let withLogs = "";
  if (q.q) {
    const pattern = p(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const logTo = p(new Date(range.to + LOG_TRAIL_MS));
    withLogs = `WITH m AS (SELECT DISTINCT l.request_id FROM log_events l
                             WHERE l.resource_id = $1 AND l.ts >= $2 AND l.ts < ${logTo} AND l.request_id IS NOT NULL AND l.message ILIKE ${pattern})`;
    cond.push("i.request_id IN (SELECT request_id FROM m)");
  }
  if (q.errorGroup !== undefined) {
    // The attempt an occurrence belongs to is the latest one begun by then, as the error group page links it.
    cond.push(`EXISTS (SELECT 1 FROM error_occurrences o
                        WHERE o.group_id = ${p(q.errorGroup)} AND o.resource_id = $1 AND o.request_id = i.request_id
                          AND o.ts >= i.started_at AND o.ts < ${p(new Date(range.to + LOG_TRAIL_MS))}
                          AND NOT EXISTS (SELECT 1 FROM invocations j
                                           WHERE j.resource_id = $1 AND j.request_id = i.request_id AND j.day >= $4::date - 1
                                             AND j.started_at > i.started_at AND j.started_at <= o.ts))`);
  }
  const limit = p(q.limit + 1);
  const { rows } = await db.query(
    `${withLogs} SELECT ${INVOCATION_SUMMARY_COLUMNS} FROM invocations i WHERE ${cond.join(" AND ")} ORDER BY i.started_at DESC, i.id DESC LIMIT ${limit}`,
    params,
  );
  const page = rows.slice(0, q.limit).map(toInvocationSummary);
  const last = rows.length > q.limit ? rows[q.limit - 1] : null;
  return { data: page, nextCursor: last ? encodeCursor({ t: (last.started_at as Date).getTime(), id: last.id }) : null };
}
