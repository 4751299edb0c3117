import type pg from "pg";
import type { SpanRow } from "../ingest/xray";

/** Inserts spans once each (trace, span, start); re-reading a trace changes nothing. */
export async function insertSpans(db: Pick<pg.PoolClient, "query">, spans: SpanRow[], resourceId: number | null): Promise<number> {
  if (!spans.length) return 0;
  const col = <T>(f: (s: SpanRow) => T) => spans.map(f);
  const res = await db.query(
    `INSERT INTO spans (trace_id, span_id, start_time, parent_id, resource_id, request_id, name, origin, namespace, depth, start_offset_ms,
        duration_ms, end_time, aws_operation, aws_resource, http_method, http_url, http_status, sql, error, fault, throttle, in_progress, inferred)
     SELECT u.trace_id, u.span_id, u.start_time, u.parent_id, $1, u.request_id, u.name, u.origin, u.namespace, u.depth, u.start_offset_ms,
        u.duration_ms, u.end_time, u.aws_operation, u.aws_resource, u.http_method, u.http_url, u.http_status, u.sql, u.error, u.fault,
        u.throttle, u.in_progress, u.inferred
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[],
                   $11::float8[], $12::float8[], $13::timestamptz[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[], $19::text[],
                   $20::bool[], $21::bool[], $22::bool[], $23::bool[], $24::bool[])
         AS u(trace_id, span_id, start_time, parent_id, request_id, name, origin, namespace, depth, start_offset_ms, duration_ms, end_time,
              aws_operation, aws_resource, http_method, http_url, http_status, sql, error, fault, throttle, in_progress, inferred)
     ON CONFLICT (trace_id, span_id, start_time) DO NOTHING`,
    [
      resourceId,
      col((s) => s.traceId),
      col((s) => s.spanId),
      col((s) => new Date(s.startTime)),
      col((s) => s.parentId),
      col((s) => s.requestId),
      col((s) => s.name),
      col((s) => s.origin),
      col((s) => s.namespace),
      col((s) => s.depth),
      col((s) => s.startOffsetMs),
      col((s) => s.durationMs),
      col((s) => (s.endTime === null ? null : new Date(s.endTime))),
      col((s) => s.awsOperation),
      col((s) => s.awsResource),
      col((s) => s.httpMethod),
      col((s) => s.httpUrl),
      col((s) => s.httpStatus),
      col((s) => s.sql),
      col((s) => s.error),
      col((s) => s.fault),
      col((s) => s.throttle),
      col((s) => s.inProgress),
      col((s) => s.inferred),
    ],
  );
  return res.rowCount ?? 0;
}
