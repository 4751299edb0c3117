"use client";

import type { Overview } from "@/lib/api/schemas/overview";
import { ChartCard } from "../charts/chart-card";
import { COLORS } from "../charts/colors";
import { TimeChart, type ChartRow } from "../charts/time-chart";

const GRAIN_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function TrendCharts({ data, meta }: { data: Overview; meta: { from: number; to: number; grain: string } }) {
  const rows = data.series as unknown as ChartRow[];
  const common = { data: rows, from: meta.from, to: meta.to, periodMs: GRAIN_MS[meta.grain] ?? 3_600_000 };
  const state = rows.some((r) => (r.invocations ?? 0) > 0) ? "ready" : "empty";
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <ChartCard title="Invocations and failed invocations" state={state}>
        <TimeChart
          {...common}
          ariaLabel="Invocations and failed invocations over time"
          unit="count"
          series={[
            { key: "invocations", label: "Invocations", color: COLORS.blue, type: "area" },
            { key: "errors", label: "Failed", color: COLORS.red, type: "bar" },
          ]}
        />
      </ChartCard>
      <ChartCard title="Error and cold-start rate" state={state}>
        <TimeChart
          {...common}
          ariaLabel="Error rate and cold-start rate over time"
          unit="ratio"
          series={[
            { key: "errorRate", label: "Error rate", color: COLORS.red },
            { key: "coldStartRate", label: "Cold-start rate", color: COLORS.sky },
          ]}
        />
      </ChartCard>
      <ChartCard title="p95 duration" state={state}>
        <TimeChart {...common} ariaLabel="p95 duration over time" unit="ms" series={[{ key: "p95", label: "p95", color: COLORS.violet }]} />
      </ChartCard>
      <ChartCard title="Cost" state={state}>
        <TimeChart {...common} ariaLabel="Cost over time" unit="usd" series={[{ key: "costUsd", label: "Cost", color: COLORS.emerald, type: "bar" }]} />
      </ChartCard>
    </div>
  );
}
