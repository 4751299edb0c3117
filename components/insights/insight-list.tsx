"use client";

import type { InsightView } from "@/lib/api/schemas/insights";
import { EmptyState, ErrorState } from "../ui/states";
import { InsightCard } from "./insight-card";
import { useInsightList } from "./use-insights";

export function InsightCards({ insights, showResource = true, label }: { insights: InsightView[]; showResource?: boolean; label?: string }) {
  return (
    <ul className="grid gap-3 lg:grid-cols-2" aria-label={label} data-testid="insight-list">
      {insights.map((i) => (
        <li key={i.id} className="flex">
          <div className="flex w-full flex-col [&>article]:flex-1">
            <InsightCard insight={i} showResource={showResource} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function InsightCardsSkeleton({ count = 4 }: { count?: number }) {
  return (
    <div className="grid gap-3 lg:grid-cols-2" aria-busy="true" aria-label="Loading insights">
      {Array.from({ length: count }, (_, n) => (
        <div key={n} className="card space-y-3 p-4">
          <div className="skeleton h-4 w-24" />
          <div className="skeleton h-4 w-3/4" />
          <div className="skeleton h-10" />
          <div className="skeleton h-4 w-1/2" />
        </div>
      ))}
    </div>
  );
}

/**
 * Findings for an insights API query, as cards: for the overview (`query=""`) or a resource page
 * (`query="resource=12"`, `showResource={false}`). Open and acknowledged ones unless the query asks for a state.
 */
export function InsightList({
  query,
  showResource = true,
  limit,
  emptyText = "No open insights: nothing wrong or wasteful found. Rules run after each log pass.",
}: {
  query: string;
  showResource?: boolean;
  limit?: number;
  emptyText?: string;
}) {
  const list = useInsightList(query);
  if (list.isPending) return <InsightCardsSkeleton count={2} />;
  if (list.isError) return <ErrorState error={list.error} />;
  const data = limit ? list.data.data.slice(0, limit) : list.data.data;
  if (data.length === 0) return <EmptyState title="No insights">{emptyText}</EmptyState>;
  return <InsightCards insights={data} showResource={showResource} />;
}
