import type pg from "pg";
import { change, type TimeRange } from "@/lib/api/schemas/common";
import type { Overview, OverviewQuery, RangeTotals, TopItem } from "@/lib/api/schemas/overview";
import type { FleetTotals } from "./fleet";
import { getFleetTotals, getResourceStatsWithBins } from "./range-stats";
import { addInto, mergeMaxDuration } from "./hist";
import { getIngestHealth } from "./ingest-health";
import { previousPeriodPartial } from "./data-start";
import type { ResourceStats } from "./resource-stats";
import { coverRange, GRAIN_MS, type Grain } from "./rollup-range";
import { emptyHistogram } from "@/lib/analysis/histogram";
import { coldStartRate, durationPercentile, failedRate } from "@/lib/analysis/metrics";

function top(stats: ResourceStats[], n: number, value: (s: ResourceStats) => number | null): TopItem[] {
  return stats
    .map((s) => ({ s, v: value(s) }))
    .filter((x): x is { s: ResourceStats; v: number } => x.v !== null && x.v > 0)
    .sort((a, b) => b.v - a.v || a.s.id - b.s.id)
    .slice(0, n)
    .map(({ s, v }) => ({ id: s.id, name: s.name, region: s.region, account: s.accountName, value: v }));
}

/** The KPI figures of a range's resources against the previous period's totals (the overview's cards, the function page's). */
export function rangeTotals(stats: ResourceStats[], prev: FleetTotals, previousPartial: boolean): RangeTotals {
  const hist = emptyHistogram();
  let invocations = 0;
  let errors = 0;
  let coldStarts = 0;
  let costUsd = 0;
  let maxDurationMs: number | null = null;
  for (const s of stats) {
    maxDurationMs = mergeMaxDuration({ invocations, maxDurationMs }, s);
    invocations += s.invocations;
    errors += s.errors;
    coldStarts += s.coldStarts;
    costUsd += s.costUsd;
    addInto(hist, s.hist);
  }
  return {
    invocations: change(invocations, prev.invocations, previousPartial),
    errors: change(errors, prev.errors, previousPartial),
    errorRate: change(failedRate(errors, invocations), failedRate(prev.errors, prev.invocations), previousPartial),
    coldStarts: change(coldStarts, prev.coldStarts, previousPartial),
    coldStartRate: change(coldStartRate({ invocations, coldStarts }), coldStartRate(prev), previousPartial),
    p95: change(durationPercentile(hist, 95, maxDurationMs), durationPercentile(prev.hist, 95, prev.maxDurationMs), previousPartial),
    costUsd: change(costUsd, prev.costUsd, previousPartial),
  };
}

/** The account-level page: totals against the previous period, a fleet series, the most concerning functions, ingest health. */
export async function getOverview(db: pg.Pool, q: OverviewQuery, range: TimeRange): Promise<{ data: Overview; grain: Grain }> {
  const filter = { account: q.account, region: q.region, includeDeleted: true };
  const [current, prev, ingest] = await Promise.all([
    getResourceStatsWithBins(db, filter, range.from, range.to),
    getFleetTotals(db, filter, range.prevFrom, range.prevTo),
    getIngestHealth(db, filter),
  ]);
  const stats = current.resources;
  const partial = await previousPeriodPartial(db, stats.map((s) => s.id), range.prevFrom);
  const coarsest = Math.max(...coverRange(range.from, range.to).map((s) => GRAIN_MS[s.grain]));
  const grain = (Object.keys(GRAIN_MS) as Grain[]).find((g) => GRAIN_MS[g] === coarsest)!;
  const p95 = (s: ResourceStats) => (s.invocations > 0 ? durationPercentile(s.hist, 95, s.maxDurationMs) : null);
  return {
    grain,
    data: {
      totals: { ...rangeTotals(stats, prev, partial), functions: stats.filter((s) => s.invocations > 0).length },
      series: current.bins.map((p) => ({
        t: p.t,
        invocations: p.invocations,
        errors: p.errors,
        errorRate: failedRate(p.errors, p.invocations),
        coldStarts: p.coldStarts,
        coldStartRate: coldStartRate(p),
        p95: p.invocations > 0 ? durationPercentile(p.hist, 95, p.maxDurationMs) : null,
        costUsd: p.costUsd,
      })),
      top: {
        errors: top(stats, q.top, (s) => s.errors),
        slowest: top(stats, q.top, p95),
        cost: top(stats, q.top, (s) => s.costUsd),
        coldStarts: top(stats, q.top, (s) => s.coldStarts),
      },
      ingest,
    },
  };
}
