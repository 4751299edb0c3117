import { createHash } from "node:crypto";
import type { LogEventInput } from "../lambda-logs/types";
import type { PlannedRead, PullCandidate } from "./plan";

/**
 * Reading log groups through CloudWatch Logs Insights, the pure half: which reads of a pass go to
 * FilterLogEvents and which to StartQuery (in groups of up to 50 log groups), the query Osprey sends,
 * and the rows turned into the events the parser and writer take. The worker (workers/ingest/logs.ts)
 * makes the calls.
 */

// StartQuery takes at most 50 log groups; a query returns at most 10,000 rows.
export const QUERY_GROUPS_MAX = 50;
export const QUERY_ROWS_MAX = 10_000;

export interface ReadSplit<T extends PullCandidate> {
  /** read one log group a call, in this order */
  filterLogEvents: PlannedRead<T>[];
  /** read by Logs Insights, each inner list one query's log groups */
  insights: PlannedRead<T>[][];
}

/**
 * The first `filterBudget` reads of a plan (the busiest and failing functions: the plan's order) stay
 * with FilterLogEvents, which answers in one round trip; the rest go to Logs Insights in groups of up to
 * QUERY_GROUPS_MAX, at most `maxQueries` of them (what is left waits for a later pass). Functions with
 * nearby cursors share a query, so no query's time range reaches far back for the sake of one function.
 * Without Insights (`maxQueries` 0) everything stays with FilterLogEvents, as before.
 */
export function splitReads<T extends PullCandidate>(reads: PlannedRead<T>[], filterBudget: number, maxQueries: number): ReadSplit<T> {
  if (maxQueries <= 0 || reads.length <= filterBudget) return { filterLogEvents: reads, insights: [] };
  const head = reads.slice(0, Math.max(0, filterBudget));
  const rest = reads.slice(head.length, head.length + maxQueries * QUERY_GROUPS_MAX);
  rest.sort((a, b) => (a.fn.cursor ?? -Infinity) - (b.fn.cursor ?? -Infinity) || a.fn.id - b.fn.id);
  const insights: PlannedRead<T>[][] = [];
  for (let i = 0; i < rest.length; i += QUERY_GROUPS_MAX) insights.push(rest.slice(i, i + QUERY_GROUPS_MAX));
  return { filterLogEvents: head, insights };
}

/** The query Osprey sends: every event from `fromMs` (inclusive), oldest first. */
export function insightsQueryString(fromMs: number): string {
  return `fields @timestamp, @message, @logStream, @log, @ingestionTime | filter @timestamp >= ${Math.floor(fromMs)} | sort @timestamp asc | limit ${QUERY_ROWS_MAX}`;
}

export interface InsightsField {
  field?: string;
  value?: string;
}

// Insights shows times as "2026-01-15 12:00:00.000", UTC.
function parseTime(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const ms = Date.parse(`${v.trim().replace(" ", "T")}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The key an event read through Insights is stored under. Insights returns no eventId (its @ptr is a
 * pointer for GetLogRecord, different on every query), so the key is made of what identifies the event:
 * log group, stream, timestamp, ingestion time and the message, and the event's rank among identical ones
 * in the same answer. A re-read by Insights gives the same key; the same event stored from FilterLogEvents
 * under AWS's eventId is recognised by its content instead (lib/db/stored-events.ts).
 */
export function insightsEventId(logGroup: string, stream: string, timestamp: number, ingestionTime: number | undefined, message: string, rank: number): string {
  const h = createHash("sha256").update(`${logGroup}\0${stream}\0${timestamp}\0${ingestionTime ?? ""}\0${rank}\0${message}`).digest("hex");
  // "i" and 55 hex digits: as long as AWS's 56-digit eventIds, never one of them (those are all digits).
  return `i${h.slice(0, 55)}`;
}

/** Insights rows as events per log group (the `@log` field is "account:group"), in the order given. */
export function toInsightsEvents(rows: InsightsField[][]): Map<string, LogEventInput[]> {
  const out = new Map<string, LogEventInput[]>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const f = new Map(row.map((c) => [c.field, c.value]));
    const log = f.get("@log");
    const timestamp = parseTime(f.get("@timestamp"));
    const message = f.get("@message");
    if (!log || timestamp === undefined || message === undefined) continue;
    const logGroupName = log.slice(log.indexOf(":") + 1);
    const logStreamName = f.get("@logStream") ?? "";
    const ingestionTime = parseTime(f.get("@ingestionTime"));
    const same = `${logGroupName}\0${logStreamName}\0${timestamp}\0${ingestionTime}\0${message}`;
    const rank = seen.get(same) ?? 0;
    seen.set(same, rank + 1);
    let list = out.get(logGroupName);
    if (!list) out.set(logGroupName, (list = []));
    list.push({ eventId: insightsEventId(logGroupName, logStreamName, timestamp, ingestionTime, message, rank), logGroupName, logStreamName, timestamp, ingestionTime, message });
  }
  return out;
}

/**
 * Where the next query of a window starts when one came back full (QUERY_ROWS_MAX rows, oldest first):
 * at the last row's millisecond, read again whole (rows of that millisecond may be cut off; the re-read
 * ones are recognised as stored). Undefined when the answer was not full: the window is read.
 */
export function nextQueryStart(rows: InsightsField[][], fromMs: number): number | undefined {
  if (rows.length < QUERY_ROWS_MAX) return undefined;
  let last: number | undefined;
  for (const row of rows) {
    const t = parseTime(row.find((c) => c.field === "@timestamp")?.value);
    if (t !== undefined) last = last === undefined ? t : Math.max(last, t);
  }
  if (last === undefined) return undefined;
  // A full page within one millisecond cannot be paged by time: move on by one millisecond.
  return last > fromMs ? last : fromMs + 1;
}
