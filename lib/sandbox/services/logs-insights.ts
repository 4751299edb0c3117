import { randomUUID } from "node:crypto";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import type { LogEvent } from "../workload/model";
import type { Workload } from "../workload";
import { SANDBOX_CONCURRENT_QUERIES } from "../quotas";
import { num, str } from "./service";

/**
 * CloudWatch Logs Insights as Osprey uses it: StartQuery over up to 50 log groups, GetQueryResults,
 * StopQuery. The query language is the subset Osprey sends (fields, filter on @timestamp or
 * @ingestionTime, sort, limit); anything else is refused with MalformedQueryException, as AWS refuses
 * what it cannot parse. A query "runs" for a time that grows with the bytes it scans, counts against
 * the account's concurrent queries while it does, and sees the events delivered when it started
 * (the same ingestion delay as FilterLogEvents).
 */

export interface InsightsTiming {
  /** the shortest time a query takes, ms (default 1,000) */
  minRunMs: number;
  /** scan speed, bytes a second (default 100 MB/s) */
  bytesPerSecond: number;
  /**
   * The clock queries run by (default Date.now): real time even when the workload's clock stands still
   * (tests that fix "now"), since the reader waits for them in real time.
   */
  clock?: () => number;
}

export const DEFAULT_INSIGHTS_TIMING: InsightsTiming = { minRunMs: 1_000, bytesPerSecond: 100_000_000 };
// StartQuery: at most 50 log groups; GetQueryResults returns at most 10,000 rows (the default limit).
export const MAX_QUERY_GROUPS = 50;
export const MAX_QUERY_ROWS = 10_000;
// Bytes a log event counts for in bytesScanned beyond its message (what FilterLogEvents' pages count too).
const EVENT_OVERHEAD = 26;
// Finished queries are kept this long for GetQueryResults, then forgotten (AWS keeps them 7 days).
const KEEP_FINISHED_MS = 30 * 60_000;
const FIELDS = new Set(["@timestamp", "@message", "@logStream", "@log", "@ingestionTime"]);
const NUMERIC = new Set(["@timestamp", "@ingestionTime"]);

type Status = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled" | "Timeout";

interface Query {
  id: string;
  region: string;
  clock: () => number;
  startedAt: number;
  doneAt: number;
  status: Status;
  rows: { field: string; value: string }[][];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number; logGroupsScanned: number };
}

interface Condition {
  field: string;
  op: string;
  value: number;
}

interface ParsedQuery {
  fields: string[];
  filters: Condition[];
  sort: { field: string; desc: boolean }[];
  limit?: number;
}

const malformed = (msg: string) => new AwsError("MalformedQueryException", msg);
const invalid = (msg: string) => new AwsError("InvalidParameterException", msg);

/** Parses the subset of the Logs Insights query language Osprey sends. */
export function parseInsightsQuery(q: string): ParsedQuery {
  const out: ParsedQuery = { fields: [], filters: [], sort: [] };
  for (const raw of q.split("|").map((s) => s.trim())) {
    if (!raw) throw malformed("Query has an empty command.");
    const m = /^(\w+)\s+([\s\S]+)$/.exec(raw);
    if (!m) throw malformed(`Unexpected input: ${raw}`);
    const [, command, rest] = m;
    if (command === "fields") {
      for (const f of rest.split(",").map((s) => s.trim())) {
        if (!FIELDS.has(f)) throw malformed(`unsupported field ${f}`);
        out.fields.push(f);
      }
    } else if (command === "filter") {
      for (const part of rest.split(/\s+and\s+/i)) {
        const c = /^(@\w+)\s*(>=|<=|>|<|=)\s*(\d+)$/.exec(part.trim());
        if (!c || !NUMERIC.has(c[1])) throw malformed(`unsupported filter ${part.trim()}`);
        out.filters.push({ field: c[1], op: c[2], value: Number(c[3]) });
      }
    } else if (command === "sort") {
      for (const part of rest.split(",").map((s) => s.trim())) {
        const s = /^(@\w+)(?:\s+(asc|desc))?$/i.exec(part);
        if (!s || !FIELDS.has(s[1])) throw malformed(`unsupported sort ${part}`);
        out.sort.push({ field: s[1], desc: (s[2] ?? "desc").toLowerCase() === "desc" });
      }
    } else if (command === "limit") {
      const n = /^\d+$/.test(rest.trim()) ? Number(rest.trim()) : NaN;
      if (!(n >= 1 && n <= MAX_QUERY_ROWS)) throw malformed(`limit must be between 1 and ${MAX_QUERY_ROWS}`);
      out.limit = n;
    } else throw malformed(`unsupported command ${command}`);
  }
  return out;
}

