import type pg from "pg";
import { pointKey, windowStart, type PointAgg } from "@/lib/analysis/alerts/conditions";

/**
 * The CloudWatch points of every policy window, for all resources of all metric policies, in ONE
 * query (never one per resource). Like the rollup sums, each point is aggregated once into the band of
 * the shortest window holding it, and a window is its band plus the shorter ones. When a metric is
 * stored at two periods (a backfill at 5 min next to minute detail), only the finest period in the
 * window counts, so no point is counted twice.
 *
 * Returns window minutes -> resource id -> "Metric:Stat" -> { sum, max, n }. A resource or metric with
 * no point in a window is absent: not evaluable, never a 0.
 */
export async function readMetricPointTotals(
  db: Pick<pg.Pool, "query">,
  ids: readonly number[],
  /** What each policy reads: its metrics and window. Each metric is read back to the longest window that needs it. */
  wants: readonly { windowMinutes: number; metrics: readonly { metric: string; stat: string }[] }[],
  now: number,
): Promise<Map<number, Map<number, Map<string, PointAgg>>>> {
  const ws = [...new Set(wants.map((w) => Math.trunc(w.windowMinutes)))].filter((w) => w >= 1).sort((a, b) => a - b);
  const out = new Map<number, Map<number, Map<string, PointAgg>>>(ws.map((w) => [w, new Map()]));
  const longest = new Map<string, { metric: string; stat: string; window: number }>();
  for (const w of wants) {
    for (const m of w.metrics) {
      const k = pointKey(m.metric, m.stat);
      longest.set(k, { ...m, window: Math.max(longest.get(k)?.window ?? 0, Math.trunc(w.windowMinutes)) });
    }
  }
  const pairs = [...longest.values()];
  if (!ws.length || !ids.length || !pairs.length) return out;
  // Integers (validated window lengths), inlined: the CASE is the band of each point.
  const band = `CASE ${ws.map((w) => `WHEN ts >= to_timestamp(${windowStart(now, w) / 1000}) THEN ${w}`).join(" ")} END`;
  const { rows } = await db.query<{ resource_id: number; metric: string; stat: string; period_s: number; band: number; sum: number; max: number; n: number }>(
    `SELECT resource_id, metric, stat, period_s, ${band} AS band, sum(value)::float8 AS sum, max(value)::float8 AS max, count(*)::int AS n
       FROM metric_points JOIN unnest($4::text[], $5::text[], $6::timestamptz[]) AS q(m, s, f) ON metric = q.m AND stat = q.s AND ts >= q.f
      WHERE resource_id = ANY($1::int[]) AND ts >= $2 AND ts <= $3
      GROUP BY 1, 2, 3, 4, 5`,
    [ids, new Date(windowStart(now, ws[ws.length - 1])), new Date(now), pairs.map((p) => p.metric), pairs.map((p) => p.stat), pairs.map((p) => new Date(windowStart(now, p.window)))],
  );
  // The finest period of each (window, resource, metric) first.
  const finest = new Map<string, number>();
  for (const r of rows) {
    for (const w of ws) {
      if (w < r.band) continue;
      const k = `${w}:${r.resource_id}:${pointKey(r.metric, r.stat)}`;
      finest.set(k, Math.min(finest.get(k) ?? Infinity, r.period_s));
    }
  }
  for (const r of rows) {
    const key = pointKey(r.metric, r.stat);
    for (const w of ws) {
      if (w < r.band || finest.get(`${w}:${r.resource_id}:${key}`) !== r.period_s) continue;
      const byResource = out.get(w)!;
      let points = byResource.get(r.resource_id);
      if (!points) byResource.set(r.resource_id, (points = new Map()));
      const a = points.get(key);
      if (!a) points.set(key, { sum: r.sum, max: r.max, n: r.n });
      else points.set(key, { sum: a.sum + r.sum, max: Math.max(a.max, r.max), n: a.n + r.n });
    }
  }
  return out;
}
