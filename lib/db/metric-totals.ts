import type pg from "pg";

/** One metric per resource over [from, to): the sum or the highest of its points of one stat. */
export async function metricTotals(db: Pick<pg.Pool, "query">, ids: number[], metric: string, stat: string, agg: "sum" | "max", from: Date, to: Date): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ resource_id: number; v: number }>(
    `SELECT resource_id, ${agg}(value)::float8 AS v FROM metric_points
      WHERE resource_id = ANY($1::int[]) AND metric = $2 AND stat = $3 AND ts >= $4 AND ts < $5 GROUP BY resource_id`,
    [ids, metric, stat, from, to],
  );
  return new Map(rows.map((r) => [r.resource_id, r.v]));
}

/** Sums (stat Sum) of several metrics per resource over [from, to), in one query: per metric, resource id to sum. */
export async function metricSums<M extends string>(db: Pick<pg.Pool, "query">, ids: number[], metrics: readonly M[], from: Date, to: Date): Promise<Record<M, Map<number, number>>> {
  const out = Object.fromEntries(metrics.map((m) => [m, new Map<number, number>()])) as Record<M, Map<number, number>>;
  if (!ids.length) return out;
  const { rows } = await db.query<{ resource_id: number; metric: M; v: number }>(
    `SELECT resource_id, metric, sum(value)::float8 AS v FROM metric_points
      WHERE resource_id = ANY($1::int[]) AND metric = ANY($2::text[]) AND stat = 'Sum' AND ts >= $3 AND ts < $4 GROUP BY resource_id, metric`,
    [ids, metrics, from, to],
  );
  for (const r of rows) out[r.metric].set(r.resource_id, r.v);
  return out;
}

/**
 * One metric per resource and hour over [from, to), oldest first, hours without a point left out: the hour's
 * highest point (`max`) or their sum (`sum`). A null stat takes every stat stored.
 */
/** Each resource's oldest stored metric point, whatever the metric: where its metric data begins. */
export async function metricDataStart(db: Pick<pg.Pool, "query">, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ resource_id: number; first: Date }>(
    "SELECT resource_id, min(ts) AS first FROM metric_points WHERE resource_id = ANY($1::int[]) GROUP BY resource_id",
    [ids],
  );
  return new Map(rows.map((r) => [r.resource_id, r.first.getTime()]));
}

export async function hourlyMetric(
  db: Pick<pg.Pool, "query">,
  ids: number[],
  metric: string,
  stat: string | null,
  agg: "sum" | "max",
  from: Date,
  to: Date,
): Promise<Map<number, number[]>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ resource_id: number; v: number[] }>(
    `SELECT resource_id, array_agg(v ORDER BY h) AS v FROM (
       SELECT resource_id, date_trunc('hour', ts) AS h, ${agg}(value)::float8 AS v FROM metric_points
        WHERE resource_id = ANY($1::int[]) AND metric = $2 AND ($3::text IS NULL OR stat = $3) AND ts >= $4 AND ts < $5 GROUP BY 1, 2) x
     GROUP BY resource_id`,
    [ids, metric, stat, from, to],
  );
  return new Map(rows.map((r) => [r.resource_id, r.v]));
}
