"use client";

import { COLORS, PALETTE } from "../charts/colors";
import { formatMs } from "../format";
import { usePerformanceQuery } from "../hooks/use-api-queries";
import { ErrorState } from "../ui/states";

const LEVER_LABEL = { memory: "Memory is the lever", downstream: "The downstream is the lever", balanced: "Neither lever dominates" } as const;
const pct = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The performance advisor on the function page: one bar of handler time, own code against each downstream
 * service (from X-Ray subsegments), and the advice that says which lever moves the duration.
 */
export function PerformanceBreakdown({ resourceId, rangeQuery }: { resourceId: number; rangeQuery: string }) {
  const q = usePerformanceQuery(resourceId, rangeQuery);
  if (q.isPending) return <div className="skeleton h-28" />;
  if (q.isError) return <ErrorState error={q.error} />;
  const { breakdown: b, advice } = q.data;
  if (!b || !advice)
    return (
      <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="performance-breakdown-empty">
        No traced invocation in the range: turn on X-Ray active tracing to see where the handler time goes.
      </p>
    );
  const segments = [
    { label: "Own code", share: b.ownCodeShare, color: COLORS.zinc },
    ...b.downstream.map((d, i) => ({ label: d.label, share: d.share, color: PALETTE[i % PALETTE.length] })),
  ].filter((s) => s.share > 0);
  return (
    <div className="card flex flex-col gap-3 p-4" data-testid="performance-breakdown">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm font-semibold" data-testid="performance-lever">{LEVER_LABEL[advice.lever]}</p>
        <p className="num text-xs text-zinc-600 dark:text-zinc-400">
          {b.invocations} traced invocations · mean handler {formatMs(advice.avgDurationMs)}
        </p>
      </div>
      <div className="flex h-5 w-full overflow-hidden rounded" role="img" aria-label={segments.map((s) => `${s.label} ${pct(s.share)}`).join(", ")}>
        {segments.map((s) => (
          <div key={s.label} title={`${s.label}: ${pct(s.share)}`} style={{ width: `${s.share * 100}%`, backgroundColor: s.color }} />
        ))}
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs" data-testid="performance-segments">
        {segments.map((s) => (
          <li key={s.label} className="flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: s.color }} />
            <span>{s.label}</span>
            <span className="num text-zinc-600 dark:text-zinc-400">{pct(s.share)}</span>
          </li>
        ))}
      </ul>
      <p className="text-sm leading-6" data-testid="performance-advice">{advice.text}</p>
    </div>
  );
}
