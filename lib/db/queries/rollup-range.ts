/**
 * Which rollup rows answer a time range.
 *
 * Totals cover the range with the coarsest rows that fit: up to 6 h, minute rows (minute
 * alignment); beyond, the range is widened to whole hours and read as whole UTC days from
 * rollup_day plus the partial days at the edges from rollup_hour. A 30-day fleet query so reads
 * about 55 rows per function instead of 720, at the price of hour alignment (up to 59 minutes
 * more at each end).
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

export function coverRange(from: number, to: number): Segment[] {
  if (to - from <= SIX_HOURS) return [{ grain: "minute", from: floorTo(from, GRAIN_MS.minute), to: ceilTo(to, GRAIN_MS.minute) }];
  const hf = floorTo(from, GRAIN_MS.hour);
  const ht = ceilTo(to, GRAIN_MS.hour);
  const df = ceilTo(hf, GRAIN_MS.day);
  const dt = floorTo(ht, GRAIN_MS.day);
  if (df >= dt) return [{ grain: "hour", from: hf, to: ht }];
  const out: Segment[] = [{ grain: "day", from: df, to: dt }];
  if (hf < df) out.push({ grain: "hour", from: hf, to: df });
  if (dt < ht) out.push({ grain: "hour", from: dt, to: ht });
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
