import type pg from "pg";

/** Sums of one metric per resource over [from, to). */
export async function metricTotals(db: Pick<pg.Pool, "query">, ids: number[], metric: string, stat: string, agg: "sum" | "max", from: Date, to: Date): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ resource_id: number; v: number }>(
    `SELECT resource_id, ${agg}(value)::float8 AS v FROM metric_points
      WHERE resource_id = ANY($1::int[]) AND metric = $2 AND stat = $3 AND ts >= $4 AND ts < $5 GROUP BY resource_id`,
    [ids, metric, stat, from, to],
  );
  return new Map(rows.map((r) => [r.resource_id, r.v]));
}
