import Link from "next/link";
import type { CostData } from "@/lib/api/schemas/cost";
import { formatMb, formatMs, formatUsd } from "../format";

type Group = CostData["groups"][number];

type RightSizing = NonNullable<Group["rightSizing"]>;

// The engine's advice (lib/analysis/right-sizing.ts), the same as the memory insight card's.
function advice(rs: RightSizing): string {
  if (rs.action === "cut") return `${formatUsd(rs.monthlySavingUsd)} at ${formatMb(rs.recommendedMemoryMB)}`;
  if (rs.action === "raise") return `raise to ${formatMb(rs.recommendedMemoryMB)} (+${formatUsd(-rs.monthlySavingUsd)})`;
  if (rs.hold === "timeouts") return "keep: it times out";
  if (rs.hold === "near-timeout") return "keep: runs near its timeout";
  return "already right-sized";
}

export function RightSizingTable({ groups, assumptions, linkSuffix }: { groups: Group[]; assumptions: string[]; linkSuffix: string }) {
  const rows = groups.filter((g) => g.rightSizing).map((g) => ({ g, rs: g.rightSizing! }));
  const totalNow = rows.reduce((sum, { rs }) => sum + rs.currentMonthlyCostUsd, 0);
  const totalSaving = rows.reduce((sum, { rs }) => sum + Math.max(0, rs.monthlySavingUsd), 0);
  const basis = rows[0]?.rs.basis.replace(/ \(.*\)$/, "");
  return (
    <div className="card overflow-hidden" data-testid="right-sizing">
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Right-sizing, scrolls sideways">
        <table className="w-full text-sm">
          <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className="px-3 py-2 text-left font-medium">Function</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Memory (peak used)</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Avg billed</th>
              <th scope="col" className="px-3 py-2 text-right font-medium" title="30 days at the invocation rate and average billed duration of this range's hours with data">
                Now, per 30 days at this range&apos;s rate
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">At other sizes, per 30 days (from traces or I/O-bound · CPU-bound)</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Advice (saving per 30 days)</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map(({ g, rs }) => {
              const saving = rs.monthlySavingUsd;
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
                    {formatMb(g.memorySizeMB)} ({formatMb(g.maxMemoryUsedMB)})
                  </td>
                  <td className="num px-3 py-2 text-right">{formatMs(g.avgBilledDurationMs)}</td>
                  <td className="num px-3 py-2 text-right font-medium">{formatUsd(rs.currentMonthlyCostUsd)}</td>
                  <td className="px-3 py-2">
                    <ul className="flex flex-wrap gap-1.5">
                      {rs.options
                        .filter((o) => !o.current)
                        .slice(0, 6)
                        .map((o) => {
                          const tooSmall = !o.fits;
                          return (
                            <li
                              key={o.memoryMB}
                              className={`num rounded border px-1.5 py-0.5 text-xs ${
                                tooSmall
                                  ? "border-dashed border-zinc-300 text-zinc-500 line-through dark:border-zinc-700 dark:text-zinc-400"
                                  : o.recommended
                                    ? "border-emerald-500 bg-emerald-50 text-emerald-900 dark:bg-emerald-500/10 dark:text-emerald-200"
                                    : "border-zinc-200 dark:border-zinc-700"
                              }`}
                              title={tooSmall ? (rs.hold && o.memoryMB >= (g.maxMemoryUsedMB ?? 0) * 1.3 ? rs.reason : "Too small for the measured peak memory") : `avg billed ${formatMs(o.avgBilledDurationMs)}`}
                            >
                              {formatMb(o.memoryMB)}: {formatUsd(o.monthlyCostUsd)} · {formatUsd(o.monthlyCostUsdIfCpuBound)}
                            </li>
                          );
                        })}
                    </ul>
                  </td>
                  <td
                    className={`num whitespace-nowrap px-3 py-2 text-right font-medium ${rs.action === "cut" && saving > 0 ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-600 dark:text-zinc-400"}`}
                    title={rs.reason}
                    data-testid="right-sizing-advice"
                  >
                    {advice(rs)}
                  </td>
                </tr>
              );
            })}
          </tbody>
          {rows.length > 0 && (
            <tfoot className="border-t border-zinc-200 text-sm dark:border-zinc-800">
              <tr>
                <th scope="row" colSpan={3} className="px-3 py-2 text-left font-medium">
                  {rows.length} function{rows.length === 1 ? "" : "s"} listed
                </th>
                <td className="num px-3 py-2 text-right font-medium" data-testid="right-sizing-total-now">
                  {formatUsd(totalNow)}
                </td>
                <td className="px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                  Sum of the rows above: {basis}. The projected month above extrapolates the month to date at its own daily average instead, and covers every resource.
                </td>
                <td className="num px-3 py-2 text-right font-medium" data-testid="right-sizing-total-saving">
                  {formatUsd(totalSaving)}
                </td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      <div className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        <p className="font-medium text-zinc-700 dark:text-zinc-300">Assumptions</p>
        <ul className="mt-1 list-disc space-y-0.5 pl-4">
          <li>Each size shows two estimates: the first scales only the share of duration the function&apos;s X-Ray traces spend in its own code (waiting on other services does not speed up), or assumes I/O-bound (duration unchanged by memory, the cautious one) without traces · CPU-bound (duration falls in proportion to memory).</li>
          {assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
