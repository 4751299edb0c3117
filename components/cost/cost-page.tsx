"use client";

import { useQuery, keepPreviousData } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import type { CostData } from "@/lib/api/schemas/cost";
import { formatUsd } from "../format";
import { fetchJson } from "../hooks/fetch-json";
import { useTimeRange } from "../hooks/use-time-range";
import { carryParams, RANGE_KEYS } from "../hooks/use-url-state";
import { StatTile } from "../overview/stat-tile";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { ScopePicker, scopeQuery } from "../ui/scope-picker";
import { Section } from "../ui/section";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { CostByResourceChart } from "./cost-by-resource-chart";
import { CostTable } from "./cost-table";
import { RightSizingTable } from "./right-sizing-table";
import { TopMovers } from "./top-movers";

const TOP_N = 8;

function CostBody() {
  const { range, params } = useTimeRange("30d");
  const query = `${range.query}${scopeQuery(params)}&groupBy=resource&limit=200`;
  const cost = useQuery({
    queryKey: ["cost", query],
    queryFn: () => fetchJson<{ data: CostData; meta: { from: number; to: number } }>(`/api/v1/cost?${query}`),
    placeholderData: keepPreviousData,
  });
  const linkSuffix = carryParams(params, RANGE_KEYS);
  if (cost.isPending) return <SkeletonRows rows={8} />;
  if (cost.isError) return <ErrorState error={cost.error} />;
  const { data, meta } = cost.data;
  if (data.groups.length === 0)
    return (
      <EmptyState title="No cost in this range">
        <p>
          Cost is computed from each invocation&apos;s billed duration and memory. Widen the time range, or check that an account is connected in{" "}
          <Link className="link" href="/settings">Settings</Link>.
        </p>
      </EmptyState>
    );
  const p = data.projectedMonth;
  const total = { value: data.totals.costUsd, previous: data.totals.previousCostUsd, change: data.totals.change, previousPartial: data.totals.previousPartial };
  return (
    <div data-testid="cost">
      <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
        <StatTile testId="tile-cost-total" label="Cost in range" value={formatUsd(total.value)} change={total} direction="up-bad" spark={data.totals.daily} sparkClass="text-emerald-500" />
        <div className="card p-4" data-testid="tile-projected">
          <p className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Projected {p.month}</p>
          <p className="num text-2xl font-semibold tracking-tight">{formatUsd(p.projectedUsd)}</p>
          <p className="num text-xs text-zinc-600 dark:text-zinc-400">
            {formatUsd(p.monthToDateUsd)} month to date + {formatUsd(p.dailyAverageUsd)}/day (the month-to-date daily average) × {p.remainingDays.toFixed(1)} remaining days
          </p>
        </div>
        <div className="card p-4">
          <p className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Daily average</p>
          <p className="num text-2xl font-semibold tracking-tight">{formatUsd(p.dailyAverageUsd)}</p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">this month so far</p>
        </div>
        <div className="card p-4">
          <p className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Functions with cost</p>
          <p className="num text-2xl font-semibold tracking-tight">{data.groups.length + data.other.groups}</p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Lambda requests + compute</p>
        </div>
      </div>
      <div className="mt-8 grid gap-3 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <CostByResourceChart data={data} topN={TOP_N} from={meta.from} to={meta.to} />
        </div>
        <TopMovers movers={data.topMovers} linkSuffix={linkSuffix} />
      </div>
      <Section title="Cost per function">
        <CostTable groups={data.groups} linkSuffix={linkSuffix} />
      </Section>
      <Section title="Right-sizing">
        <RightSizingTable groups={data.groups} assumptions={data.assumptions} linkSuffix={linkSuffix} />
      </Section>
    </div>
  );
}

export function CostPage() {
  return (
    <>
      <PageHeader
        title="Cost"
        description="What each function costs, what changed, where the month is heading, and what memory size would be cheaper."
        actions={
          <Suspense>
            <RangePicker fallback="30d" />
          </Suspense>
        }
      />
      <Suspense fallback={<SkeletonRows rows={8} />}>
        <div className="mb-4">
          <ScopePicker />
        </div>
        <CostBody />
      </Suspense>
    </>
  );
}
