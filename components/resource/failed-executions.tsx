import type { FailedExecution } from "@/lib/api/schemas/resource";
import { formatDateTime, formatMs } from "../format";

/** A state machine's newest failed executions, each with the state it failed in (read at discovery). */
export function FailedExecutions({ executions }: { executions: FailedExecution[] }) {
  if (executions.length === 0) return <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400">No failed execution seen.</p>;
  return (
    <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Failed executions, scrolls sideways">
      <table className="w-full text-sm" data-testid="failed-executions">
        <thead className="text-xs text-zinc-600 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            {["Execution", "Failed in state", "Error", "Cause", "Stopped", "Ran for"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 text-left font-medium uppercase tracking-wide">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {executions.map((e) => (
            <tr key={e.executionArn} data-testid="failed-execution">
              <td className="max-w-[14rem] truncate px-3 py-2 font-mono text-xs" title={e.executionArn}>
                {e.name}
              </td>
              <td className="px-3 py-2 font-medium" data-testid="failed-state">
                {e.failedState ?? "unknown"}
              </td>
              <td className="px-3 py-2 text-red-700 dark:text-red-400">{e.error ?? "–"}</td>
              <td className="max-w-[24rem] truncate px-3 py-2 text-zinc-600 dark:text-zinc-400" title={e.cause ?? undefined}>
                {e.cause ?? "–"}
              </td>
              <td className="num whitespace-nowrap px-3 py-2">{formatDateTime(e.stoppedAt)}</td>
              <td className="num whitespace-nowrap px-3 py-2 text-right">{formatMs(Date.parse(e.stoppedAt) - Date.parse(e.startedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
