"use client";

import Link from "next/link";
import { Suspense } from "react";
import { formatRange } from "../format";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { useOverviewQuery } from "../hooks/use-api-queries";
import { useHealthQuery } from "../hooks/use-health-query";
import { useTimeRange } from "../hooks/use-time-range";
import { carryParams, RANGE_KEYS } from "../hooks/use-url-state";
import { InsightSummary } from "../insights/insight-summary";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { ScopePicker, scopeQuery } from "../ui/scope-picker";
import { OpenIncidentsPanel } from "../incidents/open-incidents";
import { Section } from "../ui/section";
import { Code, EmptyState, ErrorState } from "../ui/states";
import { HealthBadge } from "./health-badge";
import { IngestHealthTable } from "./ingest-health";
import { StatTiles } from "./stat-tiles";
import { TopLists } from "./top-lists";
import { TrendCharts } from "./trend-charts";

/** The insights of the accounts and regions the overview shows. */
function insightScope(params: URLSearchParams): string {
  const q = new URLSearchParams();
  for (const k of ["account", "region"]) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  return q.toString();
}

function OverviewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading overview">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="skeleton h-[108px] rounded-xl" />
        ))}
      </div>
      <div className="mt-8 grid gap-3 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="skeleton h-[240px] rounded-xl" />
        ))}
      </div>
    </div>
  );
}

function NoAccounts() {
  return (
    <EmptyState title="No AWS account connected yet">
      <p>
        Connect an account in <Link className="link" href="/settings">Settings</Link>, or from a terminal with{" "}
        <Code>bin/osprey accounts add --name prod --regions us-east-1</Code>. With no account connected, <Code>npm start</Code> runs the sandbox (unless it is switched off in Settings): a
        simulated AWS account, so you can look around first.
      </p>
    </EmptyState>
  );
}

function OverviewBody() {
  const { range, params } = useTimeRange();
  const accounts = useAccountsQuery();
  const query = `${range.query}${scopeQuery(params)}&top=5`;
  const overview = useOverviewQuery(query);
  const linkSuffix = carryParams(params, RANGE_KEYS);

  if (accounts.data?.length === 0) return <NoAccounts />;
  if (overview.isPending) return <OverviewSkeleton />;
  if (overview.isError) return <ErrorState error={overview.error} />;
  const { data, meta } = overview.data;
  const noData = data.totals.invocations.value === 0 && data.series.every((p) => p.invocations === 0);
  return (
    <div data-testid="overview" data-fetching={overview.isFetching || undefined}>
      <OpenIncidentsPanel />
      {noData ? (
        <EmptyState title="No invocations in this range">
          <p>
            {accounts.data?.length ?? 0} account{accounts.data?.length === 1 ? "" : "s"} connected. The workers read logs, metrics and traces every minute; this page
            fills in as soon as the first invocations arrive. Try a longer time range, or check the ingest health below.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="overview-range">
            {formatRange(meta.from, meta.to)}, against {formatRange(meta.prevFrom, meta.prevTo)}
          </p>
          <StatTiles data={data} />
          <Section title="Trends">
            <TrendCharts data={data} meta={meta} />
          </Section>
          <Section
            title="Most concerning functions"
            action={
              <Link className="link text-sm" href={`/functions${linkSuffix}`}>
                All {data.totals.functions} functions
              </Link>
            }
          >
            <TopLists top={data.top} linkSuffix={linkSuffix} />
          </Section>
        </>
      )}
      <InsightSummary query={insightScope(params)} />
      <Section title="Ingest health">
        <IngestHealthTable rows={data.ingest} />
      </Section>
    </div>
  );
}

export function OverviewPage() {
  const health = useHealthQuery();
  return (
    <>
      <PageHeader
        title="Overview"
        description="Every connected account and region at a glance."
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <HealthBadge health={health.data} />
            <Suspense>
              <RangePicker />
            </Suspense>
          </div>
        }
      />
      <Suspense fallback={<OverviewSkeleton />}>
        <div className="mb-4">
          <ScopePicker />
        </div>
        <OverviewBody />
      </Suspense>
    </>
  );
}
