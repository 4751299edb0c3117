"use client";

import Link from "next/link";
import { useState } from "react";
import { Sparkline } from "../charts/sparkline";
import { formatAgo, formatCount, formatDateTime } from "../format";
import { readTimeRange } from "../hooks/use-time-range";
import { carryParams, csvParam, RANGE_KEYS, useUrlState } from "../hooks/use-url-state";
import { FilterChips } from "../insights/filter-chips";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { ErrorStateControl, GROUP_STATES, STATE_LABEL } from "./error-state-control";
import { useErrorGroups, type ErrorGroupRow } from "./use-errors";

const SORTS = { count: "Most occurrences", lastSeen: "Last seen", firstSeen: "First seen" } as const;

export function ErrorsPage() {
  const [params, set] = useUrlState();
  const range = readTimeRange(params, "24h");
  const states = csvParam(params, "state");
  const text = params.get("q") ?? "";
  const sort = (params.get("sort") ?? "count") as keyof typeof SORTS;

  const q = new URLSearchParams(range.query);
  if (states.length) q.set("state", states.join(","));
  if (text) q.set("q", text);
  for (const k of ["resource", "account"]) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  if (sort in SORTS && sort !== "count") q.set("sort", sort);
  q.set("limit", "50");
  const groups = useErrorGroups(q.toString());
  const rows = groups.data?.pages.flatMap((p) => p.data) ?? [];
  const total = groups.data?.pages[0]?.meta.total;
  const rangeLink = carryParams(params, RANGE_KEYS);

  return (
    <>
      <PageHeader title="Errors" description="Unhandled errors grouped by kind: how often, where and since when." actions={<RangePicker fallback="24h" />} />

      <div className="card mb-4 flex flex-col gap-3 p-4" data-testid="error-filters">
        <FilterChips label="State" options={GROUP_STATES} selected={states} onChange={(v) => set({ state: v })} render={(s) => STATE_LABEL[s]} />
        <div className="flex flex-wrap items-center gap-3">
          <TextFilter key={text} initial={text} onSubmit={(v) => set({ q: v || null })} />
          <label className="flex items-center gap-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Sort by
            <select className="input" value={sort} onChange={(e) => set({ sort: e.target.value === "count" ? null : e.target.value })}>
              {Object.entries(SORTS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {total !== undefined && (
            <span className="ml-auto text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
              {formatCount(total)} group{total === 1 ? "" : "s"} · {range.label.toLowerCase()}
            </span>
          )}
        </div>
      </div>

      {groups.isPending ? (
        <SkeletonRows rows={8} />
      ) : groups.isError && !groups.data ? (
        <ErrorState error={groups.error} />
      ) : rows.length === 0 ? (
        <EmptyState title={states.length || text ? "No error groups match these filters" : `No errors in the ${range.label.toLowerCase()}`}>
          <p>
            {states.length || text
              ? "Clear the state or text filter, or widen the time range."
              : "Errors appear here when a function throws, times out, runs out of memory or crashes. Widen the time range to look further back."}
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Error groups, scrolls sideways">
            <table className="w-full text-sm" data-testid="error-groups">
              <caption className="sr-only">Error groups, {SORTS[sort in SORTS ? sort : "count"].toLowerCase()} first</caption>
              <thead className="border-b border-zinc-200 text-left text-xs uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Error</th>
                  <th scope="col" className="px-3 py-2 font-medium">Trend</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Count</th>
                  <th scope="col" className="px-3 py-2 font-medium">Functions</th>
                  <th scope="col" className="px-3 py-2 font-medium">First seen</th>
                  <th scope="col" className="px-3 py-2 font-medium">Last seen</th>
                  <th scope="col" className="px-3 py-2 font-medium">State</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {rows.map((g) => (
                  <GroupRow key={g.id} group={g} href={`/errors/${g.id}${rangeLink}`} rangeLabel={range.label.toLowerCase()} />
                ))}
              </tbody>
            </table>
          </div>
          {groups.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <button type="button" className="btn" onClick={() => groups.fetchNextPage()} disabled={groups.isFetchingNextPage}>
                {groups.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          )}
          {groups.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700 dark:text-red-300">
              Could not load more: {groups.error.message}
            </p>
          )}
        </>
      )}
    </>
  );
}

function TextFilter({ initial, onSubmit }: { initial: string; onSubmit: (v: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <form
      role="search"
      className="flex items-center gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <label htmlFor="error-text" className="sr-only">
        Error type or message contains
      </label>
      <input id="error-text" type="search" className="input w-64" placeholder="Type or message contains…" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="btn">
        Filter
      </button>
    </form>
  );
}

function GroupRow({ group: g, href, rangeLabel }: { group: ErrorGroupRow; href: string; rangeLabel: string }) {
  const shown = g.resources.slice(0, 3);
  return (
    <tr className="align-top hover:bg-zinc-50 dark:hover:bg-zinc-800/40" data-testid="error-group" data-error-type={g.errorType}>
      <td className="max-w-md px-4 py-2.5">
        <Link href={href} className="link font-medium">
          {g.errorType}
        </Link>
        <p className="mt-0.5 line-clamp-2 break-words text-xs text-zinc-600 dark:text-zinc-400" title={g.sampleMessage}>
          {g.message}
        </p>
        {g.topFrame && (
          <p className="mt-0.5 truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400" data-testid="error-group-top-frame">
            {g.topFrame}
          </p>
        )}
      </td>
      <td className="px-3 py-2.5">
        <Sparkline values={g.sparkline} width={96} height={24} className="text-red-500" label={`Occurrences over the ${rangeLabel}, at most ${Math.max(0, ...g.sparkline)} in one bin`} />
      </td>
      <td className="num px-3 py-2.5 text-right">
        <span className="font-semibold">{formatCount(g.count)}</span>
        <span className="block whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400" title="Occurrences ever counted">
          {formatCount(g.totalCount)} total
        </span>
      </td>
      <td className="whitespace-nowrap px-3 py-2.5 text-xs">
        <ul className="flex flex-col gap-0.5">
          {shown.map((r) => (
            <li key={r.id}>
              <Link href={`/functions/${r.id}`} className="link">
                {r.name}
              </Link>
            </li>
          ))}
          {g.resources.length > shown.length && <li className="text-zinc-600 dark:text-zinc-400">+{g.resources.length - shown.length} more</li>}
        </ul>
      </td>
      <td className="whitespace-nowrap px-3 py-2.5 text-xs text-zinc-700 dark:text-zinc-300" title={formatDateTime(g.firstSeenAt)}>
        {formatAgo(g.firstSeenAt)}
      </td>
      <td className="whitespace-nowrap px-3 py-2.5 text-xs text-zinc-700 dark:text-zinc-300" title={formatDateTime(g.lastSeenAt)}>
        {formatAgo(g.lastSeenAt)}
      </td>
      <td className="px-3 py-2.5">
        <ErrorStateControl id={g.id} state={g.state} label={g.errorType} />
      </td>
    </tr>
  );
}
