import type pg from "pg";
import { bucketValue, type Histogram } from "@/lib/analysis/histogram";
import { coldStartRate, durationPercentile, errorRate, failedInvocations } from "@/lib/analysis/metrics";
import { ValidationError } from "@/lib/api/errors";
import type { Point, TimeRange } from "@/lib/api/schemas/common";
import { METRIC_ALIASES, ROLLUP_METRICS, type RollupMetric, type Series, type SeriesData, type SeriesQuery } from "@/lib/api/schemas/series";
import { HIST_AGG_SQL, mergeSparseStrings } from "./hist";
import { ROLLUP_COLS } from "./resource-stats";
import { coverRange, GRAIN_MS, rollupRowsSql, seriesGrain, type Grain, type Segment } from "./rollup-range";

const MAX_POINTS = 2000;
const PERIOD_GRAIN: Record<number, Grain> = { 60: "minute", 300: "minute", 3600: "hour", 86400: "day" };

interface Bucket {
  invocations: number;
  successes: number;
  errors: number;
  timeouts: number;
  out_of_memory: number;
  crashes: number;
  cold_starts: number;
  retries: number;
  duration_sum_ms: number;
  billed_ms: number;
  gb_seconds: number;
  cost_usd: number;
  max_memory_used_mb: number | null;
  memory_size_mb: number | null;
  max_duration_ms?: number | null;
  hist?: Histogram;
}

const UNITS: Record<RollupMetric, string> = {
  invocations: "count",
  successes: "count",
  errors: "count",
  error_count: "count",
  timeouts: "count",
  out_of_memory: "count",
  crashes: "count",
  error_rate: "ratio",
  cold_starts: "count",
  cold_start_rate: "ratio",
  retries: "count",
  duration: "ms",
  memory: "MB",
  memory_size: "MB",
  cost: "USD",
  billed_ms: "ms",
  gb_seconds: "GB-s",
  concurrency_avg: "count",
};

function maxOfHistogram(h: Histogram): number | null {
  for (let i = h.length - 1; i >= 0; i--) if (h[i] > 0) return bucketValue(i);
  return null;
}

function rollupValue(metric: RollupMetric, stat: string, b: Bucket | undefined, spanMs: number): number | null {
  const counts = (v: number | undefined) => v ?? 0;
  const outcomes = b && { invocations: b.invocations, errors: b.errors, timeouts: b.timeouts, outOfMemory: b.out_of_memory, crashes: b.crashes };
  const failures = outcomes ? failedInvocations(outcomes) : 0;
  switch (metric) {
    case "errors":
      return failures;
    case "error_count":
      return counts(b?.errors);
    case "error_rate":
      return outcomes ? errorRate(outcomes) : null;
    case "cold_start_rate":
      return b ? coldStartRate({ invocations: b.invocations, coldStarts: b.cold_starts }) : null;
    case "duration": {
      if (!b || b.invocations === 0 || !b.hist) return null;
      if (stat === "avg") return b.duration_sum_ms / b.invocations;
      if (stat === "max") return b.max_duration_ms ?? maxOfHistogram(b.hist);
      return durationPercentile(b.hist, Number(stat.slice(1)), b.max_duration_ms ?? null);
    }
    case "memory":
      return b?.max_memory_used_mb ?? null;
    case "memory_size":
      return b?.memory_size_mb ?? null;
    case "cost":
      return counts(b?.cost_usd);
    case "concurrency_avg":
      return b ? b.duration_sum_ms / spanMs : 0;
    default:
      return counts(b?.[metric]);
  }
}

const CW_AGG: Record<string, string> = { Sum: "sum", SampleCount: "sum", Maximum: "max", Minimum: "min" };

async function cloudwatchSeries(db: pg.Pool, resourceId: number, metric: string, stat: string, from: number, to: number, period: number): Promise<Map<number, number>> {
  // Points may be stored at several periods (1 minute recent, 5 minutes for a backfill): each stretch
  // of time is read at the coarsest stored period that still fits the asked one, and a finer point
  // counts only where no such coarser point covers it. With none that fits, the finest stored is read.
  const { rows: periods } = await db.query<{ period_s: number }>(
    `SELECT DISTINCT period_s FROM metric_points WHERE resource_id = $1 AND metric = $2 AND stat = $3 AND ts >= $4 AND ts < $5 ORDER BY period_s`,
    [resourceId, metric, stat, new Date(from), new Date(to)],
  );
  if (!periods.length) return new Map();
  const fitting = periods.filter((p) => p.period_s <= period);
  const maxPeriod = (fitting.at(-1) ?? periods[0]).period_s;
  const agg = CW_AGG[stat] ?? "avg";
  // One period only (the usual case): nothing to mask.
  const covered = fitting.length > 1
    ? `AND NOT EXISTS (SELECT 1 FROM metric_points c
                        WHERE c.resource_id = m.resource_id AND c.metric = m.metric AND c.stat = m.stat
                          AND c.period_s > m.period_s AND c.period_s <= $7
                          AND c.ts <= m.ts AND c.ts > m.ts - make_interval(secs => c.period_s))`
    : "AND m.period_s = $7";
  const { rows } = await db.query<{ t: number; v: number }>(
    `SELECT (floor(extract(epoch FROM m.ts) / $6) * $6 * 1000)::float8 AS t, ${agg}(m.value)::float8 AS v
       FROM metric_points m
      WHERE m.resource_id = $1 AND m.metric = $2 AND m.stat = $3 AND m.ts >= $4 AND m.ts < $5 AND m.period_s <= $7 ${covered}
      GROUP BY 1`,
    [resourceId, metric, stat, new Date(from), new Date(to), period, maxPeriod],
  );
  return new Map(rows.map((r) => [r.t, r.v]));
}

