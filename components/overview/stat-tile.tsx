import type { Change } from "@/lib/api/schemas/common";
import { Sparkline } from "../charts/sparkline";
import { formatChange } from "../format";

/** Whether a rise is good news (invocations) or bad news (errors, latency, cost). */
export type Direction = "up-good" | "up-bad" | "neutral";

function changeTone(c: number | null, dir: Direction): string {
  if (c === null || Math.abs(c) < 0.005 || dir === "neutral") return "text-zinc-600 dark:text-zinc-400";
  const bad = dir === "up-bad" ? c > 0 : c < 0;
  return bad ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400";
}

export function StatTile({
  label,
  value,
  change,
  direction,
  spark,
  sparkClass,
  testId,
}: {
  label: string;
  value: string;
  change: Change;
  direction: Direction;
  spark?: (number | null)[];
  sparkClass?: string;
  testId: string;
}) {
  const c = formatChange(change.change);
  return (
    <div className="card flex flex-col gap-1 p-4" data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</p>
      <p className="num text-2xl font-semibold tracking-tight" data-testid={`${testId}-value`}>
        {value}
      </p>
      <div className="flex items-end justify-between gap-2">
        <p className={`num text-xs font-medium ${changeTone(change.change, direction)}`}>
          {c
            ? `${c} vs previous`
            : change.previousPartial
              ? "previous period only partly recorded"
              : change.previous === 0 || change.previous === null
                ? "no previous data"
                : "unchanged"}
        </p>
        {spark && <Sparkline values={spark} width={88} height={28} className={sparkClass} />}
      </div>
    </div>
  );
}
