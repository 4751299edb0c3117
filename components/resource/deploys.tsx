"use client";

import { formatCount, formatMs, formatPercent, formatUsd } from "../format";
import { useDeploysQuery } from "../hooks/use-api-queries";
import { ErrorState } from "../ui/states";
import { versionMetricsId } from "./versions-aliases";

const BADGE = {
  worse: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  better: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  "no-change": "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  "too-few-invocations": "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
} as const;
const LABEL = { worse: "Worse", better: "Better", "no-change": "No change", "too-few-invocations": "Too few invocations" } as const;

/** The function's code deploys in the range, newest first, each with its before/after verdict, then its metrics per executed version. */
export function Deploys({ resourceId, rangeQuery }: { resourceId: number; rangeQuery: string }) {
  const q = useDeploysQuery(resourceId, rangeQuery);
  if (q.isPending) return <div className="skeleton h-16" />;
  if (q.isError) return <ErrorState error={q.error} />;
  const { deploys, versions } = q.data;
  return (
    <div className="flex flex-col gap-3">
      {deploys.length ? (
        <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="deploys">
          {deploys.map((d) => (
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
      ) : (
        <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="deploys-empty">No code deploy (new CodeSha256) in the range.</p>
      )}
      {versions.length > 0 && (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm" data-testid="versions">
            <caption className="sr-only">Invocations per executed version</caption>
            <thead>
              <tr className="text-left text-xs text-zinc-600 dark:text-zinc-400">
                <th className="p-2 font-medium">Version</th>
                <th className="p-2 text-right font-medium">Invocations</th>
                <th className="p-2 text-right font-medium">Failed</th>
                <th className="p-2 text-right font-medium">p95</th>
                <th className="p-2 text-right font-medium">Cost</th>
              </tr>
            </thead>
            <tbody className="num">
              {versions.map((v) => (
                <tr key={v.version} id={versionMetricsId(v.version)} className="scroll-mt-16 border-t border-zinc-200 dark:border-zinc-800">
                  <td className="p-2">{v.version}</td>
                  <td className="p-2 text-right">{formatCount(v.invocations)}</td>
                  <td className="p-2 text-right">
                    {formatCount(v.failed)} · {formatPercent(v.invocations ? v.failed / v.invocations : 0)}
                  </td>
                  <td className="p-2 text-right">{v.p95Ms === null ? "–" : formatMs(v.p95Ms)}</td>
                  <td className="p-2 text-right">{formatUsd(v.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
