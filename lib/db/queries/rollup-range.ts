/**
 * Which rollup rows answer a time range, exactly.
 *
 * Ranges are half-open [from, to) on whole minutes (resolveRange snaps them; the minute is the
 * finest rollup). Totals read the coarsest rows that fit inside the range and nothing outside it:
 * up to 6 h, minute rows; beyond, whole UTC days from rollup_day, whole hours from rollup_hour for
 * the partial days at the edges, and minute rows for the partial hours at the edges. A 30-day fleet
 * query so reads at most about 55 hour and day rows plus 118 minute rows per function, and a range
 * and the period before it never share a row.
 *
 * Time series use one grain for the whole range: minute up to 6 h, hour up to 8 days, day beyond.
 */
export type Grain = "minute" | "hour" | "day";

export const GRAIN_MS: Record<Grain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
export const GRAIN_TABLE: Record<Grain, string> = { minute: "rollup_minute", hour: "rollup_hour", day: "rollup_day" };

const SIX_HOURS = 6 * 3_600_000;
const EIGHT_DAYS = 8 * 86_400_000;

export interface Segment {
  grain: Grain;
  from: number;
  to: number;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;

export function seriesGrain(from: number, to: number): Grain {
  const span = to - from;
  if (span <= SIX_HOURS) return "minute";
  if (span <= EIGHT_DAYS) return "hour";
  return "day";
}

/** The segments answering [from, to), `from` floored and `to` ceiled to whole minutes; no two overlap. */
export function coverRange(from: number, to: number): Segment[] {
  const mf = floorTo(from, GRAIN_MS.minute);
  const mt = ceilTo(to, GRAIN_MS.minute);
  if (mt - mf <= SIX_HOURS) return [{ grain: "minute", from: mf, to: mt }];
  const hf = ceilTo(mf, GRAIN_MS.hour);
  const ht = floorTo(mt, GRAIN_MS.hour);
  const df = ceilTo(hf, GRAIN_MS.day);
  const dt = floorTo(ht, GRAIN_MS.day);
  const out: Segment[] = [];
  if (df < dt) {
    out.push({ grain: "day", from: df, to: dt });
    if (hf < df) out.push({ grain: "hour", from: hf, to: df });
    if (dt < ht) out.push({ grain: "hour", from: dt, to: ht });
  } else if (hf < ht) out.push({ grain: "hour", from: hf, to: ht });
  // Beyond 6 h, hf <= ht: the partial hours at the edges are minute rows of their own.
  if (mf < hf) out.push({ grain: "minute", from: mf, to: hf });
  if (ht < mt) out.push({ grain: "minute", from: ht, to: mt });
  return out;
}

/** The covered span: where the segments start and end. */
export function coveredSpan(segments: Segment[]): { from: number; to: number } {
  return { from: Math.min(...segments.map((s) => s.from)), to: Math.max(...segments.map((s) => s.to)) };
}

/**
 * SQL for the rollup rows of the segments (UNION ALL), restricted by `where` (SQL over the
 * rollup columns, without the time bounds). Parameters are appended to `params`.
 */
export function rollupRowsSql(segments: Segment[], columns: string, where: string, params: unknown[]): string {
  return segments
    .map((s) => {
      params.push(new Date(s.from), new Date(s.to));
      const a = params.length - 1;
      const b = params.length;
      return `SELECT ${columns} FROM ${GRAIN_TABLE[s.grain]} WHERE bucket_start >= $${a} AND bucket_start < $${b}${where ? ` AND ${where}` : ""}`;
    })
    .join("\nUNION ALL\n");
}
