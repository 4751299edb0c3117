"use client";

import Link from "next/link";
import { formatUsd } from "../format";
import { useInsightsQuery, type InsightView } from "../hooks/use-insights-query";
import { Section } from "../ui/section";

const SEVERITY_TONE: Record<InsightView["severity"], string> = {
  critical: "border-l-red-500",
  warning: "border-l-amber-500",
  info: "border-l-sky-500",
};
const SEVERITY_BADGE: Record<InsightView["severity"], string> = {
  critical: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
};
const ORDER = { critical: 0, warning: 1, info: 2 };

/** Insight cards for the overview (all) or one resource; "no insights" until the insights API answers. */
export function InsightSlot({ query, limit = 6 }: { query: string; limit?: number }) {
  const insights = useInsightsQuery(query);
  const list = (insights.data ?? []).slice().sort((a, b) => ORDER[a.severity] - ORDER[b.severity]).slice(0, limit);
  return (
    <Section title="Insights" testId="insights" action={<Link href="/insights" className="text-sm text-brand-600 hover:underline dark:text-brand-100">All insights</Link>}>
      {insights.isPending ? (
        <div className="grid gap-3 md:grid-cols-2">
          <div className="skeleton h-20" />
          <div className="skeleton h-20" />
        </div>
      ) : insights.isError ? (
        <p className="card p-4 text-sm text-red-700 dark:text-red-300" role="alert">
          Could not load insights: {insights.error.message}
        </p>
      ) : list.length === 0 ? (
        <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="no-insights">
          No insights{insights.data === null ? " yet: the insight rules have not reported" : ": nothing wrong or wasteful found"}.
        </p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {list.map((i) => (
            <li key={i.id} className={`card border-l-4 p-4 ${SEVERITY_TONE[i.severity]}`}>
              <div className="flex items-center gap-2 text-xs">
                <span className={`rounded px-1.5 py-0.5 font-medium ${SEVERITY_BADGE[i.severity]}`}>{i.severity}</span>
                {i.pillar && <span className="text-zinc-600 dark:text-zinc-400">{i.pillar.replaceAll("_", " ")}</span>}
                {i.monthlySavingUsd ? <span className="ml-auto font-medium text-emerald-700 dark:text-emerald-300">save {formatUsd(i.monthlySavingUsd)}/mo</span> : null}
              </div>
              <p className="mt-1.5 text-sm font-medium">
                {i.resourceId && i.resourceName ? (
                  <Link href={`/functions/${i.resourceId}`} className="hover:underline">
                    {i.resourceName}
                  </Link>
                ) : null}
                {i.resourceName ? ": " : ""}
                {i.evidenceUrl ? (
                  <Link href={i.evidenceUrl} className="hover:underline">
                    {i.title}
                  </Link>
                ) : (
                  i.title
                )}
              </p>
              {i.recommendation && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{i.recommendation}</p>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
