"use client";

import { formatCount, formatMs, formatPercent, formatUsd } from "../format";
import { useResourceTotalsQuery } from "../hooks/use-api-queries";
import { StatTile } from "../overview/stat-tile";
import { ErrorState } from "../ui/states";

const TILE_GRID = "grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6";

/** The function page's cards: the overview's totals for this function, and peak concurrency against its limit. */
export function ResourceTotals({ resourceId, rangeQuery }: { resourceId: number; rangeQuery: string }) {
  const q = useResourceTotalsQuery(resourceId, rangeQuery);
  if (q.isPending)
    return (
      <div className={TILE_GRID}>
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton h-24" />
        ))}
      </div>
    );
  if (q.isError) return <ErrorState error={q.error} />;
  const { totals: t, concurrency: c } = q.data;
  return (
    <div className={TILE_GRID} data-testid="function-tiles">
      <StatTile testId="tile-invocations" label="Invocations" value={formatCount(t.invocations.value)} change={t.invocations} direction="neutral" />
      <StatTile testId="tile-failed" label="Failed" value={`${formatCount(t.errors.value)} · ${formatPercent(t.errorRate.value)}`} change={t.errorRate} direction="up-bad" />
      <StatTile testId="tile-cold-starts" label="Cold starts" value={formatCount(t.coldStarts.value)} change={t.coldStarts} direction="up-bad" />
      <StatTile testId="tile-p95" label="p95 duration" value={formatMs(t.p95.value)} change={t.p95} direction="up-bad" />
      <StatTile testId="tile-cost" label="Cost" value={formatUsd(t.costUsd.value)} change={t.costUsd} direction="up-bad" />
      <div className="card flex flex-col gap-1 p-4" data-testid="tile-concurrency">
        <p className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Peak concurrency</p>
        <p className="num text-2xl font-semibold tracking-tight" data-testid="tile-concurrency-value">
          {c.peak === null ? "–" : formatCount(c.peak)}
          {c.limit !== null && <span className="text-base font-medium text-zinc-600 dark:text-zinc-400"> / {formatCount(c.limit)}</span>}
        </p>
        <p className="num text-xs text-zinc-600 dark:text-zinc-400">
          {c.peak === null
            ? "no ConcurrentExecutions metric collected in the range"
            : c.limit === null
              ? "no reserved concurrency"
              : c.pct === null
                ? "reserved concurrency 0: switched off"
                : `${formatPercent(c.pct / 100)} of reserved concurrency`}
        </p>
      </div>
    </div>
  );
}
