import type { Overview } from "@/lib/api/schemas/overview";
import { formatCount, formatMs, formatPercent, formatUsd } from "../format";
import { StatTile } from "./stat-tile";

export function StatTiles({ data }: { data: Overview }) {
  const t = data.totals;
  const s = data.series;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5" data-testid="tiles">
      <StatTile testId="tile-invocations" label="Invocations" value={formatCount(t.invocations.value)} change={t.invocations} direction="neutral" spark={s.map((p) => p.invocations)} sparkClass="text-brand-500" />
      <StatTile testId="tile-error-rate" label="Error rate" value={formatPercent(t.errorRate.value)} change={t.errorRate} direction="up-bad" spark={s.map((p) => p.errorRate)} sparkClass="text-red-500" />
      <StatTile testId="tile-cold-start-rate" label="Cold-start rate" value={formatPercent(t.coldStartRate.value)} change={t.coldStartRate} direction="up-bad" spark={s.map((p) => p.coldStartRate)} sparkClass="text-sky-500" />
      <StatTile testId="tile-p95" label="p95 duration" value={formatMs(t.p95.value)} change={t.p95} direction="up-bad" spark={s.map((p) => p.p95)} sparkClass="text-violet-500" />
      <StatTile testId="tile-cost" label="Cost" value={formatUsd(t.costUsd.value)} change={t.costUsd} direction="up-bad" spark={s.map((p) => p.costUsd)} sparkClass="text-emerald-500" />
    </div>
  );
}