/**
 * The rollups of [from, to) summed per period. Whole periods inside the range read the period's own
 * grain; the partial periods at the edges read the finer rows inside the range only (coverRange), so
 * the points add up to the range's totals.
 */
async function rollupBuckets(db: pg.Pool, resourceId: number, grain: Grain, from: number, to: number, period: number, withHist: boolean): Promise<Map<number, Bucket>> {
  const periodMs = period * 1000;
  const inner = { from: Math.ceil(from / periodMs) * periodMs, to: Math.floor(to / periodMs) * periodMs };
  const segments: Segment[] =
    inner.from < inner.to
      ? [...(from < inner.from ? coverRange(from, inner.from) : []), { grain, ...inner }, ...(inner.to < to ? coverRange(inner.to, to) : [])]
      : coverRange(from, to);
  const params: unknown[] = [resourceId, period];
  const rows = rollupRowsSql(segments, ROLLUP_COLS, "resource_id = $1", params);
  const { rows: out } = await db.query(
    `SELECT (floor(extract(epoch FROM bucket_start) / $2) * $2 * 1000)::float8 AS t,
            sum(invocations)::float8 AS invocations, sum(successes)::float8 AS successes, sum(errors)::float8 AS errors, sum(timeouts)::float8 AS timeouts,
            sum(out_of_memory)::float8 AS out_of_memory, sum(crashes)::float8 AS crashes, sum(cold_starts)::float8 AS cold_starts,
            sum(retries)::float8 AS retries, sum(duration_sum_ms)::float8 AS duration_sum_ms, sum(billed_ms)::float8 AS billed_ms,
            sum(gb_seconds)::float8 AS gb_seconds, sum(cost_usd)::float8 AS cost_usd, max(max_memory_used_mb) AS max_memory_used_mb,
            max(memory_size_mb) AS memory_size_mb${withHist ? `, ${HIST_AGG_SQL}` : ""}
       FROM (${rows}) x GROUP BY 1`,
    params,
  );
  return new Map(out.map((r) => [r.t as number, { ...r, hist: withHist ? mergeSparseStrings(r.hb, r.hc) : undefined } as Bucket]));
}

/** Time series of one resource: rollup-derived metrics and CloudWatch metrics, plus configuration changes in the range. */
export async function getResourceSeries(db: pg.Pool, resourceId: number, q: SeriesQuery, range: TimeRange): Promise<SeriesData> {
  const period = q.period ?? GRAIN_MS[seriesGrain(range.from, range.to)] / 1000;
  const periodMs = period * 1000;
  const from = Math.floor(range.from / periodMs) * periodMs;
  const to = Math.ceil(range.to / periodMs) * periodMs;
  if ((to - from) / periodMs > MAX_POINTS) throw new ValidationError(`More than ${MAX_POINTS} points: choose a longer period`, [{ path: "period", message: "too many points" }]);
  const wanted = q.metric.map((m) => {
    const [name, stat] = m.split(":");
    return { name, stat: stat ?? q.stat };
  });
  const isRollup = (name: string): name is RollupMetric => (ROLLUP_METRICS as readonly string[]).includes(name);
  const rollupWanted = wanted.filter((w) => isRollup(w.name));
  const needsHist = rollupWanted.some((w) => w.name === "duration");
  const [buckets, changes, ...cw] = await Promise.all([
    rollupWanted.length ? rollupBuckets(db, resourceId, PERIOD_GRAIN[period], range.from, range.to, period, needsHist) : Promise.resolve(new Map<number, Bucket>()),
    db.query<{ t: number; changes: SeriesData["changes"][number]["changes"] }>(
      `SELECT (extract(epoch FROM seen_at) * 1000)::float8 AS t, changes FROM resource_config_versions
        WHERE resource_id = $1 AND seen_at >= $2 AND seen_at < $3 AND jsonb_array_length(changes) > 0 ORDER BY seen_at`,
      [resourceId, new Date(range.from), new Date(range.to)],
    ),
    ...wanted
      .filter((w) => !isRollup(w.name))
      .map((w) => {
        const alias = METRIC_ALIASES[w.name];
        return cloudwatchSeries(db, resourceId, alias?.metric ?? w.name, w.stat ?? alias?.stat ?? "Sum", from, to, period);
      }),
  ]);
  let cwIndex = 0;
  const series: Series[] = wanted.map(({ name, stat: asked }) => {
    const points: Point[] = [];
    if (isRollup(name)) {
      const stat = name === "duration" ? (asked && /^(p\d|avg|max)/.test(asked) ? asked : "p50") : null;
      // The edge periods hold only the part inside the range: an average over time is over that part.
      const inside = (t: number) => Math.min(t + periodMs, range.to) - Math.max(t, range.from);
      for (let t = from; t < to; t += periodMs) points.push({ t, v: rollupValue(name, stat ?? "", buckets.get(t), inside(t)) });
      return { metric: name, stat, source: "rollup", unit: UNITS[name], points };
    }
    const values = cw[cwIndex++];
    const alias = METRIC_ALIASES[name];
    for (let t = from; t < to; t += periodMs) points.push({ t, v: values.get(t) ?? null });
    return { metric: name, stat: asked ?? alias?.stat ?? "Sum", source: "cloudwatch", unit: "none", points };
  });
  return { period, series, changes: changes.rows };
}
