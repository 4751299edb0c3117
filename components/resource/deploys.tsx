"use client";

import { useDeploysQuery } from "../hooks/use-api-queries";
import { ErrorState } from "../ui/states";

const BADGE = {
  worse: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  better: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  "no-change": "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  "too-few-invocations": "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
} as const;
const LABEL = { worse: "Worse", better: "Better", "no-change": "No change", "too-few-invocations": "Too few invocations" } as const;

/** The function's code deploys in the range, newest first, each with its before/after verdict. */
export function Deploys({ resourceId, rangeQuery }: { resourceId: number; rangeQuery: string }) {
  const q = useDeploysQuery(resourceId, rangeQuery);
  if (q.isPending) return <div className="skeleton h-16" />;
  if (q.isError) return <ErrorState error={q.error} />;
  if (!q.data.length)
    return <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="deploys-empty">No code deploy (new CodeSha256) in the range.</p>;
  return (
    <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="deploys">
      {q.data.map((d) => (
        <li key={d.at} className="flex flex-col gap-1 p-4" data-testid="deploy">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-2 py-0.5 text-xs font-medium ${BADGE[d.verdict.verdict]}`} data-testid="deploy-verdict">
              {LABEL[d.verdict.verdict]}
            </span>
            <time className="num text-sm" dateTime={new Date(d.at).toISOString()}>
              {new Date(d.at).toLocaleString()}
            </time>
            <span className="num text-xs text-zinc-600 dark:text-zinc-400">
              {d.fromSha?.slice(0, 8) ?? "?"} → {d.toSha?.slice(0, 8) ?? "?"} · {Math.round(d.windowMs / 60_000)} min each side
            </span>
          </div>
          <p className="text-sm leading-6">{d.verdict.text}</p>
        </li>
      ))}
    </ul>
  );
}
