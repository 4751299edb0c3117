"use client";

import { Area, Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAxis, formatTick, formatTooltipTime, formatUnit, type Unit } from "../format";

export type ChartRow = { t: number } & Record<string, number | null>;

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  type?: "line" | "area" | "bar";
  stack?: string;
  dashed?: boolean;
  unit?: Unit;
  /** Draw on the right axis (e.g. a rate next to counts). */
  right?: boolean;
}

export interface Marker {
  t: number;
  label: string;
}

interface TooltipProps {
  active?: boolean;
  label?: number;
  payload?: { dataKey?: string | number; value?: number | null; color?: string }[];
}

function ChartTooltip({ active, label, payload, specs, unit, periodMs }: TooltipProps & { specs: SeriesSpec[]; unit: Unit; periodMs: number }) {
  if (!active || !payload?.length || label === undefined) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
      <p className="mb-1 font-medium text-zinc-700 dark:text-zinc-300">{formatTooltipTime(label, periodMs)}</p>
      {specs.map((s) => {
        const p = payload.find((x) => x.dataKey === s.key);
        if (!p) return null;
        return (
          <p key={s.key} className="flex items-center gap-2">
            <span aria-hidden className="inline-block h-2 w-2 rounded-full" style={{ background: s.color }} />
            <span className="text-zinc-600 dark:text-zinc-400">{s.label}</span>
            <span className="num ml-auto pl-3 font-medium">{formatUnit(p.value ?? null, s.unit ?? unit)}</span>
          </p>
        );
      })}
    </div>
  );
}

/** One time chart: lines, areas or bars over a shared time axis, with optional markers (configuration changes). */
export function TimeChart({
  data,
  series,
  unit,
  rightUnit,
  markers = [],
  from,
  to,
  periodMs,
  height = 180,
  ariaLabel,
}: {
  data: ChartRow[];
  series: SeriesSpec[];
  unit: Unit;
  rightUnit?: Unit;
  markers?: Marker[];
  from: number;
  to: number;
  periodMs: number;
  height?: number;
  ariaLabel: string;
}) {
  const span = to - from;
  const hasRight = series.some((s) => s.right);
  return (
    <div className="text-zinc-500 dark:text-zinc-400" role="img" aria-label={ariaLabel}>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 12, right: hasRight ? 0 : 8, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            tickFormatter={(t: number) => formatTick(t, span)}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            minTickGap={40}
            allowDataOverflow
          />
          <YAxis
            yAxisId="left"
            tickFormatter={(v: number) => formatAxis(v, unit)}
            tick={{ fill: "currentColor", fontSize: 11 }}
            width={48}
            axisLine={false}
            tickLine={false}
            allowDecimals={unit !== "count"}
          />
          {hasRight && (
            <YAxis
              yAxisId="right"
              orientation="right"
              tickFormatter={(v: number) => formatAxis(v, rightUnit ?? unit)}
              tick={{ fill: "currentColor", fontSize: 11 }}
              width={44}
              axisLine={false}
              tickLine={false}
            />
          )}
          <Tooltip content={<ChartTooltip specs={series} unit={unit} periodMs={periodMs} />} cursor={{ stroke: "currentColor", strokeOpacity: 0.3 }} isAnimationActive={false} />
          {series.map((s) => {
            const common = { dataKey: s.key, name: s.label, yAxisId: s.right ? "right" : "left", isAnimationActive: false } as const;
            if (s.type === "bar") return <Bar key={s.key} {...common} fill={s.color} stackId={s.stack} maxBarSize={24} />;
            if (s.type === "area")
              return <Area key={s.key} {...common} type="monotone" stroke={s.color} fill={s.color} fillOpacity={0.18} strokeWidth={1.5} stackId={s.stack} connectNulls dot={false} />;
            return <Line key={s.key} {...common} type="monotone" stroke={s.color} strokeWidth={1.75} strokeDasharray={s.dashed ? "5 4" : undefined} dot={false} connectNulls />;
          })}
          {markers.map((m, i) => (
            <ReferenceLine
              key={`${m.t}-${i}`}
              x={m.t}
              yAxisId="left"
              stroke="#8b5cf6"
              strokeDasharray="3 3"
              label={{ value: m.label, position: "insideTopLeft", fill: "#8b5cf6", fontSize: 11 }}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
