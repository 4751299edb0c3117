import Link from "next/link";
import type { CostData } from "@/lib/api/schemas/cost";
import { formatUsd } from "../format";

export function TopMovers({ movers, linkSuffix }: { movers: CostData["topMovers"]; linkSuffix: string }) {
  const list = movers.slice(0, 8);
  const max = Math.max(...list.map((m) => Math.abs(m.deltaUsd)), 0) || 1;
  return (
    <div className="card p-4" data-testid="top-movers">
      <h3 className="mb-1 text-sm font-medium">Top movers</h3>
      <p className="mb-3 text-xs text-zinc-600 dark:text-zinc-400">Change against the previous period of the same length</p>
      {list.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No change.</p>
      ) : (
        <ol className="space-y-2">
          {list.map((m) => (
            <li key={m.key} className="text-sm">
              <div className="flex items-baseline justify-between gap-2">
                {m.resourceId ? (
                  <Link className="truncate hover:underline" href={`/functions/${m.resourceId}${linkSuffix}`}>
                    {m.label}
                  </Link>
                ) : (
                  <span className="truncate">{m.label}</span>
                )}
                <span className={`num shrink-0 font-medium ${m.deltaUsd > 0 ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}>
                  {m.deltaUsd > 0 ? "+" : "−"}
                  {formatUsd(Math.abs(m.deltaUsd))}
                </span>
              </div>
              <div className="mt-1 h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                <div className={`h-full rounded-full ${m.deltaUsd > 0 ? "bg-red-400" : "bg-emerald-500"}`} style={{ width: `${(Math.abs(m.deltaUsd) / max) * 100}%` }} />
              </div>
              <p className="num mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                {formatUsd(m.previousCostUsd)} → {formatUsd(m.costUsd)}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
