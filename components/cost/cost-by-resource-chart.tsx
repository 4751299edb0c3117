"use client";

import { useMemo } from "react";
import type { CostData } from "@/lib/api/schemas/cost";
import { ChartCard } from "../charts/chart-card";
import { COLORS, PALETTE } from "../charts/colors";
import { TimeChart, type ChartRow, type SeriesSpec } from "../charts/time-chart";

const DAY = 86_400_000;

/** Daily cost stacked by function: the top N by cost, the rest summed as "other". */
export function CostByResourceChart({ data, topN, from, to }: { data: CostData; topN: number; from: number; to: number }) {
  const { rows, series } = useMemo(() => {
    const top = data.groups.slice(0, topN);
    const rest = data.groups.slice(topN);
    const otherDaily = data.days.map((_, i) => data.other.daily[i] + rest.reduce((s, g) => s + (g.daily[i] ?? 0), 0));
    const rows: ChartRow[] = data.days.map((t, i) => {
      const row: ChartRow = { t: t + DAY / 2 } as ChartRow;
      top.forEach((g, k) => (row[`g${k}`] = g.daily[i] ?? 0));
      row.other = otherDaily[i];
      return row;
    });
    const series: SeriesSpec[] = top.map((g, k) => ({ key: `g${k}`, label: g.label, color: PALETTE[k % PALETTE.length], type: "bar", stack: "cost" }));
    if (otherDaily.some((v) => v > 0)) series.push({ key: "other", label: `Other (${rest.length + data.other.groups})`, color: COLORS.zinc, type: "bar", stack: "cost" });
    return { rows, series };
  }, [data, topN]);
  const hasData = data.totals.daily.some((v) => v > 0);
  return (
    <ChartCard title="Cost by function per day" subtitle="USD, stacked" state={hasData ? "ready" : "empty"} testId="chart-cost-by-resource">
      <TimeChart data={rows} series={series} unit="usd" from={Math.floor(from / DAY) * DAY} to={Math.ceil(to / DAY) * DAY} periodMs={DAY} height={260} ariaLabel="Cost by function per day" />
    </ChartCard>
  );
}
