"use client";

import { Suspense, useCallback, useEffect, useMemo, useRef } from "react";
import type { ResourceRow } from "@/lib/api/schemas/resources";
import { formatCount } from "../format";
import { useResourcesQuery } from "../hooks/use-api-queries";
import { useTimeRange } from "../hooks/use-time-range";
import { carryParams, RANGE_KEYS } from "../hooks/use-url-state";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { SortHeader, type SortOrder } from "../ui/sort-header";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { FunctionFilters } from "./function-filters";
import { FunctionRow, kindColumns, OtherResourceRow } from "./function-row";

const NO_RUNTIMES: string[] = [];
const PAGE_SIZE = 200;
const KINDS = [
  { kind: "lambda", label: "Functions" },
  { kind: "sqs", label: "Queues" },
  { kind: "apigateway", label: "APIs" },
  { kind: "dynamodb", label: "Tables" },
  { kind: "kinesis", label: "Streams" },
  { kind: "firehose", label: "Delivery streams" },
  { kind: "stepfunctions", label: "State machines" },
  { kind: "sns", label: "Topics" },
  { kind: "eventbridge", label: "Rules" },
] as const;
const FILTER_KEYS = ["kind", "account", "region", "runtime", "tag", "q", "sort", "order"] as const;

const COLUMNS: { column: string; label: string; align?: "left"; title?: string }[] = [
  { column: "name", label: "Name", align: "left" },
  { column: "invocations", label: "Invocations" },
  { column: "errors", label: "Failed", title: "Failed invocations: error + timeout + out of memory + crash" },
  { column: "errorRate", label: "Error rate", title: "Failed / invocations" },
  { column: "p50", label: "p50" },
  { column: "p95", label: "p95" },
  { column: "p99", label: "p99" },
  { column: "coldStartRate", label: "Cold-start rate", title: "Cold starts / invocations" },
  { column: "memoryUsedRatio", label: "Memory", align: "left" },
  { column: "costUsd", label: "Cost" },
];

function KindTabs({ kind, onChange }: { kind: string; onChange: (k: string) => void }) {
  return (
    <div role="group" aria-label="Resource kind" className="mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800">
      {KINDS.map((k) => (
        <button
          key={k.kind}
          type="button"
          aria-pressed={kind === k.kind}
          onClick={() => onChange(k.kind)}
          className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
            kind === k.kind ? "border-brand-600 text-brand-700 dark:text-brand-100" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          }`}
        >
          {k.label}
        </button>
      ))}
    </div>
  );
}

function FunctionsBody() {
  const { range, params, set } = useTimeRange();
  const kind = params.get("kind") ?? "lambda";
  const sort = params.get("sort") ?? (kind === "lambda" ? "invocations" : "name");
  const order = (params.get("order") as SortOrder | null) ?? (kind === "lambda" && sort !== "name" ? "desc" : "asc");
  const apiQuery = useMemo(() => {
    const q = new URLSearchParams(range.query);
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) q.set(k, v);
    }
    q.set("sort", sort);
    q.set("order", order);
    return q.toString();
  }, [range.query, params, sort, order]);
  const resources = useResourcesQuery(apiQuery, PAGE_SIZE);
  const rows = useMemo(() => resources.data?.pages.flatMap((p) => p.data) ?? [], [resources.data]);
  const total = resources.data?.pages[0]?.meta.total ?? 0;
  const runtimes = resources.data?.pages[0]?.meta.runtimes ?? NO_RUNTIMES;
  const linkSuffix = carryParams(params, RANGE_KEYS);
  const onSort = useCallback((column: string, o: SortOrder) => set({ sort: column, order: o }), [set]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = resources;
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && !isFetchingNextPage) fetchNextPage();
    }, { rootMargin: "600px" });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const hasFilters = ["account", "region", "runtime", "tag", "q"].some((k) => params.get(k));
  return (
    <>
      <KindTabs kind={kind} onChange={(k) => set({ kind: k === "lambda" ? null : k, sort: null, order: null, runtime: null })} />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <FunctionFilters params={params} set={set} runtimes={runtimes} />
        <p className="num text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite" data-testid="functions-count">
          {resources.isPending ? "Loading…" : `${formatCount(total)} ${KINDS.find((k) => k.kind === kind)?.label.toLowerCase() ?? "resources"}`}
          {resources.isFetching && !resources.isPending ? " · updating" : ""}
        </p>
      </div>
      {resources.isPending ? (
        <SkeletonRows rows={8} />
      ) : resources.isError ? (
        <ErrorState error={resources.error} />
      ) : rows.length === 0 ? (
        <EmptyState title={hasFilters ? "Nothing matches these filters" : "Nothing found in this range"}>
          <p>
            {hasFilters
              ? "Clear a filter or widen the time range."
              : "Resources appear once the workers have discovered them in a connected account; check ingest health on the Overview or connect an account in Settings."}
          </p>
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Functions, scrolls sideways">
          <table className="w-full text-sm" data-testid="functions-table">
            <thead className="sticky top-0 z-10 bg-white text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                {kind === "lambda" ? (
                  <>
                    {COLUMNS.map((c) => (
                      <SortHeader key={c.column} column={c.column} label={c.label} title={c.title} align={c.align} sort={sort} order={order} onSort={onSort} defaultOrder={c.column === "name" ? "asc" : "desc"} />
                    ))}
                    <th scope="col" className="px-3 py-2 text-left font-medium uppercase tracking-wide">Trend</th>
                  </>
                ) : (
                  <>
                    <SortHeader column="name" label="Name" align="left" sort={sort} order={order} onSort={onSort} defaultOrder="asc" />
                    <SortHeader column="region" label="Region" align="left" sort={sort} order={order} onSort={onSort} defaultOrder="asc" />
                    <SortHeader column="account" label="Account" align="left" sort={sort} order={order} onSort={onSort} defaultOrder="asc" />
                    {kindColumns(kind).map((c) => (
                      <th key={c.key} scope="col" title={c.title} className="whitespace-nowrap px-3 py-2 text-right font-medium uppercase tracking-wide">
                        {c.label}
                      </th>
                    ))}
                    <th scope="col" className="px-3 py-2 text-left font-medium uppercase tracking-wide">State</th>
                  </>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map((r: ResourceRow) =>
                kind === "lambda" ? <FunctionRow key={r.id} row={r} linkSuffix={linkSuffix} /> : <OtherResourceRow key={r.id} row={r} linkSuffix={linkSuffix} />,
              )}
            </tbody>
          </table>
          {hasNextPage && (
            <div ref={sentinel} className="flex justify-center border-t border-zinc-200 p-3 dark:border-zinc-800">
              <button type="button" className="btn" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? "Loading…" : `Load more (${formatCount(total - rows.length)} left)`}
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}

export function FunctionsPage() {
  return (
    <>
      <PageHeader
        title="Functions"
        description="Every Lambda function with its invocations, errors, latency, cold starts and cost; queues, APIs, tables, streams, state machines, topics and rules with their own CloudWatch figures."
        actions={
          <Suspense>
            <RangePicker />
          </Suspense>
        }
      />
      <Suspense fallback={<SkeletonRows rows={8} />}>
        <FunctionsBody />
      </Suspense>
    </>
  );
}
