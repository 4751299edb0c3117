import type pg from "pg";
import { traceBreakdown, type TraceBreakdown, type TracedCall } from "@/lib/analysis/trace-breakdown";

type Db = Pick<pg.Pool, "query">;

/** The breakdown reads at most this many of a function's latest traced invocations: enough for shares, cheap to read. */
export const BREAKDOWN_MAX_INVOCATIONS = 500;

interface Row {
  resource_id: number;
  start_ms: number;
  duration_ms: number;
  calls: { name: string; ns: "aws" | "remote"; op: string | null; res: string | null; s: number; d: number | null }[];
}

/**
 * Each function's own code against its downstream services, from its latest traced invocations since `since`:
 * the Lambda `Invocation` subsegment is the handler, the AWS and remote spans of the same function in the same
 * trace are what it waited on. Offsets share the trace's clock (start_offset_ms).
 */
export async function loadTraceBreakdowns(db: Db, resourceIds: number[], since: Date, until = new Date(), perFunction = BREAKDOWN_MAX_INVOCATIONS): Promise<Map<number, TraceBreakdown>> {
  const out = new Map<number, TraceBreakdown>();
  if (!resourceIds.length) return out;
  const { rows } = await db.query<Row>(
    `WITH inv AS (
       SELECT resource_id, trace_id, start_offset_ms, duration_ms FROM (
         SELECT resource_id, trace_id, start_offset_ms, duration_ms,
                row_number() OVER (PARTITION BY resource_id ORDER BY start_time DESC) AS rn
           FROM spans
          WHERE resource_id = ANY($1::int[]) AND name = 'Invocation' AND start_time >= $2 AND start_time < $3
            AND duration_ms > 0 AND NOT in_progress) x
        WHERE rn <= $4)
     SELECT inv.resource_id, inv.start_offset_ms AS start_ms, inv.duration_ms,
            coalesce(json_agg(json_build_object('name', s.name, 'ns', s.namespace, 'op', s.aws_operation, 'res', s.aws_resource,
                                                's', s.start_offset_ms, 'd', s.duration_ms)) FILTER (WHERE s.span_id IS NOT NULL), '[]') AS calls
       FROM inv
       LEFT JOIN spans s ON s.trace_id = inv.trace_id AND s.resource_id = inv.resource_id AND s.namespace IN ('aws', 'remote')
                        AND s.start_time >= $2 AND s.duration_ms IS NOT NULL
      GROUP BY inv.resource_id, inv.trace_id, inv.start_offset_ms, inv.duration_ms`,
    [resourceIds, since, until, perFunction],
  );
  const byResource = new Map<number, Row[]>();
  for (const r of rows) byResource.set(r.resource_id, [...(byResource.get(r.resource_id) ?? []), r]);
  for (const [id, list] of byResource) {
    const b = traceBreakdown(
      list.map((r) => ({
        startMs: r.start_ms,
        durationMs: r.duration_ms,
        calls: r.calls.map((c): TracedCall => ({ name: c.name, namespace: c.ns, operation: c.op, resource: c.res, startMs: c.s, endMs: c.s + (c.d ?? 0) })),
      })),
    );
    if (b) out.set(id, b);
  }
  return out;
}
