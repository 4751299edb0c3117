import type pg from "pg";
import { concurrencyPct } from "@/lib/analysis/alerts/conditions";
import type { TimeRange } from "@/lib/api/schemas/common";
import type { ResourceTotals } from "@/lib/api/schemas/resource";
import { rangeTotals } from "./overview";
import { getFleetTotals, getResourceStats } from "./range-stats";
import { previousPeriodPartial } from "./data-start";

/** The function page's cards: the overview's totals for one resource, and its peak concurrency against its reserved concurrency. */
export async function getResourceTotals(db: pg.Pool, resource: { id: number; config: Record<string, unknown> }, range: TimeRange): Promise<ResourceTotals> {
  const filter = { ids: [resource.id], includeDeleted: true };
  const [stats, prev, partial, peak] = await Promise.all([
    getResourceStats(db, filter, range.from, range.to),
    getFleetTotals(db, filter, range.prevFrom, range.prevTo),
    previousPeriodPartial(db, [resource.id], range.prevFrom),
    db.query<{ peak: number | null }>(
      `SELECT max(value)::float8 AS peak FROM metric_points
        WHERE resource_id = $1 AND metric = 'ConcurrentExecutions' AND stat = 'Maximum' AND ts >= $2 AND ts < $3`,
      [resource.id, new Date(range.from), new Date(range.to)],
    ),
  ]);
  const reserved = resource.config.reservedConcurrency;
  const limit = typeof reserved === "number" && Number.isFinite(reserved) ? reserved : null;
  const max = peak.rows[0]?.peak ?? null;
  return { totals: rangeTotals(stats, prev, partial), concurrency: { peak: max, limit, pct: concurrencyPct(max, limit) } };
}
