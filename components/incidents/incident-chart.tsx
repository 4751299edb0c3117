"use client";

import { conditionSeries, trailingWindowSums } from "@/lib/analysis/alerts/incident-chart";
import { ChartCard } from "../charts/chart-card";
import { COLORS } from "../charts/colors";
import { mergeSeries } from "../charts/series-utils";
import { TimeChart, type ChartRow, type Marker, type SeriesSpec } from "../charts/time-chart";
import { useSeriesQuery } from "../hooks/use-api-queries";
import { formatConditionValue } from "./incident-text";
import type { Incident } from "./use-incidents";

const PERIOD_LABEL: Record<number, string> = { 60: "minute", 300: "5 minutes", 3600: "hour", 86400: "day" };

/**
 * The condition's metric around the incident, from the function page's series endpoint, with the
 * threshold as a dashed line. A count's threshold applies to the policy window, so the chart adds the
 * trailing window sum (fetched from one window earlier, so its first point is a whole window).
 */
export function IncidentChart({ incident, window }: { incident: Incident; window: { from: string; to: string } }) {
  const spec = conditionSeries(incident.policy.conditionKind);
  const resourceId = incident.resource?.id ?? 0;
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const windowMs = incident.windowMinutes * 60_000;
  const fetchFrom = spec?.windowSum ? from - windowMs : from;
  const query = `from=${new Date(fetchFrom).toISOString()}&to=${new Date(to).toISOString()}&metric=${spec?.metric ?? ""}${spec?.period ? `&period=${spec.period}` : ""}`;
  const series = useSeriesQuery(resourceId, query, Boolean(spec && incident.resource));
  const title = spec ? spec.label : "Condition";

  if (!spec || !incident.resource)
    return (
      <ChartCard title={title} state="ready" testId="incident-chart">
        <p className="flex h-[120px] items-center justify-center text-sm text-zinc-600 dark:text-zinc-400">
          {incident.resource ? "This condition is not drawn from the invocation rollups; its figure is above." : "This incident is not about one resource."}
        </p>
      </ChartCard>
    );
  if (series.isPending) return <ChartCard title={title} state="loading" testId="incident-chart">{null}</ChartCard>;
  if (series.isError)
    return (
      <ChartCard title={title} state="ready" testId="incident-chart">
        <p role="alert" className="flex h-[180px] items-center justify-center text-sm text-red-700 dark:text-red-300">
          Could not load: {series.error.message}
        </p>
      </ChartCard>
    );

  const periodMs = series.data.data.period * 1000;
  let rows: ChartRow[] = mergeSeries([{ series: series.data.data.series, keys: ["value"] }]);
  if (spec.windowSum) {
    const sums = trailingWindowSums(rows, (r) => r.value, Math.max(windowMs, periodMs));
    rows = rows.map((r, i) => ({ ...r, windowSum: sums[i] }));
  }
  rows = rows.filter((r) => r.t >= from - periodMs);
  // The threshold spans the whole chart, data or not.
  const edges = [{ t: from }, { t: to }].filter((e) => !rows.some((r) => r.t === e.t)) as ChartRow[];
  rows = [...rows, ...edges].sort((a, b) => a.t - b.t).map((r) => ({ ...r, threshold: incident.threshold }));

  const thresholdLabel = `Threshold ${formatConditionValue(incident.policy.conditionKind, incident.threshold)}`;
  const specs: SeriesSpec[] = spec.windowSum
    ? [
        { key: "value", label: `Per ${PERIOD_LABEL[periodMs / 1000] ?? "point"}`, color: COLORS.red, type: "bar" },
        { key: "windowSum", label: `In the trailing ${incident.windowMinutes} min`, color: COLORS.violet },
        { key: "threshold", label: thresholdLabel, color: COLORS.amber, dashed: true },
      ]
    : [
        { key: "value", label: spec.label, color: COLORS.blue },
        { key: "threshold", label: thresholdLabel, color: COLORS.amber, dashed: true },
      ];
  const markers: Marker[] = [{ t: Date.parse(incident.openedAt), label: "opened" }];
  if (incident.resolvedAt) markers.push({ t: Date.parse(incident.resolvedAt), label: "resolved" });
  return (
    <ChartCard title={title} subtitle={spec.windowSum ? `the threshold applies to ${incident.windowMinutes} min` : undefined} state="ready" testId="incident-chart">
      <TimeChart data={rows} series={specs} unit={spec.unit} markers={markers} from={from} to={to} periodMs={periodMs} height={220} ariaLabel={`${title} around the incident, against its threshold`} />
    </ChartCard>
  );
}
