import { formatMb, formatMbOf } from "../format";

/** Max memory used against the configured size; red past 90 %, amber under 30 % (over-provisioned). */
export function MemoryBar({ used, size }: { used: number | null; size: number | null }) {
  if (size === null) return <span className="text-zinc-600 dark:text-zinc-400">–</span>;
  const ratio = used === null ? null : used / size;
  const tone = ratio === null ? "" : ratio > 0.9 ? "bg-red-500" : ratio < 0.3 ? "bg-amber-500" : "bg-brand-500";
  return (
    <div className="flex min-w-[7.5rem] flex-col gap-1" title={ratio === null ? `size ${formatMb(size)}` : `${formatMb(used)} of ${formatMb(size)} (${Math.round(ratio * 100)}%)`}>
      <span className="num text-xs">
        {formatMbOf(used === null ? null : Math.round(used), size)}
      </span>
      <span className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700" aria-hidden>
        {ratio !== null && <span className={`block h-full rounded-full ${tone}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />}
      </span>
    </div>
  );
}
