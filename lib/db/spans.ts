import type pg from "pg";
import type { KnownFunction, SpanRow } from "../ingest/xray";
import { toStorable } from "../ingest/text/storable";

type Db = Pick<pg.PoolClient, "query">;

// Column, SQL type and value of every stored field but the key (trace_id, span_id, start_time).
const FIELDS: [string, string, (s: SpanRow) => unknown][] = [
  ["parent_id", "text", (s) => s.parentId],
  ["request_id", "text", (s) => s.requestId],
  ["name", "text", (s) => s.name],
  ["origin", "text", (s) => s.origin],
  ["namespace", "text", (s) => s.namespace],
  ["depth", "int", (s) => s.depth],
  ["start_offset_ms", "float8", (s) => s.startOffsetMs],
  ["duration_ms", "float8", (s) => s.durationMs],
  ["end_time", "timestamptz", (s) => (s.endTime === null ? null : new Date(s.endTime))],
  ["aws_operation", "text", (s) => s.awsOperation],
  ["aws_resource", "text", (s) => s.awsResource],
  ["http_method", "text", (s) => s.httpMethod],
  ["http_url", "text", (s) => s.httpUrl],
  ["http_status", "int", (s) => s.httpStatus],
  ["sql", "text", (s) => s.sql],
  ["error", "bool", (s) => s.error],
  ["fault", "bool", (s) => s.fault],
  ["throttle", "bool", (s) => s.throttle],
  ["in_progress", "bool", (s) => s.inProgress],
  ["inferred", "bool", (s) => s.inferred],
  ["kind", "text", (s) => s.kind],
  ["external_parent_id", "text", (s) => s.externalParentId],
];
const KEY = ["trace_id", "span_id", "start_time"];
const UPDATED = ["resource_id", ...FIELDS.map(([c]) => c)];

// The last condition: X-Ray replaces an in-progress document by the completed one, never the reverse.
const UPSERT_SQL = (() => {
  const columns = [...KEY, "resource_id", ...FIELDS.map(([c]) => c)];
  const types = ["text", "text", "timestamptz", "int", ...FIELDS.map(([, t]) => t)];
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
  return `INSERT INTO spans (${columns.join(", ")})
     SELECT ${columns.map((c) => `u.${c}`).join(", ")} FROM unnest(${params}) AS u(${columns.join(", ")})
     ON CONFLICT (${KEY.join(", ")}) DO UPDATE SET ${UPDATED.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}
     WHERE (${UPDATED.map((c) => `spans.${c}`).join(", ")}) IS DISTINCT FROM (${UPDATED.map((c) => `EXCLUDED.${c}`).join(", ")})
       AND NOT (EXCLUDED.in_progress AND NOT spans.in_progress)`;
})();

/**
 * Writes spans keyed by (trace, span, start), `resourceIds[i]` being the resource of `spans[i]`.
 * A span stored before takes the values of this read: its document may have completed since, or
 * its parent segment arrived and moved its depth and offset. Writing the same trace again changes
 * nothing. Returns the rows inserted or changed.
 */
export async function upsertSpans(db: Db, spansAsRead: readonly SpanRow[], resourceIds: readonly (number | null)[]): Promise<number> {
  // Annotations, metadata and SQL text come from the traced code: no NUL or broken surrogate may reach jsonb.
  const spans = toStorable(spansAsRead);
  if (spans.length !== resourceIds.length) throw new RangeError("one resource id per span");
  // One statement cannot update a row twice: keep one version per key, a completed one first.
  const byKey = new Map<string, { span: SpanRow; resourceId: number | null }>();
  spans.forEach((span, i) => {
    const key = `${span.traceId}\u0000${span.spanId}\u0000${Math.trunc(span.startTime)}`;
    const prev = byKey.get(key);
    if (!prev || prev.span.inProgress || !span.inProgress) byKey.set(key, { span, resourceId: resourceIds[i] });
  });
  const rows = [...byKey.values()];
  if (!rows.length) return 0;
  const res = await db.query(UPSERT_SQL, [
    rows.map((r) => r.span.traceId),
    rows.map((r) => r.span.spanId),
    rows.map((r) => new Date(r.span.startTime)),
    rows.map((r) => r.resourceId),
    ...FIELDS.map(([, , value]) => rows.map((r) => value(r.span))),
  ]);
  return res.rowCount ?? 0;
}

/** Every Lambda function Osprey has seen in an account and region, deleted ones too (their traces still arrive). */
export async function knownFunctions(db: Db, accountId: number, region: string): Promise<KnownFunction[]> {
  const { rows } = await db.query<KnownFunction>(
    `SELECT id, name, arn FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'lambda'
      ORDER BY deleted_at IS NOT NULL, id`,
    [accountId, region],
  );
  return rows;
}
