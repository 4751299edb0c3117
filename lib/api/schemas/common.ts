import { z } from "zod";
import { ValidationError } from "../errors";

/** Largest value of a Postgres `integer` (int4) column: every id the API takes is one (accounts, resources, channels, error groups, insights). */
export const INT4_MAX = 2_147_483_647;

/**
 * A row id as a path or query gives it: plain decimal digits, no sign, no leading zero, no spaces,
 * within the column's range. `z.coerce.number()` would take "0x1", "1e3" or " 1" as 1, 1000 and 1,
 * so `DELETE /accounts/0x1` deleted account 1; and 2^31 reached Postgres and came back as a 500.
 */
export const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer id (decimal digits)")
  .transform(Number)
  .pipe(z.number().max(INT4_MAX, `must be at most ${INT4_MAX}`))
  .meta({ description: "Positive integer id", examples: ["42"] });

/** A whole number from a query string, as strict as `Id`: "1e3" or "0x10" are not numbers a user typed. */
export const QueryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, "must be a whole number (decimal digits)")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** A non-negative decimal from a query string (a computed figure such as a p50 may carry many decimals): no exponent, hex, sign or "Infinity". */
export const QueryDecimal = (min: number, max: number) =>
  z
    .string()
    .max(40)
    .regex(/^(0|[1-9][0-9]{0,15})(\.[0-9]+)?$/, "must be a decimal number")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGE_PRESETS = { "1h": HOUR, "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** The longest range one request may ask for; retention is 30 days by default, a year at most is kept. */
const MAX_SPAN_MS = 400 * DAY;

/** A time as ISO 8601 or milliseconds since the epoch. */
export const Instant = z
  .union([z.string().regex(/^\d{10,14}$/).transform(Number), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.iso.date().transform((s) => Date.parse(s))])
  .meta({ description: "ISO 8601 time or milliseconds since the epoch", examples: ["2026-11-20T12:00:00Z", "1795338900000"] });

export const RangeQuery = z.object({
  range: z.enum(["1h", "24h", "7d", "30d"]).optional().meta({ description: "Preset length ending at `to` (default now); default 24h when `from` is absent" }),
  from: Instant.optional(),
  to: Instant.optional(),
});
export type RangeQuery = z.infer<typeof RangeQuery>;

/** A half-open range [from, to) on whole minutes, and the period of the same length right before it. */
export interface TimeRange {
  from: number;
  to: number;
  /** [prevFrom, prevTo): as long as the range, ending where it starts (prevTo = from). */
  prevFrom: number;
  prevTo: number;
}

/**
 * `from`/`to` win over `range`; `range` with `to` ends there; nothing at all is the last 24 hours.
 * The range is snapped to whole minutes, the finest rollup, so every page reads exactly it: `to`
 * up to the end of its minute (a preset keeps its length and includes the minute now is in), a
 * custom `from` down to the start of its minute. The answers' `meta` carries the snapped range.
 */
export function resolveRange(q: RangeQuery, now = Date.now()): TimeRange {
  if (q.from !== undefined && q.range !== undefined && q.to !== undefined) throw new ValidationError("Give `from` and `to`, or `range` (optionally with `to`), not all three");
  const end = q.to ?? now;
  if (q.from !== undefined && !(q.from < end)) throw new ValidationError("`from` must be before `to`", [{ path: "from", message: "must be before `to`" }]);
  const to = Math.ceil(end / MINUTE) * MINUTE;
  const from = q.from !== undefined ? Math.floor(q.from / MINUTE) * MINUTE : to - RANGE_PRESETS[q.range ?? "24h"];
  if (to - from > MAX_SPAN_MS) throw new ValidationError("Range longer than 400 days", [{ path: "from", message: "range too long" }]);
  return { from, to, prevFrom: from - (to - from), prevTo: from };
}

export const Order = z.enum(["asc", "desc"]);
export type Order = z.infer<typeof Order>;

export const Limit = QueryInt(1, 500).default(50);

/** Opaque cursor: base64url of JSON; the shape is the endpoint's business. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this endpoint issued" }]);
  }
}

export const Cursor = z.string().max(512).optional().meta({ description: "Opaque cursor from a previous page's `nextCursor`" });

export const OffsetCursor = z.object({ o: z.number().int().min(0) });

/** Comma-separated or repeated values of a query parameter: `region=us-east-1,eu-west-1`. */
export const csv = <T extends z.ZodType>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(100) as unknown as z.ZodType<z.output<T>[], string[]>);

export const Tag = z
  .string()
  .regex(/^[^:]+:.*$/, "must be key:value")
  .transform((s) => {
    const i = s.indexOf(":");
    return { key: s.slice(0, i), value: s.slice(i + 1) };
  });

export const ResourceFilterQuery = z.object({
  account: csv(Id).optional().meta({ description: "Account ids, comma-separated" }),
  region: csv(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)).optional().meta({ description: "Regions, comma-separated" }),
  runtime: csv(z.string().max(40)).optional().meta({ description: "Lambda runtimes, comma-separated (e.g. nodejs20.x)" }),
  tag: csv(Tag).optional().meta({ description: "Tags as key:value, comma-separated or repeated; all must match" }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Case-insensitive substring of the resource name" }),
});
export type ResourceFilterQuery = z.infer<typeof ResourceFilterQuery>;

/** URLSearchParams to a plain object; repeated keys become arrays. */
export function searchParams(req: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(req.url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export const Point = z.object({ t: z.number().meta({ description: "Bucket start, ms since the epoch" }), v: z.number().nullable() });
export type Point = z.infer<typeof Point>;

export const Change = z.object({
  value: z.number().nullable(),
  previous: z.number().nullable(),
  change: z.number().nullable().meta({
    description: "Relative change (value - previous) / previous; null when previous is 0 or unknown, or when the previous period is only partly recorded",
  }),
  previousPartial: z.boolean().meta({
    description: "The previous period starts before Osprey's earliest data for these resources (to the hour), so `previous` covers only part of it and no change is given",
  }),
});
export type Change = z.infer<typeof Change>;

export function change(value: number | null, previous: number | null, previousPartial = false): Change {
  const c = !previousPartial && value !== null && previous !== null && previous !== 0 ? (value - previous) / previous : null;
  return { value, previous, change: c, previousPartial };
}

export const RangeMeta = z.object({
  from: z.number(),
  to: z.number(),
  prevFrom: z.number(),
  prevTo: z.number(),
  grain: z.enum(["minute", "hour", "day"]).meta({ description: "Rollup grain of time series in this answer" }),
});

export const IdParam = z.object({ id: Id });
