import Link from "next/link";
import type { CostData } from "@/lib/api/schemas/cost";
import { formatMb, formatMs, formatUsd } from "../format";

type Group = CostData["groups"][number];

function cheapest(g: Group) {
  const opts = g.rightSizing?.options ?? [];
  // Only sizes that still fit the measured peak memory with 20 % headroom are real options.
  const fits = opts.filter((o) => g.maxMemoryUsedMB === null || o.memoryMB >= g.maxMemoryUsedMB * 1.2);
  return fits.reduce<(typeof opts)[number] | null>((best, o) => (!best || o.monthlyCostUsd < best.monthlyCostUsd ? o : best), null);
}

export function RightSizingTable({ groups, assumptions, linkSuffix }: { groups: Group[]; assumptions: string[]; linkSuffix: string }) {
  const rows = groups.filter((g) => g.rightSizing).map((g) => ({ g, best: cheapest(g) }));
  return (
    <div className="card overflow-hidden" data-testid="right-sizing">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className="px-3 py-2 text-left font-medium">Function</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Memory (peak used)</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Avg billed</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Now / month</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">At other sizes / month (I/O-bound · CPU-bound)</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Best saving</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map(({ g, best }) => {
              const rs = g.rightSizing!;
              const saving = best && !best.current ? rs.currentMonthlyCostUsd - best.monthlyCostUsd : 0;
              return (
                <tr key={g.key}>
                  <td className="px-3 py-2">
                    {g.resourceId ? (
                      <Link className="font-medium text-brand-700 hover:underline dark:text-brand-100" href={`/functions/${g.resourceId}${linkSuffix}`}>
                        {g.label}
                      </Link>
                    ) : (
                      g.label
                    )}
                  </td>
                  <td className="num whitespace-nowrap px-3 py-2 text-right">
                    {formatMb(g.memorySizeMB)} ({g.maxMemoryUsedMB ?? "–"} MB)
                  </td>
                  <td className="num px-3 py-2 text-right">{formatMs(g.avgBilledDurationMs)}</td>
                  <td className="num px-3 py-2 text-right font-medium">{formatUsd(rs.currentMonthlyCostUsd)}</td>
                  <td className="px-3 py-2">
                    <ul className="flex flex-wrap gap-1.5">
                      {rs.options
                        .filter((o) => !o.current)
                        .slice(0, 6)
                        .map((o) => {
                          const tooSmall = g.maxMemoryUsedMB !== null && o.memoryMB < g.maxMemoryUsedMB * 1.2;
                          return (
                            <li
                              key={o.memoryMB}
                              className={`num rounded border px-1.5 py-0.5 text-xs ${
                                tooSmall
                                  ? "border-dashed border-zinc-300 text-zinc-500 line-through dark:border-zinc-700"
                                  : o === best
                                    ? "border-emerald-500 bg-emerald-50 text-emerald-900 dark:bg-emerald-500/10 dark:text-emerald-200"
                                    : "border-zinc-200 dark:border-zinc-700"
                              }`}
                              title={tooSmall ? "Too small for the measured peak memory" : `avg billed ${formatMs(o.avgBilledDurationMs)}`}
                            >
                              {formatMb(o.memoryMB)}: {formatUsd(o.monthlyCostUsd)} · {formatUsd(o.monthlyCostUsdIfCpuBound)}
                            </li>
                          );
                        })}
                    </ul>
                  </td>
                  <td className={`num whitespace-nowrap px-3 py-2 text-right font-medium ${saving > 0 ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-600 dark:text-zinc-400"}`}>
                    {saving > 0 && best ? `${formatUsd(saving)} at ${formatMb(best.memoryMB)}` : "already cheapest"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        <p className="font-medium text-zinc-700 dark:text-zinc-300">Assumptions</p>
        <ul className="mt-1 list-disc space-y-0.5 pl-4">
          <li>Each size shows two estimates: I/O-bound (duration unchanged by memory, the cautious one) · CPU-bound (duration falls in proportion to memory).</li>
          {assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
