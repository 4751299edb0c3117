import type pg from "pg";
import { backtest, isRollupCondition, type BacktestSeries } from "@/lib/analysis/alerts/backtest";
import type { MinuteRollup } from "@/lib/analysis/alerts/evaluate";
import { inScope } from "@/lib/analysis/alerts/scope";
import type { BacktestInput, BacktestView } from "@/lib/api/schemas/alerts-backtest";
import { pool } from "../prisma";

type Db = Pick<pg.Pool, "query">;

const MIN = 60_000;
const DAY = 86_400_000;
// Resources read and replayed per query: 200 functions x 7 days is 2 million minute rows at most.
const CHUNK = 200;

export const BACKTEST_DAYS = 7;

interface SeriesRow {
  resource_id: number;
  m: string;
  inv: string;
  cost: string;
  err: string | null;
  tmo: string | null;
  oom: string | null;
  crash: string | null;
  cold: string | null;
  maxd: string | null;
  hist: string | null;
}

const numbers = (s: string) => s.split(",").map(Number);
/** "minute:value,…" of the rows whose value is not zero (or null). */
const sparse = (col: string, keep = `${col} <> 0`) => `string_agg(m::text || ':' || ${col}::text, ',') FILTER (WHERE ${keep})`;

/**
 * Minute rollups of some resources over [from, to], one row per resource with its columns as text
 * lists: the minutes, invocations and cost dense (every aggregate of a group sees its rows in the same
 * order, so they line up), the mostly-zero counters as "minute:value" pairs of their non-zero minutes.
 * A week of one function is 10,080 rows: node-pg's array parsing took seconds for 100 of them.
 */
async function readSeries(db: Db, ids: readonly number[], from: number, to: number, withHistogram: boolean): Promise<Map<number, MinuteRollup[]>> {
  const hist = withHistogram
    ? `, ${sparse("max_duration_ms::float8", "max_duration_ms IS NOT NULL")} AS maxd,
       string_agg(m::text || ' ' || array_to_string(hist_buckets, ';') || ' ' || array_to_string(hist_counts, ';'), ',') FILTER (WHERE cardinality(hist_buckets) > 0) AS hist`
    : "";
  const { rows } = await db.query<SeriesRow>(
    `SELECT resource_id, string_agg(m::text, ',') AS m, string_agg(invocations::text, ',') AS inv, string_agg(cost_usd::float8::text, ',') AS cost,
            ${sparse("errors")} AS err, ${sparse("timeouts")} AS tmo, ${sparse("out_of_memory")} AS oom, ${sparse("crashes")} AS crash, ${sparse("cold_starts")} AS cold${hist}
       FROM (SELECT *, (extract(epoch FROM bucket_start) / 60)::int AS m FROM rollup_minute
              WHERE resource_id = ANY($1::int[]) AND bucket_start >= $2 AND bucket_start <= $3) r
      GROUP BY resource_id`,
    [ids, new Date(from), new Date(to)],
  );
  const out = new Map<number, MinuteRollup[]>();
  for (const r of rows) {
    const minutes = numbers(r.m);
    const inv = numbers(r.inv);
    const cost = numbers(r.cost);
    const byMinute = new Map<number, MinuteRollup>();
    const list = minutes.map((m, i) => {
      const row: MinuteRollup = { resourceId: r.resource_id, minute: m * MIN, invocations: inv[i], errors: 0, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: cost[i], histBuckets: [], histCounts: [], maxDurationMs: null };
      byMinute.set(m, row);
      return row;
    });
    const fill = (text: string | null, set: (row: MinuteRollup, v: number) => void) => {
      if (!text) return;
      for (const pair of text.split(",")) {
        const at = pair.indexOf(":");
        set(byMinute.get(Number(pair.slice(0, at)))!, Number(pair.slice(at + 1)));
      }
    };
    fill(r.err, (row, v) => (row.errors = v));
    fill(r.tmo, (row, v) => (row.timeouts = v));
    fill(r.oom, (row, v) => (row.outOfMemory = v));
    fill(r.crash, (row, v) => (row.crashes = v));
    fill(r.cold, (row, v) => (row.coldStarts = v));
    fill(r.maxd, (row, v) => (row.maxDurationMs = v));
    for (const h of r.hist ? r.hist.split(",") : []) {
      const [m, b, c] = h.split(" ");
      const row = byMinute.get(Number(m))!;
      row.histBuckets = b.split(";").map(Number);
      row.histCounts = c.split(";").map(Number);
    }
    out.set(r.resource_id, list);
  }
  return out;
}

