"use client";

import { ChartCard } from "../charts/chart-card";
import { COLORS } from "../charts/colors";
import { TimeChart, type ChartRow } from "../charts/time-chart";
import { useSearchHistogram } from "./use-log-search";

/** Matching lines over time, one bar per bucket, every empty bucket drawn as zero. */
export function SearchHistogram({ query }: { query: string | null }) {
  const h = useSearchHistogram(query);
  const d = h.data;
  const rows: ChartRow[] = [];
  if (d) {
    const counts = new Map(d.buckets.map((b) => [b.t, b.count]));
    for (let t = Math.floor(d.from / d.bucketMs) * d.bucketMs; t < d.to; t += d.bucketMs) rows.push({ t, count: counts.get(t) ?? 0 });
  }
  const total = d?.buckets.reduce((s, b) => s + b.count, 0) ?? 0;
  const state = h.isPending ? "loading" : h.isError ? "error" : total === 0 ? "empty" : "ready";
  return (
    <ChartCard
      title="Matches over time"
      testId="search-histogram"
      state={state === "error" ? "ready" : state}
      subtitle={d && (d.exact ? `${total.toLocaleString("en")} matching lines` : `about ${total.toLocaleString("en")} matching lines (estimated from a sample)`)}
    >
      {h.isError ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Could not count the matches: {h.error.message}</p>
      ) : (
        d && <TimeChart data={rows} series={[{ key: "count", label: "Matching lines", color: COLORS.blue, type: "bar" }]} unit="count" from={d.from} to={d.to} periodMs={d.bucketMs} height={120} ariaLabel="Matching log lines over time" />
      )}
    </ChartCard>
  );
}
