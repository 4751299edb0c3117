import type pg from "pg";
import { queryFleetTotals, type FleetTotals } from "./fleet";
import { filterKey, type ResourceFilter } from "./resource-filter";
import { queryResourceStats, type ResourceStats, type ResourceStatsResult } from "./resource-stats";
import { cachedResult } from "./result-cache";
import { coverKey, readSummarisedFleetTotals, readSummarisedStats, readSummarisedStatsWithBins } from "./stats-summary";

// What the pages read for aggregates over a range: the summaries the workers computed ahead when
// they are current (the preset ranges), the rollups otherwise, either through the short-lived
// result cache. Keyed by the aligned rollup rows the range covers: every range covering the same
// rows has the same answer.

/** Per-resource aggregates of the matching resources. */
export async function getResourceStats(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<ResourceStats[]> {
  return cachedResult(
    `stats:${filterKey(filter)}:${coverKey(from, to)}`,
    async () => (await readSummarisedStats(db, filter, from, to)) ?? (await queryResourceStats(db, filter, from, to, false)).resources,
  );
}

/** The same, with the fleet per sparkline bin. */
export async function getResourceStatsWithBins(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<ResourceStatsResult> {
  return cachedResult(
    `stats+bins:${filterKey(filter)}:${coverKey(from, to)}`,
    async () => (await readSummarisedStatsWithBins(db, filter, from, to)) ?? (await queryResourceStats(db, filter, from, to, true)),
  );
}

/** Totals of all matching resources. */
export async function getFleetTotals(db: pg.Pool, filter: ResourceFilter, from: number, to: number): Promise<FleetTotals> {
  return cachedResult(
    `fleet:${filterKey(filter)}:${coverKey(from, to)}`,
    async () => (await readSummarisedFleetTotals(db, filter, from, to)) ?? (await queryFleetTotals(db, filter, from, to)),
  );
}