/**
 * "This policy would have opened N incidents in the last 7 days": the policy as given (not saved),
 * replayed over the minute rollups of every function in its scope. Minute rollups are kept for
 * OSPREY_RETENTION_DAYS; before that only hour rollups exist, and `coveredFrom` says where the
 * replay's data starts.
 */
export async function backtestPolicy(input: BacktestInput, opts: { now?: number; retentionDays: number; days?: number }, db: Db = pool()): Promise<BacktestView> {
  const now = opts.now ?? Date.now();
  const from = now - (opts.days ?? BACKTEST_DAYS) * DAY;
  const coveredFrom = Math.max(from, now - opts.retentionDays * DAY);
  const base = { from: new Date(from).toISOString(), to: new Date(now).toISOString(), coveredFrom: new Date(coveredFrom).toISOString() };
  const kind = input.conditionKind;
  if (!isRollupCondition(kind)) {
    return { ...base, incidents: 0, resources: [], evaluable: false, reason: `${kind} is not computed from the minute rollups, so it cannot be replayed; the backtest covers conditions on invocations, errors, durations and cost` };
  }

  const { rows: resources } = await db.query<{ id: number; account_id: number; region: string; name: string; tags: Record<string, unknown> | null }>(
    "SELECT id, account_id, region, name, tags FROM resources WHERE kind = 'lambda' AND deleted_at IS NULL ORDER BY id",
  );
  const scope = { scopeKind: input.scopeKind, accountId: input.accountId, region: input.region, tagKey: input.tagKey, tagValue: input.tagValue, resourceIds: input.resourceIds };
  const scoped = resources.filter((r) => inScope(scope, { id: r.id, accountId: r.account_id, region: r.region, tags: r.tags ?? {} }));

  const condition = { kind, threshold: input.threshold, criticalThreshold: input.criticalThreshold, windowMinutes: input.windowMinutes, minInvocations: input.minInvocations, severity: input.severity };
  const policy = { resolveAfterMinutes: input.resolveAfterMinutes, flapMinutes: input.flapMinutes };
  // The first evaluated minute's window reaches back windowMinutes - 1 minutes.
  const readFrom = Math.ceil(from / MIN) * MIN - (input.windowMinutes - 1) * MIN;
  const withHistogram = kind === "p95_duration" || kind === "p99_duration";
  let incidents = 0;
  const found: BacktestView["resources"] = [];
  for (let i = 0; i < scoped.length; i += CHUNK) {
    const chunk = scoped.slice(i, i + CHUNK);
    const rows = await readSeries(db, chunk.map((r) => r.id), readFrom, now, withHistogram);
    const series: BacktestSeries[] = chunk.map((r) => ({ resourceId: r.id, name: r.name, rows: rows.get(r.id) ?? [] }));
    const out = backtest(condition, policy, series, from, now);
    incidents += out.incidents;
    for (const r of out.resources) found.push({ ...r, firstOpenedAt: new Date(r.firstOpenedAt).toISOString(), lastOpenedAt: new Date(r.lastOpenedAt).toISOString() });
  }
  found.sort((a, b) => b.incidents - a.incidents || a.name.localeCompare(b.name) || a.resourceId - b.resourceId);
  return { ...base, incidents, resources: found, evaluable: true };
}
