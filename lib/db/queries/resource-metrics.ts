import type pg from "pg";
import { KIND_COLUMNS, type KindColumn } from "@/lib/resource-columns";
import type { ResourceKind } from "@/lib/resource-kinds";

type Db = Pick<pg.Pool, "query">;

/** The kind's list columns (lib/resource-columns.ts) per resource over [from, to). */
export async function kindColumnValues(db: Db, kind: ResourceKind, resourceIds: number[], from: number, to: number): Promise<Map<number, Record<string, number | null>>> {
  const columns = KIND_COLUMNS[kind] ?? [];
  const out = new Map<number, Record<string, number | null>>();
  if (!resourceIds.length || !columns.length) return out;
  // A queue's DLQ column reads the DLQ's own points: the queue's redrive policy names it by ARN.
  const dlqOf = new Map<number, number>();
  if (columns.some((c) => c.ofDlq)) {
    const { rows: dlqs } = await db.query<{ id: number; dlq_id: number }>(
      `SELECT q.id, d.id AS dlq_id FROM resources q JOIN resources d ON d.arn = q.config->'redrivePolicy'->>'deadLetterTargetArn' WHERE q.id = ANY($1::int[])`,
      [resourceIds],
    );
    for (const d of dlqs) dlqOf.set(d.id, d.dlq_id);
  }
  const metricCols = columns.filter((c): c is KindColumn & { metric: NonNullable<KindColumn["metric"]> } => c.metric !== undefined);
  const ids = [...new Set([...resourceIds, ...dlqOf.values()])];
  const { rows: points } = await db.query<{ resource_id: number; metric: string; stat: string; s: number; m: number; a: number }>(
    `SELECT resource_id, metric, stat, sum(value)::float8 AS s, max(value)::float8 AS m, avg(value)::float8 AS a FROM metric_points
      WHERE resource_id = ANY($1::int[]) AND ts >= $2 AND ts < $3 AND (metric, stat) IN (SELECT * FROM unnest($4::text[], $5::text[]))
      GROUP BY 1, 2, 3`,
    [ids, new Date(from), new Date(to), metricCols.map((c) => c.metric.name), metricCols.map((c) => c.metric.stat)],
  );
  const byKey = new Map(points.map((p) => [`${p.resource_id}|${p.metric}|${p.stat}`, p]));
  for (const rid of resourceIds) {
    const values: Record<string, number | null> = {};
    for (const c of metricCols) {
      const id = c.ofDlq ? dlqOf.get(rid) : rid;
      const p = id === undefined ? undefined : byKey.get(`${id}|${c.metric.name}|${c.metric.stat}`);
      // No point in the range (or no DLQ): unknown, not zero.
      const v = p ? (c.metric.agg === "sum" ? p.s : c.metric.agg === "max" ? p.m : p.a) : null;
      values[c.key] = v !== null && c.seconds ? v * 1000 : v;
    }
    for (const c of columns) {
      if (!c.ratio) continue;
      const [n, d] = c.ratio.map((k) => values[k]);
      values[c.key] = n !== null && n !== undefined && d ? n / d : null;
    }
    out.set(rid, values);
  }
  return out;
}
