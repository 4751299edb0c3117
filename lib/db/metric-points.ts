import type pg from "pg";
import type { MetricPointRow } from "../ingest/metrics";

/** Upserts points: CloudWatch revises the last minutes as late data arrives, so the newest value wins. */
export async function upsertMetricPoints(db: Pick<pg.PoolClient, "query">, points: MetricPointRow[]): Promise<number> {
  if (!points.length) return 0;
  const res = await db.query(
    `INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::float8[])
     ON CONFLICT (resource_id, metric, stat, period_s, ts) DO UPDATE SET value = EXCLUDED.value
       WHERE metric_points.value IS DISTINCT FROM EXCLUDED.value`,
    [
      points.map((p) => p.resourceId),
      points.map((p) => p.namespace),
      points.map((p) => p.metric),
      points.map((p) => p.stat),
      points.map((p) => p.periodS),
      points.map((p) => new Date(p.ts)),
      points.map((p) => p.value),
    ],
  );
  return res.rowCount ?? 0;
}
