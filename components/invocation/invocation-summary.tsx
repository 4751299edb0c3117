import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { MemoryBar } from "../functions/memory-bar";
import { formatDateTime, formatGbSeconds, formatMs, formatUsd } from "../format";
import { StatusBadge } from "../resource/status-badge";

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="num mt-0.5 font-medium">{children}</dd>
    </div>
  );
}

export function InvocationSummaryPanel({ d }: { d: InvocationDetail }) {
  const inv = d.invocation;
  const init = inv.restoreDurationMs ?? inv.initDurationMs;
  return (
    <div className="card p-4" data-testid="invocation-summary">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4 xl:grid-cols-8">
        <Stat label="Status" testId="invocation-status">
          <StatusBadge status={inv.status} />
        </Stat>
        <Stat label="Started">{formatDateTime(inv.startedAt)}</Stat>
        <Stat label="Ended">{formatDateTime(inv.endedAt)}</Stat>
        <Stat label="Duration">{formatMs(inv.durationMs)}</Stat>
        <Stat label="Billed duration">{formatMs(inv.billedDurationMs)}</Stat>
        <Stat label={inv.restoreDurationMs !== null ? "Restore (SnapStart)" : "Init duration"}>{init === null ? "warm" : formatMs(init)}</Stat>
        <Stat label="Memory used">
          <MemoryBar used={inv.maxMemoryUsedMB} size={inv.memorySizeMB ?? d.resource.memorySizeMB} />
        </Stat>
        <Stat label="Cost">
          <span title={`requests ${formatUsd(d.cost.requestUsd)} + compute ${formatUsd(d.cost.computeUsd)} (${formatGbSeconds(d.cost.gbSeconds)})`}>{formatUsd(d.cost.totalUsd)}</span>
          <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{d.cost.gbSeconds !== null ? formatGbSeconds(d.cost.gbSeconds) : ""}</span>
        </Stat>
      </dl>
      {(inv.errorType || inv.errorMessage) && (
        <p className="mt-3 rounded-md bg-red-50 px-3 py-2 font-mono text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300" data-testid="invocation-error">
          {inv.errorType}
          {inv.errorMessage ? `: ${inv.errorMessage}` : ""}
        </p>
      )}
    </div>
  );
}