const compare = (a: number, op: string, b: number) => (op === ">=" ? a >= b : op === "<=" ? a <= b : op === ">" ? a > b : op === "<" ? a < b : a === b);
// Insights shows times as "2026-01-15 12:00:00.000" (UTC).
const formatTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

const queries = new WeakMap<Workload, Map<string, Query>>();
function store(wl: Workload): Map<string, Query> {
  let m = queries.get(wl);
  if (!m) queries.set(wl, (m = new Map()));
  return m;
}

function refresh(q: Query, now: number) {
  // `now` is the query's clock (InsightsTiming.clock)
  if (q.status === "Scheduled" && now >= q.startedAt) q.status = "Running";
  if (q.status === "Running" && now >= q.doneAt) q.status = "Complete";
}

function groupNames(input: Record<string, unknown>): string[] {
  const lists = [input.logGroupName !== undefined ? [input.logGroupName] : undefined, input.logGroupNames, input.logGroupIdentifiers].filter((x) => x !== undefined);
  if (lists.length !== 1 || !Array.isArray(lists[0]) || !lists[0].length) {
    throw invalid("Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be provided.");
  }
  if (lists[0].length > MAX_QUERY_GROUPS) throw invalid(`1 validation error detected: Value at 'logGroupNames' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_GROUPS}`);
  return lists[0].map((g) => {
    const s = String(g);
    return s.startsWith("arn:") ? s.split(":")[6] : s;
  });
}

