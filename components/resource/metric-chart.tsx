"use client";

import { keepPreviousData, useQueries } from "@tanstack/react-query";
import type { SeriesData } from "@/lib/api/schemas/series";
import { ChartCard } from "../charts/chart-card";
import { mergeSeries, toMarkers } from "../charts/series-utils";
import { TimeChart, type ChartRow, type SeriesSpec } from "../charts/time-chart";
import type { Unit } from "../format";
import { fetchJson } from "../hooks/fetch-json";

export interface SeriesRequest {
  metrics: string[];
  stat?: string;
  /** Row keys for the metrics, when two requests ask for the same metric with other stats. */
  keys?: string[];
}

export interface ChartSpec {
  title: string;
  unit: Unit;
  rightUnit?: Unit;
  requests: SeriesRequest[];
  series: SeriesSpec[];
  period?: number;
  subtitle?: string;
  derive?: (rows: ChartRow[]) => ChartRow[];
  testId?: string;
}

type SeriesAnswer = { data: SeriesData; meta: { from: number; to: number } };

/**
 * The metrics of every chart of a page that can share one /series request (no period or statistic of
 * their own): one request instead of one per chart, as the browser allows only six at once per host.
 */
export function sharedSeriesRequest(specs: ChartSpec[]): SeriesRequest | undefined {
  const metrics = [...new Set(specs.filter(canShare).flatMap((s) => s.requests.flatMap((r) => r.metrics)))];
  return metrics.length ? { metrics } : undefined;
}

function canShare(spec: ChartSpec): boolean {
  return !spec.period && spec.requests.every((r) => !r.stat);
}

/** The chart's own requests, or the page's shared one with this chart's keys for its metrics. */
function requestsOf(spec: ChartSpec, shared: SeriesRequest | undefined): SeriesRequest[] {
  if (!shared || !canShare(spec)) return spec.requests;
  const keyOf = new Map(spec.requests.flatMap((r) => r.metrics.map((m, i) => [m, (r.keys ?? r.metrics)[i]] as const)));
  return [{ metrics: shared.metrics, keys: shared.metrics.map((m) => keyOf.get(m) ?? `other:${m}`) }];
}

/** One chart of a resource, fed by one or more /series requests and marked with its configuration changes. */
export function MetricChart({ resourceId, rangeQuery, spec, shared }: { resourceId: number; rangeQuery: string; spec: ChartSpec; shared?: SeriesRequest }) {
  const requests = requestsOf(spec, shared);
  const results = useQueries({
    queries: requests.map((r) => {
      const q = `${rangeQuery}&metric=${r.metrics.join(",")}${r.stat ? `&stat=${r.stat}` : ""}${spec.period ? `&period=${spec.period}` : ""}`;
      return {
        queryKey: ["resources", resourceId, "series", q],
        queryFn: () => fetchJson<SeriesAnswer>(`/api/v1/resources/${resourceId}/series?${q}`),
        placeholderData: keepPreviousData,
      };
    }),
  });
  const error = results.find((r) => r.isError)?.error;
  if (results.some((r) => r.isPending)) return <ChartCard title={spec.title} state="loading" testId={spec.testId}>{null}</ChartCard>;
  if (error)
    return (
      <ChartCard title={spec.title} state="ready" testId={spec.testId}>
        <p role="alert" className="flex h-[180px] items-center justify-center text-sm text-red-700 dark:text-red-300">
          Could not load: {error.message}
        </p>
      </ChartCard>
    );
  const answers = results.map((r) => r.data as SeriesAnswer);
  let rows = mergeSeries(answers.map((a, i) => ({ series: a.data.series, keys: requests[i].keys ?? requests[i].metrics })));
  if (spec.derive) rows = spec.derive(rows);
  const keys = spec.series.map((s) => s.key);
  const hasData = rows.some((r) => keys.some((k) => (r[k] ?? 0) !== 0));
  const first = answers[0];
  return (
    <ChartCard title={spec.title} subtitle={spec.subtitle} state={hasData ? "ready" : "empty"} testId={spec.testId}>
      <TimeChart
        data={rows}
        series={spec.series}
        unit={spec.unit}
        rightUnit={spec.rightUnit}
        markers={toMarkers(first.data.changes)}
        from={first.meta.from}
        to={first.meta.to}
        periodMs={first.data.period * 1000}
        ariaLabel={`${spec.title} over time`}
      />
    </ChartCard>
  );
}
