const DAY_MS = 86_400_000;

// GetMetricData returns at most 100,800 data points per call before paging.
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/**
 * The finest period CloudWatch still holds for a range starting at `fromMs`: 1-minute data is
 * kept 15 days, 5-minute data 63 days, 1-hour data 455 days. Coarsened further (in multiples of
 * that period) only if one query would return more than 100,800 points.
 */
export function choosePeriod(fromMs: number, toMs: number, nowMs: number): number {
  if (![fromMs, toMs, nowMs].every(Number.isFinite)) throw new RangeError("choosePeriod needs finite times");
  const age = nowMs - fromMs;
  const base = age <= 15 * DAY_MS ? 60 : age <= 63 * DAY_MS ? 300 : 3600;
  const points = Math.max(0, toMs - fromMs) / (base * 1000);
  return base * Math.max(1, Math.ceil(points / MAX_DATAPOINTS_PER_CALL));
}

/** Data points one query returns for the range at this period. */
export function datapointsPerQuery(fromMs: number, toMs: number, periodS: number): number {
  return Math.max(0, Math.ceil((toMs - fromMs) / (periodS * 1000)));
}

/** The range widened to whole periods, so every call asks for the same buckets. */
export function alignToPeriod(fromMs: number, toMs: number, periodS: number): { fromMs: number; toMs: number } {
  const step = periodS * 1000;
  return { fromMs: Math.floor(fromMs / step) * step, toMs: Math.ceil(toMs / step) * step };
}

// Minute detail for the hours people look at closely; older stretches (a first backfill, the gap
// after an outage) at a coarser period, which costs CloudWatch far fewer data points to serve.
export const MINUTE_DETAIL_MS = 3 * 3_600_000;
const BACKFILL_MIN_PERIOD_S = 300;

export interface MetricWindow {
  fromMs: number;
  toMs: number;
  periodS: number;
}

/** The windows one metrics pass reads from `fromMs` to `nowMs`, oldest first, each aligned to its period, back to back. */
export function planMetricWindows(fromMs: number, nowMs: number): MetricWindow[] {
  const windows: MetricWindow[] = [];
  const split = nowMs - MINUTE_DETAIL_MS;
  if (fromMs < split) {
    const periodS = Math.max(BACKFILL_MIN_PERIOD_S, choosePeriod(fromMs, split, nowMs));
    const step = periodS * 1000;
    const from = Math.floor(fromMs / step) * step;
    const to = Math.floor(split / step) * step;
    if (to > from) windows.push({ fromMs: from, toMs: to, periodS });
  }
  const recentFrom = windows.at(-1)?.toMs ?? fromMs;
  const periodS = choosePeriod(recentFrom, nowMs, nowMs);
  windows.push({ ...alignToPeriod(recentFrom, nowMs, periodS), periodS });
  return windows;
}
