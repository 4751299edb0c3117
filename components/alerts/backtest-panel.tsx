"use client";

import Link from "next/link";
import { formatValue } from "./catalogue";
import type { BacktestOutcome } from "./use-alerts";

export type BacktestState = { status: "idle" } | { status: "running"; previous?: BacktestOutcome } | { status: "done"; outcome: BacktestOutcome };

function when(iso: string): string {
  return new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function days(fromIso: string, toIso: string): number {
  return Math.max(1, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000));
}

/** What the policy would have done over the last days, as the backtest endpoint computes it from the rollups. */
export function BacktestPanel({ state, unit }: { state: BacktestState; unit: string }) {
  const outcome = state.status === "done" ? state.outcome : state.status === "running" ? state.previous : undefined;
  return (
    <section aria-labelledby="backtest-heading" className="card h-fit p-5" data-testid="backtest-panel">
      <h2 id="backtest-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        Backtest
      </h2>
      <div aria-live="polite" aria-busy={state.status === "running"} className="mt-3 text-sm" data-testid="backtest-result">
        {state.status === "running" && <p className="text-zinc-600 dark:text-zinc-400">Replaying the last days…</p>}
        {!outcome ? (
          state.status === "idle" && <p className="text-zinc-600 dark:text-zinc-400">Shows how many incidents this policy would have opened, before you save it.</p>
        ) : outcome.kind === "unavailable" ? (
          <p>
            <span className="font-medium">Backtest unavailable</span>: this server does not offer it yet.
          </p>
        ) : outcome.kind === "error" ? (
          <p className="text-red-700 dark:text-red-400">Backtest failed: {outcome.message}</p>
        ) : !outcome.result.evaluable ? (
          <p>
            <span className="font-medium">Backtest not possible</span>
            {outcome.result.reason ? `: ${outcome.result.reason}` : "."}
          </p>
        ) : (
          <BacktestResultView result={outcome.result} unit={unit} />
        )}
      </div>
    </section>
  );
}

function BacktestResultView({ result: r, unit }: { result: Extract<BacktestOutcome, { kind: "ok" }>["result"]; unit: string }) {
  const partial = r.coveredFrom && Date.parse(r.coveredFrom) > Date.parse(r.from) + 60_000;
  return (
    <>
      <p className="text-base">
        This policy would have opened{" "}
        <strong className="num" data-testid="backtest-count">
          {r.incidents}
        </strong>{" "}
        incident{r.incidents === 1 ? "" : "s"} in the last {days(r.from, r.to)} days.
      </p>
      {partial && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Data only goes back to {when(r.coveredFrom!)}.</p>}
      {r.resources.length > 0 && (
        <ul className="mt-3 divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Resources that would have fired">
          {r.resources.slice(0, 8).map((x) => (
            <li key={x.resourceId} className="py-2">
              <p className="flex justify-between gap-2">
                <Link href={`/functions/${x.resourceId}`} className="link truncate">
                  {x.name}
                </Link>
                <span className="num shrink-0">
                  {x.incidents} incident{x.incidents === 1 ? "" : "s"}
                </span>
              </p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                {x.incidents === 1 || x.firstOpenedAt === x.lastOpenedAt ? `at ${when(x.firstOpenedAt)}` : `first ${when(x.firstOpenedAt)}, last ${when(x.lastOpenedAt)}`}
                {x.peakValue !== null ? ` · peak ${formatValue(unit, x.peakValue)}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
