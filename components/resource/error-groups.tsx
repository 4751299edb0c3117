"use client";

import Link from "next/link";
import { Sparkline } from "../charts/sparkline";
import { formatAgo, formatCount } from "../format";
import { useErrorsQuery } from "../hooks/use-api-queries";
import type { ParamPatch } from "../hooks/use-url-state";
import { ErrorState, SkeletonRows } from "../ui/states";

export function ErrorGroups({ resourceId, rangeQuery, set }: { resourceId: number; rangeQuery: string; set: (p: ParamPatch) => void }) {
  const errors = useErrorsQuery(`${rangeQuery}&resource=${resourceId}&limit=10`);
  if (errors.isPending) return <SkeletonRows rows={3} />;
  if (errors.isError) return <ErrorState error={errors.error} />;
  if (errors.data.data.length === 0) return <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400">No errors in this range.</p>;
  return (
    <ul className="card divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="error-groups">
      {errors.data.data.map((g) => (
        <li key={g.id} className="flex items-center gap-4 px-4 py-2.5">
          <div className="min-w-0 flex-1">
            {/* The link is a flex item (a block of its own), not a link inside a run of text, so colour alone can tell it apart. */}
            <div className="flex min-w-0 items-center gap-2 text-sm font-medium">
              <Link href={`/errors/${g.id}?${rangeQuery}`} className="link truncate">
                {g.errorType}
              </Link>
              <span className="shrink-0 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-normal text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{g.state}</span>
            </div>
            <p className="truncate text-xs text-zinc-600 dark:text-zinc-400" title={g.sampleMessage}>
              {g.message}
            </p>
          </div>
          <Sparkline values={g.sparkline} width={96} height={24} className="text-red-500" />
          <div className="num w-20 text-right text-sm">
            <span className="font-medium">{formatCount(g.count)}</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">{formatAgo(g.lastSeenAt)}</span>
          </div>
          <button type="button" className="btn text-xs" onClick={() => set({ errors: "1", logq: g.errorType })}>
            Invocations<span className="sr-only"> with {g.errorType}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
