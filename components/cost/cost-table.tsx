import Link from "next/link";
import type { CostData } from "@/lib/api/schemas/cost";
import { Sparkline } from "../charts/sparkline";
import { formatChange, formatCount, formatGbSeconds, formatMb, formatMs, formatUsd } from "../format";

export function CostTable({ groups, linkSuffix }: { groups: CostData["groups"]; linkSuffix: string }) {
  return (
    <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Cost by resource, scrolls sideways">
      <table className="w-full text-sm" data-testid="cost-table">
        <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th scope="col" className="px-3 py-2 text-left font-medium">Function</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Cost</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Previous</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Change</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Invocations</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">GB-seconds</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Avg billed</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Memory</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">Daily trend</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {groups.map((g) => (
            <tr key={g.key} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className="px-3 py-2">
                {g.resourceId ? (
                  <Link className="font-medium text-brand-700 hover:underline dark:text-brand-100" href={`/functions/${g.resourceId}${linkSuffix}`}>
                    {g.label}
                  </Link>
                ) : (
                  g.label
                )}
                <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                  {g.region} · {g.architecture}
                </span>
              </td>
              <td className="num px-3 py-2 text-right font-medium">{formatUsd(g.costUsd)}</td>
              <td className="num px-3 py-2 text-right">{formatUsd(g.previousCostUsd)}</td>
              <td className={`num px-3 py-2 text-right ${g.change && g.change > 0.1 ? "text-red-700 dark:text-red-400" : ""}`}>{formatChange(g.change) ?? "new"}</td>
              <td className="num px-3 py-2 text-right">{formatCount(g.invocations)}</td>
              <td className="num px-3 py-2 text-right">{formatGbSeconds(g.gbSeconds)}</td>
              <td className="num px-3 py-2 text-right">{formatMs(g.avgBilledDurationMs)}</td>
              <td className="num px-3 py-2 text-right">
                {g.maxMemoryUsedMB ?? "–"} / {formatMb(g.memorySizeMB)}
              </td>
              <td className="px-3 py-2">
                <Sparkline values={g.daily} width={96} height={22} className="text-emerald-500" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