export function startQuery(wl: Workload, input: Record<string, unknown>, region: string, timing: InsightsTiming = DEFAULT_INSIGHTS_TIMING) {
  const names = groupNames(input);
  const startS = num(input.startTime);
  const endS = num(input.endTime);
  const queryString = str(input.queryString);
  if (startS === undefined || endS === undefined || !queryString) throw invalid("startTime, endTime and queryString are required.");
  if (endS < startS) throw invalid("endTime must be greater than or equal to startTime.");
  const limitParam = num(input.limit);
  if (limitParam !== undefined && (limitParam < 1 || limitParam > MAX_QUERY_ROWS)) throw invalid(`1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_QUERY_ROWS}`);
  const parsed = parseInsightsQuery(queryString);
  const known = new Set(wl.logGroups(region).map((g) => g.name));
  const missing = names.find((n) => !known.has(n));
  if (missing) throw new AwsError("ResourceNotFoundException", `Log group '${missing}' does not exist for account ID '${ACCOUNT_ID}'`);
  const now = wl.now();
  const all = store(wl);
  for (const [id, q] of all) {
    refresh(q, q.clock());
    if (q.status !== "Running" && q.status !== "Scheduled" && q.clock() - q.doneAt > KEEP_FINISHED_MS) all.delete(id);
  }
  // The concurrent-query quota is the account's, across its regions.
  const running = [...all.values()].filter((q) => q.status === "Running" || q.status === "Scheduled").length;
  if (running >= SANDBOX_CONCURRENT_QUERIES) throw new AwsError("LimitExceededException", `Account maximum query concurrency limit of [${SANDBOX_CONCURRENT_QUERIES}] reached.`);

  // Epoch seconds, both ends taken whole: events from the first millisecond of startTime to the last of endTime.
  const from = Math.max(startS * 1000, wl.historyStart);
  const to = Math.min(endS * 1000 + 1000, now + 1);
  let scanned = 0;
  let bytes = 0;
  const matched: { e: LogEvent; group: string }[] = [];
  for (const group of names) {
    for (const e of wl.logEvents(group, region, from, to)) {
      // What CloudWatch has not delivered yet, a query does not see.
      if (e.ingestionTime > now) continue;
      scanned++;
      bytes += Buffer.byteLength(e.message) + EVENT_OVERHEAD;
      if (parsed.filters.every((c) => compare(c.field === "@timestamp" ? e.timestamp : e.ingestionTime, c.op, c.value))) matched.push({ e, group });
    }
  }
  const value = (m: { e: LogEvent; group: string }, f: string): string | number =>
    f === "@timestamp" ? m.e.timestamp : f === "@ingestionTime" ? m.e.ingestionTime : f === "@message" ? m.e.message : f === "@logStream" ? m.e.logStreamName : `${ACCOUNT_ID}:${m.group}`;
  const sort = parsed.sort.length ? parsed.sort : [{ field: "@timestamp", desc: true }];
  matched.sort((a, b) => {
    for (const s of sort) {
      const x = value(a, s.field);
      const y = value(b, s.field);
      if (x !== y) return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
    }
    return a.e.eventId < b.e.eventId ? -1 : 1;
  });
  const limit = Math.min(parsed.limit ?? MAX_QUERY_ROWS, limitParam ?? MAX_QUERY_ROWS);
  const fields = parsed.fields.length ? parsed.fields : ["@timestamp", "@message"];
  const rows = matched.slice(0, limit).map((m) => [
    ...fields.map((f) => {
      const v = value(m, f);
      return { field: f, value: typeof v === "number" ? formatTime(v) : v };
    }),
    { field: "@ptr", value: Buffer.from(`${region}:${m.group}:${m.e.eventId}`).toString("base64") },
  ]);
  const id = randomUUID();
  const run = timing.clock ?? Date.now;
  // A query waits its turn (Scheduled) for a moment, then runs for a time that grows with the bytes it scans.
  const startedAt = run() + Math.min(500, timing.minRunMs / 4);
  all.set(id, {
    id, region, clock: run, startedAt, doneAt: startedAt + timing.minRunMs + Math.ceil((bytes / timing.bytesPerSecond) * 1000), status: "Scheduled", rows,
    statistics: { recordsMatched: matched.length, recordsScanned: scanned, bytesScanned: bytes, logGroupsScanned: names.length },
  });
  return { queryId: id };
}

function find(wl: Workload, input: Record<string, unknown>): Query {
  const id = str(input.queryId);
  if (!id) throw invalid("queryId is required.");
  const q = store(wl).get(id);
  if (!q) throw new AwsError("ResourceNotFoundException", "Query does not exist.");
  return q;
}

export function getQueryResults(wl: Workload, input: Record<string, unknown>) {
  const q = find(wl, input);
  const now = q.clock();
  refresh(q, now);
  const done = q.status === "Complete";
  // While running, AWS returns what it has found so far: here, the share of the run that has passed.
  const share = done ? 1 : q.status === "Running" ? Math.min(1, (now - q.startedAt) / Math.max(1, q.doneAt - q.startedAt)) : 0;
  const n = q.status === "Cancelled" ? 0 : Math.floor(q.rows.length * share);
  const s = q.statistics;
  return {
    results: q.rows.slice(0, n),
    statistics: {
      recordsMatched: Math.round(s.recordsMatched * share), recordsScanned: Math.round(s.recordsScanned * share),
      bytesScanned: Math.round(s.bytesScanned * share), logGroupsScanned: s.logGroupsScanned,
    },
    status: q.status,
  };
}

export function stopQuery(wl: Workload, input: Record<string, unknown>) {
  const q = find(wl, input);
  refresh(q, q.clock());
  if (q.status !== "Running" && q.status !== "Scheduled") throw invalid(`Query is not running: ${q.status}`);
  q.status = "Cancelled";
  q.doneAt = q.clock();
  return { success: true };
}
