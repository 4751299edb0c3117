"use client";

import Link from "next/link";
import { memo } from "react";
import type { InvocationSummary } from "@/lib/api/schemas/invocations";
import { formatDateTime, formatMbOf, formatMs, formatUsd } from "../format";
import { useInvocationsQuery } from "../hooks/use-api-queries";
import type { ParamPatch } from "../hooks/use-url-state";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { InvocationFilters, invocationApiQuery } from "./invocation-filters";
import { Badge, StatusBadge } from "./status-badge";

export function invocationHref(resourceId: number, requestId: string, attempt: number) {
  return `/functions/${resourceId}/invocations/${encodeURIComponent(requestId)}${attempt > 1 ? `?attempt=${attempt}` : ""}`;
}

const InvocationRow = memo(function InvocationRow({ inv, resourceId }: { inv: InvocationSummary; resourceId: number }) {
  return (
    <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50" data-testid="invocation-row" data-attempt={inv.attempt}>
      <td className="num whitespace-nowrap px-3 py-1.5">{formatDateTime(inv.startedAt)}</td>
      <td className="px-3 py-1.5">
        <Link href={invocationHref(resourceId, inv.requestId, inv.attempt)} className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-100">
          {inv.requestId}
        </Link>
      </td>
      <td className="px-3 py-1.5">
        <span className="flex flex-wrap gap-1">
          <StatusBadge status={inv.status} />
          {inv.coldStart && <Badge>cold</Badge>}
          {inv.attempt > 1 && <Badge tone="amber">attempt {inv.attempt}</Badge>}
        </span>
      </td>
      <td className="num px-3 py-1.5 text-right">{formatMs(inv.durationMs)}</td>
      <td className="num px-3 py-1.5 text-right">{formatMbOf(inv.maxMemoryUsedMB, inv.memorySizeMB)}</td>
      <td className="num px-3 py-1.5 text-right">{formatUsd(inv.costUsd)}</td>
      <td className="max-w-[24rem] truncate px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400" title={inv.errorMessage ?? undefined}>
        {inv.errorType ? `${inv.errorType}${inv.errorMessage ? `: ${inv.errorMessage}` : ""}` : ""}
      </td>
    </tr>
  );
});

export function InvocationsTable({ resourceId, rangeQuery, params, set }: { resourceId: number; rangeQuery: string; params: URLSearchParams; set: (p: ParamPatch) => void }) {
  const filterQuery = invocationApiQuery(params);
  const inv = useInvocationsQuery(resourceId, `${rangeQuery}&limit=50${filterQuery ? `&${filterQuery}` : ""}`);
  const rows = inv.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div>
      <div className="mb-3">
        <InvocationFilters params={params} set={set} />
      </div>
      {inv.isPending ? (
        <SkeletonRows rows={6} />
      ) : inv.isError ? (
        <ErrorState error={inv.error} />
      ) : rows.length === 0 ? (
        <EmptyState title={filterQuery ? "No invocation matches these filters" : "No invocations in this range"}>
          <p>{filterQuery ? "Clear a filter or widen the time range." : "Widen the time range; invocations appear a minute or two after they run."}</p>
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Invocations, scrolls sideways">
          <table className="w-full text-sm" data-testid="invocations-table">
            <thead className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-3 py-2 font-medium">Started</th>
                <th scope="col" className="px-3 py-2 font-medium">Request id</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Duration</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Memory</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Cost</th>
                <th scope="col" className="px-3 py-2 font-medium">Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map((r) => (
                <InvocationRow key={r.id} inv={r} resourceId={resourceId} />
              ))}
            </tbody>
          </table>
          {inv.hasNextPage && (
            <div className="flex justify-center border-t border-zinc-200 p-3 dark:border-zinc-800">
              <button type="button" className="btn" onClick={() => inv.fetchNextPage()} disabled={inv.isFetchingNextPage}>
                {inv.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
